import Foundation

// herald-bench: performance figures for README's "Benchmarks" section. Run from the package
// root (`make bench`) so that ../shared/corpus is found, or pass the corpus folder.
// HERALD_BENCH_SECONDS sets the minimum timing per measurement (default 3);
// HERALD_BENCH_SKIP_HUGE skips the 50 MB page (for profiling the corpus runs).
let arguments = CommandLine.arguments.dropFirst()
let corpus = URL(fileURLWithPath: arguments.first ?? "../shared/corpus")
let seconds = Double(ProcessInfo.processInfo.environment["HERALD_BENCH_SECONDS"] ?? "") ?? 3

do {
    let bench = try ExtractionBench.load(corpus: corpus)
    bench.run(seconds: seconds)
    if ProcessInfo.processInfo.environment["HERALD_BENCH_SKIP_HUGE"] == nil { ExtractionBench.runHugePage() }
    print("")
    runDiscoverBench()
} catch {
    FileHandle.standardError.write("herald-bench: cannot load the corpus at \(corpus.path): \(error)\n".data(using: .utf8)!)
    exit(1)
}
