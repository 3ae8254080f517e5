import Foundation
import HeraldTestSupport

/// What the spool proofs add to a scratch herald installation: their settings (per-host
/// concurrency 8, 5s/2s timeouts) and one crawl definition, `crawls/news.yaml`, run by `herald crawl`.
extension HeraldInstallation {
    init(crawlDefinition: String, spool: URL? = nil, label: String = "herald-proof") throws {
        try self.init(label: label,
                      settings: Self.testSettings(perHostConcurrency: 8, timeout: "5s", connectTimeout: "2s"),
                      spool: spool)
        try writeCrawl("news", crawlDefinition)
    }

    var crawlFile: URL { crawls.appendingPathComponent("news.yaml") }

    /// Starts `herald crawl` in the background.
    func startCrawl() throws -> ChildProcess {
        try start("crawl", [crawlFile.path])
    }

    /// Runs `herald crawl` to its end.
    func crawl() async throws -> ChildProcess.Exit {
        try await herald("crawl", [crawlFile.path])
    }
}
