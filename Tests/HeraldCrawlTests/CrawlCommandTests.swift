import Foundation
import HeraldTestSupport
import Testing

/// The foreground command's terminal behaviour: SIGINT/SIGTERM end the run `interrupted` with
/// exit status 1 and nothing lost; a progress line only on a terminal.
@Suite struct CrawlCommandTests {
    @Test(arguments: [SIGINT, SIGTERM])
    func signalEndsTheRunInterruptedAndTheNextRunCompletesIt(signal: Int32) async throws {
        let site = try await GeneratedNewsSite.start(articles: 15)
        defer { site.server.stop() }
        let fixture = try HeraldInstallation.forCrawlTests()
        let slow = try fixture.writeCrawl("news", """
            start: [\(site.base)/]
            sitemaps: [\(site.base)/sitemap_index.xml]
            articles: {allow: ['/news/[a-z]+/\\d+-[^/]*\\.html$']}
            politeness: {per_host_concurrency: 1, per_host_delay: 200ms}

            """)
        let stopped = try await fixture.crawl([slow.path], signalOnFirstArticle: signal)
        #expect(stopped.status == 1, "\(stopped.stdout) \(stopped.stderr)")
        #expect(stopped.stderr.contains("interrupted"), "\(stopped.stderr)")
        let partial = try fixture.records().count
        #expect(partial < site.distinctGroups)

        try fixture.writeCrawl("news", """
            start: [\(site.base)/]
            sitemaps: [\(site.base)/sitemap_index.xml]
            articles: {allow: ['/news/[a-z]+/\\d+-[^/]*\\.html$']}
            politeness: {per_host_concurrency: 3, per_host_delay: 0s}

            """)
        let rest = try await fixture.crawl([slow.path])
        #expect(rest.status == 0, "\(rest.stderr)")
        let groups = try fixture.records().map { site.group(of: $0) ?? -1 }
        #expect(groups.count == site.distinctGroups)
        #expect(Set(groups).count == site.distinctGroups)
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
