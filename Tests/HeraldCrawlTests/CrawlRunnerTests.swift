import Foundation
import HeraldConfig
import HeraldCrawl
import HeraldCrawlLog
@testable import HeraldState
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

/// Two crawls of one host in one process (the daemon's case): the stricter politeness holds for
/// every request to the host while both run, whichever crawl sets its limits last.
@Suite struct SharedHostPolitenessTests {
    @Test func crawlsOfOneHostTogetherKeepTheStricterLimits() async throws {
        let site = try await GeneratedNewsSite.start(articles: 8)
        defer { site.server.stop() }
        let fixture = try HeraldInstallation.forCrawlTests()
        let environment = try CrawlRunnerTests.environment(fixture)
        defer { environment.shutdown() }
        let runner = CrawlRunner(environment: environment)
        func definition(_ name: String, concurrency: Int, delay: String) throws -> CrawlDefinition {
            try CrawlDefinition.parse(yaml: """
                start: [\(site.base)/]
                sitemaps: [\(site.base)/sitemap_index.xml]
                articles: {allow: ['/news/[a-z]+/\\d+-[^/]*\\.html$']}
                politeness: {per_host_concurrency: \(concurrency), per_host_delay: \(delay)}
                """, file: "\(name).yaml", defaultName: name)
        }

        let slowDefinition = try definition("slow", concurrency: 1, delay: "200ms")
        let slow = Task { (await runner.run(slowDefinition), Date().timeIntervalSince1970) }
        while await site.server.requestLog(settle: .zero).isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        let fastStarted = Date().timeIntervalSince1970
        let fast = await runner.run(try definition("fast", concurrency: 4, delay: "0s"))
        let fastEnded = Date().timeIntervalSince1970
        let (slowResult, slowEnded) = await slow.value
        #expect(fast.outcome == .ok, "\(fast.summary)")
        #expect(slowResult.outcome == .ok)
        let bothEnded = min(fastEnded, slowEnded)

        let together = await site.server.requestLog()
            .filter { $0.start >= fastStarted && $0.start <= bothEnded }.sorted { $0.start < $1.start }
        #expect(together.count >= 4)
        for (a, b) in zip(together, together.dropFirst()) {
            #expect(b.start - a.start >= 0.17, "\(a.path) then \(b.path): \(b.start - a.start) s apart")
            #expect((a.end ?? a.start) <= b.start + 0.01, "\(a.path) and \(b.path) overlapped")
        }
    }
}

/// Upgrading from a herald whose state file kept its own run history: the crawl log, the one
/// history, gets those runs; nothing a user had is lost, and nothing is imported twice.
@Suite struct LegacyRunHistoryTests {
    @Test func runsOfTheStateFileMoveIntoTheCrawlLogOnce() throws {
        let fixture = try HeraldInstallation.forCrawlTests()
        try VersionOneStateFile.write(in: fixture.state, schema: StateSchema.versionOne, sql: """
            INSERT INTO runs (id, crawl, started_at, finished_at, outcome, message)
                VALUES (1, 'news', 1790000000, 1790000095, 'ok', NULL),
                       (2, 'news', 1790000900, NULL, 'running', NULL);
            INSERT INTO run_counters (run_id, name, value)
                VALUES (1, 'pages', 120), (1, 'new', 14), (1, 'errors', 2), (1, 'kind.http_4xx', 2);
            """)

        for _ in 0..<2 {
            let environment = try CrawlRunnerTests.environment(fixture)
            environment.shutdown()
        }
        let runs = try CrawlLog(directory: fixture.logs).runs(crawl: "news")
        #expect(runs.map(\.outcome) == [.ok, .interrupted])
        #expect(runs[0].start == Date(timeIntervalSince1970: 1_790_000_000) && runs[0].duration == 95)
        #expect(runs[0].counters.pages == 120 && runs[0].counters.new == 14
                && runs[0].counters.kinds == [.http4xx: 2])
    }
}
