import Foundation

// herald-bench [extract|discover|state|crawl ...]: performance figures for README's
// "Benchmarks" section (release build; `make bench` runs them all). Run from the package root so
// that ../shared/corpus is found.
// HERALD_BENCH_CORPUS sets another corpus folder; HERALD_BENCH_SECONDS the minimum timing per
// extraction measurement (default 3); HERALD_BENCH_SKIP_HUGE skips the 50 MB page.
let environment = ProcessInfo.processInfo.environment
let chosen = Set(CommandLine.arguments.dropFirst())
func wanted(_ name: String) -> Bool { chosen.isEmpty || chosen.contains(name) }

if wanted("extract") {
    let corpus = URL(fileURLWithPath: environment["HERALD_BENCH_CORPUS"] ?? "../shared/corpus")
    let seconds = Double(environment["HERALD_BENCH_SECONDS"] ?? "") ?? 3
    do {
        let bench = try ExtractionBench.load(corpus: corpus)
        bench.run(seconds: seconds)
        if environment["HERALD_BENCH_SKIP_HUGE"] == nil { ExtractionBench.runHugePage() }
    } catch {
        FileHandle.standardError.write(Data("herald-bench: cannot load the corpus at \(corpus.path): \(error)\n".utf8))
        exit(1)
    }
}
if wanted("discover") { runDiscoverBench() }
if wanted("state") { runStateBench() }
if wanted("crawl") { runCrawlBench() }
