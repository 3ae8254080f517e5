print("herald-bench: not yet")
