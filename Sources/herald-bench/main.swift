// herald-bench [state|crawl]: performance measurements (release build; `make bench` runs all).
let which = CommandLine.arguments.dropFirst().first
if which == nil || which == "crawl" { runCrawlBench() }
if which == nil || which == "state" { runStateBench() }
