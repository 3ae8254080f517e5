import Foundation
import HeraldTestSupport
import Testing

/// What the crawl tests add to a scratch herald installation: their settings (per-host
/// concurrency 3, 2s/1s timeouts), `herald crawl` runs, and reading the run logs.
extension HeraldInstallation {
    /// A fresh installation with the crawl tests' settings and no crawl definitions yet.
    static func forCrawlTests() throws -> HeraldInstallation {
        try HeraldInstallation(label: "herald-crawl",
                               settings: testSettings(perHostConcurrency: 3, timeout: "2s", connectTimeout: "1s"))
    }

    /// `herald crawl --config <config> <arguments>` with the real binary, to its end.
    func crawl(_ arguments: [String]) async throws -> ChildProcess.Exit {
        try await herald("crawl", arguments)
    }

    /// Starts `herald crawl --config <config> <arguments>`, sends `signal` as soon as the first
    /// article is in the spool (the run is under way), then waits for it to exit.
    func crawl(_ arguments: [String], signalOnFirstArticle signal: Int32) async throws -> ChildProcess.Exit {
        let child = try start("crawl", arguments)
        let delivering = await eventually(within: .seconds(60)) {
            files("new").contains { $0.hasSuffix(".json") } || child.hasExited
        }
        try #require(delivering && !child.hasExited, "no article before the crawl ended: \(child.stderr)")
        child.send(signal)
        return await child.wait()
    }

    /// The events of the crawl's runs, oldest run first (one array per run file).
    func runEvents(crawl: String) throws -> [[[String: Any]]] {
        let folder = logs.appendingPathComponent("runs").appendingPathComponent(crawl)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".jsonl") }.sorted()
        return try names.map { name in
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            return try data.split(separator: 0x0a).map { line in
                try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
            }
        }
    }
}
