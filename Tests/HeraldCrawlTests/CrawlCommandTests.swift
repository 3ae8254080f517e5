import Foundation
import HeraldTestSupport
import Testing

/// The foreground command's terminal behaviour: SIGINT/SIGTERM end the run `interrupted` with
/// exit status 1 and nothing lost; a progress line only on a terminal.
@Suite struct CrawlCommandTests {
    /// The generated site's crawl: its sitemap, its article URLs, and the politeness given.
    @discardableResult
    static func writeNewsCrawl(_ fixture: HeraldInstallation, _ site: GeneratedNewsSite, concurrency: Int,
                               delay: String) throws -> URL {
        try fixture.writeCrawl("news", """
            start: [\(site.base)/]
            sitemaps: [\(site.base)/sitemap_index.xml]
            articles: {allow: ['/news/[a-z]+/\\d+-[^/]*\\.html$']}
            politeness: {per_host_concurrency: \(concurrency), per_host_delay: \(delay)}

            """)
    }

    @Test(arguments: [SIGINT, SIGTERM])
    func signalEndsTheRunInterruptedAndTheNextRunCompletesIt(signal: Int32) async throws {
        let site = try await GeneratedNewsSite.start(articles: 15)
        defer { site.server.stop() }
        let fixture = try HeraldInstallation.forCrawlTests()
        let slow = try Self.writeNewsCrawl(fixture, site, concurrency: 1, delay: "200ms")
        let stopped = try await fixture.crawl([slow.path], signalOnFirstArticle: signal)
        #expect(stopped.status == 1, "\(stopped.stdout) \(stopped.stderr)")
        #expect(stopped.stderr.contains("interrupted"), "\(stopped.stderr)")
        let partial = try fixture.records().count
        #expect(partial < site.distinctGroups)

        try Self.writeNewsCrawl(fixture, site, concurrency: 3, delay: "0s")
        let rest = try await fixture.crawl([slow.path])
        #expect(rest.status == 0, "\(rest.stderr)")
        let groups = try fixture.records().map { site.group(of: $0) ?? -1 }
        #expect(groups.count == site.distinctGroups)
        #expect(Set(groups).count == site.distinctGroups)
    }

    /// Whether a run is alive is decided by the crawl's lock, which the kernel drops when its
    /// holder dies: a crawl killed with SIGKILL never looks running afterwards, never blocks the
    /// next run, and the next run closes it as interrupted.
    @Test func aKilledCrawlIsNeitherRunningNorInTheWay() async throws {
        let site = try await GeneratedNewsSite.start(articles: 15)
        defer { site.server.stop() }
        let fixture = try HeraldInstallation.forCrawlTests()
        let slow = try Self.writeNewsCrawl(fixture, site, concurrency: 1, delay: "300ms")
        let child = try fixture.start("crawl", [slow.path])
        let fetching = await eventually(within: .seconds(60)) {
            (try? fixture.runEvents(crawl: "news").first?.contains { $0["event"] as? String == "fetch" }) == true
        }
        #expect(fetching)
        let listed = try await fixture.herald("logs", ["news"])
        #expect(listed.stdout.hasSuffix("running\n"), "\(listed.stdout)")
        let overlapping = try await fixture.crawl([slow.path])
        #expect(overlapping.status == 1 && overlapping.stderr.contains("already running"), "\(overlapping.stderr)")

        child.send(SIGKILL)
        _ = await child.wait()
        let afterKill = try await fixture.herald("logs", ["news"])
        #expect(afterKill.stdout.hasSuffix("abandoned\n"), "\(afterKill.stdout)")

        try Self.writeNewsCrawl(fixture, site, concurrency: 3, delay: "0s")
        let next = try await fixture.crawl([slow.path])
        #expect(next.status == 0, "\(next.stderr)")
        let outcomes = try await fixture.herald("logs", ["news", "--json"]).stdout
            .split(separator: "\n").compactMap { line in
                (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["outcome"] as? String
            }
        #expect(outcomes == ["interrupted", "ok"])
    }

    @Test func progressLineOnATerminal() async throws {
        let site = try await GeneratedNewsSite.start(articles: 6)
        defer { site.server.stop() }
        let fixture = try HeraldInstallation.forCrawlTests()
        let crawl = try fixture.writeCrawl("news", "start: [\(site.base)/]\nfollow: {max_depth: 1}\n")
        // script(1) (util-linux, always on Debian) gives the command a pseudo-terminal as stdout.
        let command = [TestPaths.heraldBinary.path, "crawl", "--config", fixture.configFile.path, crawl.path]
            .map { "'\($0)'" }.joined(separator: " ")
        let script = try await ChildProcess.run(URL(fileURLWithPath: "/usr/bin/script"), ["-qec", command, "/dev/null"])
        let text = script.stdout
        #expect(script.status == 0, "\(text)")
        #expect(text.contains("\r\u{1B}[Knews: "), "no progress line in \(text.debugDescription)")
        #expect(text.contains(" queued, "))
        #expect(text.contains("pages fetched "))
    }
}
