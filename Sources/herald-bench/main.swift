print("herald-bench: not yet")
runDiscoverBench()
