import Foundation
import HeraldConfig
import HeraldCrawl
import HeraldCrawlLog
import HeraldTestSupport
import Synchronization
import Testing

/// The engine's API as the daemon uses it: one `CrawlEnvironment`, runs that can be cancelled
/// (SIGTERM) without losing anything, and a lock that keeps two runs of one crawl apart.
@Suite struct CrawlRunnerTests {
    static func environment(_ fixture: HeraldInstallation) throws -> CrawlEnvironment {
        let config = try HeraldConfiguration.parse(yaml: try String(contentsOf: fixture.configFile, encoding: .utf8), file: "herald.yaml",
                                                   baseDirectory: fixture.root)
        return try CrawlEnvironment(configuration: config)
    }

    static func definition(_ site: GeneratedNewsSite, delay: String) throws -> CrawlDefinition {
        try CrawlDefinition.parse(yaml: """
            start: [\(site.base)/]
            sitemaps: [\(site.base)/sitemap_index.xml]
            follow: {max_depth: 2}
            articles: {allow: ['/news/[a-z]+/\\d+-[^/]*\\.html$']}
            politeness: {per_host_concurrency: 1, per_host_delay: \(delay)}
            """, file: "news.yaml", defaultName: "news")
    }

    @Test func cancelledRunEndsInterruptedAndTheNextRunDeliversTheRest() async throws {
        let site = try await GeneratedNewsSite.start(articles: 30)
        defer { site.server.stop() }
        let fixture = try HeraldInstallation.forCrawlTests()
        let environment = try Self.environment(fixture)
        defer { environment.shutdown() }
        let runner = CrawlRunner(environment: environment)

        let slow = try Self.definition(site, delay: "150ms")
        let first = Task { await runner.run(slow) }
        // Under way, and so holding the crawl's lock, once its first article is in the spool.
        #expect(await eventually(within: .seconds(60)) { fixture.files("new").contains { $0.hasSuffix(".json") } })
        // A second run of the same crawl while the first holds the lock: refused at once.
        let overlapping = await runner.run(slow)
        #expect(overlapping.outcome == .busy)
        #expect(overlapping.message?.contains("already running") == true)
        first.cancel()
        let interrupted = await first.value
        #expect(interrupted.outcome == .interrupted)
        #expect(interrupted.exitStatus == 1)
        let partial = try fixture.records().count
        #expect(partial < site.distinctGroups)

        let log = CrawlLog(directory: fixture.logs)
        let runs = try log.runs(crawl: "news")
        #expect(runs.last?.outcome == .interrupted)

        // The next run picks up everything that was not delivered, and nothing twice.
        let rest = await runner.run(try Self.definition(site, delay: "0s"))
        #expect(rest.outcome == .ok, "\(rest.summary)")
        let records = try fixture.records()
        let byGroup = Dictionary(grouping: records) { site.group(of: $0) ?? -1 }
        #expect(byGroup.count == site.distinctGroups)
        #expect(byGroup.values.allSatisfy { $0.count == 1 })
        #expect(rest.counters.new == site.distinctGroups - partial)
        #expect(try log.runs(crawl: "news").last?.outcome == .ok)
    }

    /// An unwritable spool fails articles (`spool_error`, logged) and then the run, never the
    /// process; once it is writable again the next run delivers every story exactly once.
    @Test func unwritableSpoolFailsTheRunAndTheNextRunDeliversEverything() async throws {
        let site = try await GeneratedNewsSite.start(articles: 15)
        defer { site.server.stop() }
        let fixture = try HeraldInstallation.forCrawlTests()
        let environment = try Self.environment(fixture)
        defer { environment.shutdown() }
        let runner = CrawlRunner(environment: environment)
        // A file where the spool's new/ directory should be: every rename into it fails.
        let new = fixture.spool.appendingPathComponent("new")
        try FileManager.default.removeItem(at: new)
        try Data("not a directory".utf8).write(to: new)

        let broken = await runner.run(try Self.definition(site, delay: "0s"))
        #expect(broken.outcome == .failed, "\(broken.summary)")
        #expect(broken.message?.contains("spool") == true, "\(broken.message ?? "")")
        #expect((broken.counters.kinds["spool_error"] ?? 0) >= 10)
        #expect(broken.counters.new == 0)

        try FileManager.default.removeItem(at: new)
        try FileManager.default.createDirectory(at: new, withIntermediateDirectories: true)
        let fixed = await runner.run(try Self.definition(site, delay: "0s"))
        #expect(fixed.outcome == .ok, "\(fixed.summary)")
        let groups = try fixture.records().map { site.group(of: $0) ?? -1 }
        #expect(groups.count == site.distinctGroups)
        #expect(Set(groups).count == site.distinctGroups)
        // Nothing half-written was left behind in tmp/.
        let tmp = try FileManager.default.contentsOfDirectory(atPath: fixture.spool.appendingPathComponent("tmp").path)
        #expect(tmp.isEmpty, "\(tmp)")
    }

    @Test func progressIsReportedAndTheResultSummarizesTheRun() async throws {
        let site = try await GeneratedNewsSite.start(articles: 12)
        defer { site.server.stop() }
        let fixture = try HeraldInstallation.forCrawlTests()
        let environment = try Self.environment(fixture)
        defer { environment.shutdown() }
        let snapshots = Snapshots()
        let result = await CrawlRunner(environment: environment).run(
            try Self.definition(site, delay: "0s"), progress: { snapshots.add($0) })
        #expect(result.outcome == .ok)
        #expect(result.counters.new == site.distinctGroups)
        #expect(result.summary.contains("pages fetched \(result.counters.pages), articles new \(site.distinctGroups)"))
        let last = try #require(snapshots.all.last)
        #expect(last.pages == result.counters.pages)
        #expect(snapshots.all.map(\.pages) == snapshots.all.map(\.pages).sorted())
        #expect(result.runID.map { $0.contains("-news-") } == true)
    }
}

final class Snapshots: Sendable {
    private let items = Mutex<[CrawlProgress]>([])
    func add(_ p: CrawlProgress) { items.withLock { $0.append(p) } }
    var all: [CrawlProgress] { items.withLock { $0 } }
}
