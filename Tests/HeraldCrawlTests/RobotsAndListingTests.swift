import Foundation
import HeraldTestSupport
import Testing

/// robots.txt manners and feed/sitemap dates, through the real binary against small sites.
@Suite struct RobotsAndListingTests {
    /// Distinct stories (similar bodies would be held back as near-duplicates).
    static let stories = [
        "Residents of the old quarter gathered on Sunday to protest against the new parking rules, which they say will drive away customers from the small shops along the river.",
        "The regional airline announced three new routes to the islands starting in spring, with smaller aircraft that can land on the short runway near the fishing harbour.",
        "Scientists at the university published a study showing that the lake's water quality improved markedly after the old paper mill closed a decade ago.",
        "A retired teacher has opened a free chess school in the community hall, where children meet every Wednesday afternoon to play, learn openings and solve puzzles.",
    ]

    /// A site whose robots.txt has a group for our product token (Crawl-delay, one Disallow)
    /// and a `*` group disallowing everything, which must not apply to us.
    @Test func robotsGroupForOurTokenAndItsCrawlDelayAreObeyed() async throws {
        let root = TestPaths.temporaryDirectory("herald-robotssite")
        try """
            User-agent: *
            Disallow: /

            User-agent: herald-test
            Crawl-delay: 0.4
            Disallow: /hidden/
            """.write(to: root.appendingPathComponent("robots.txt"), atomically: true, encoding: .utf8)
        var links = ""
        for i in 1...4 {
            links += "<a href=\"/story/\(i).html\">story \(i)</a> <a href=\"/hidden/\(i).html\">hidden</a>\n"
            try "<html><head><title>Story \(i)</title></head><body><article><p>Story number \(i). \(Self.stories[i - 1])</p></article></body></html>"
                .write(to: root.appendingPathComponent("story-\(i).html"), atomically: true, encoding: .utf8)
        }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("story"), withIntermediateDirectories: true)
        for i in 1...4 {
            try FileManager.default.moveItem(at: root.appendingPathComponent("story-\(i).html"),
                                             to: root.appendingPathComponent("story/\(i).html"))
        }
        try "<html><body>\(links)</body></html>".write(to: root.appendingPathComponent("index.html"),
                                                      atomically: true, encoding: .utf8)
        let server = try await TestSite.start(root: root)
        defer { server.stop() }
        let fixture = try HeraldInstallation.forCrawlTests()
        let crawl = try fixture.writeCrawl("polite", """
            start: [\(server.url("/"))]
            articles: {allow: ['/story/']}
            politeness: {per_host_concurrency: 4, per_host_delay: 0s}

            """)
        let result = try await fixture.crawl([crawl.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("articles new 4"), "\(result.stdout)")

        let log = await server.requestLog()
        #expect(log.first?.path == "/robots.txt")
        #expect(!log.contains { $0.path.hasPrefix("/hidden/") })
        // Crawl-delay 0.4 s for our agent: request starts that far apart (less the server's timing jitter).
        let starts = log.map(\.start)
        for (a, b) in zip(starts, starts.dropFirst()) {
            #expect(b - a >= 0.3, "requests \(b - a) s apart")
        }
        let events = try #require(try fixture.runEvents(crawl: "polite").last)
        let disallowed = events.filter { $0["kind"] as? String == "robots_disallowed" }
        #expect(disallowed.count == 4)
    }

    /// A page is requested, and robots.txt rules are matched, with its query parameters in the
    /// order the site linked them: an `Allow` written for that order is honoured and the server
    /// sees that order (the sorted form is only the dedupe key).
    @Test func queryIsRequestedAndMatchedInTheSitesOrder() async throws {
        let root = TestPaths.temporaryDirectory("herald-querysite")
        try "User-agent: *\nDisallow: /story\nAllow: /story?lang=*&id=\n"
            .write(to: root.appendingPathComponent("robots.txt"), atomically: true, encoding: .utf8)
        try "<html><head><title>Story</title></head><body><article><p>\(Self.stories[0])</p></article></body></html>"
            .write(to: root.appendingPathComponent("story"), atomically: true, encoding: .utf8)
        try "<html><body><a href=\"/story?lang=en&utm_source=home&id=7\">story</a> <a href=\"/story?id=8&lang=en\">other order</a></body></html>"
            .write(to: root.appendingPathComponent("index.html"), atomically: true, encoding: .utf8)
        let server = try await TestSite.start(root: root)
        defer { server.stop() }
        let fixture = try HeraldInstallation.forCrawlTests()
        let crawl = try fixture.writeCrawl("query", """
            start: [\(server.url("/"))]
            articles: {allow: ['/story\\?']}

            """)
        let result = try await fixture.crawl([crawl.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("articles new 1"), "\(result.stdout)")
        let stories = await server.requestLog().filter { $0.path == "/story" }
        #expect(stories.map(\.query) == ["lang=en&id=7"])
    }

    /// A redirect is followed only where robots.txt allows its target: within the host, by the
    /// host's rules; into another host, only after that host's robots.txt has been read (and by
    /// its rules), and the article it leads to is still delivered as the linked URL's article.
    @Test func redirectsObeyTheRobotsTxtOfTheirTarget() async throws {
        func site(_ robots: String, _ pages: [String: String]) async throws -> TestSite {
            let root = TestPaths.temporaryDirectory("herald-redirectsite")
            try robots.write(to: root.appendingPathComponent("robots.txt"), atomically: true, encoding: .utf8)
            for (path, html) in pages {
                let file = root.appendingPathComponent(path)
                try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                try html.write(to: file, atomically: true, encoding: .utf8)
            }
            return try await TestSite.start(root: root)
        }
        func story(_ i: Int) -> String {
            "<html><head><title>Story \(i)</title></head><body><article><p>\(Self.stories[i])</p></article></body></html>"
        }
        let other = try await site("User-agent: *\nDisallow: /private/\n",
                                   ["story/1.html": story(1), "private/2.html": story(2)])
        defer { other.stop() }
        func away(_ path: String) -> String {
            "/redirect-to?url=" + (other.url(path).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        }
        let home = try await site("User-agent: *\nDisallow: /hidden/\n", [
            "hidden/3.html": story(3),
            "index.html": """
                <html><body><a href="\(away("/story/1.html"))&n=1">one</a> <a href="\(away("/private/2.html"))&n=2">two</a>
                <a href="/redirect-to?url=/hidden/3.html&n=3">three</a></body></html>
                """,
        ])
        defer { home.stop() }
        let fixture = try HeraldInstallation.forCrawlTests()
        let crawl = try fixture.writeCrawl("moved", """
            start: [\(home.url("/"))]
            articles: {allow: ['/redirect-to']}

            """)
        let result = try await fixture.crawl([crawl.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("articles new 1"), "\(result.stdout)")
        let otherLog = await other.requestLog().map(\.path)
        #expect(otherLog == ["/robots.txt", "/story/1.html"])
        #expect(await !home.requestLog().contains { $0.path.hasPrefix("/hidden/") })
        let records = try fixture.records()
        #expect(records.count == 1 && (records.first?["final_url"] as? String)?.hasSuffix("/story/1.html") == true)
        let events = try #require(try fixture.runEvents(crawl: "moved").last)
        #expect(events.filter { $0["kind"] as? String == "robots_disallowed" }.count == 2)
        #expect(events.filter { $0["kind"] as? String == "redirected" }.count == 2)
    }

    /// A start URL that turns out to be a feed is read as one.
    @Test func startPageThatIsAFeedListsArticles() async throws {
        let site = try await GeneratedNewsSite.start(articles: 12)
        defer { site.server.stop() }
        let fixture = try HeraldInstallation.forCrawlTests()
        let crawl = try fixture.writeCrawl("feedstart", """
            start: [\(site.base)/feeds/world.rss]
            follow: {max_depth: 0}
            articles: {allow: ['/news/[a-z]+/\\d+-[^/]*\\.html$']}

            """)
        let result = try await fixture.crawl([crawl.path])
        #expect(result.status == 0, "\(result.stderr)")
        let events = try #require(try fixture.runEvents(crawl: "feedstart").last)
        #expect(events.contains { ($0["url"] as? String)?.hasSuffix("/feeds/world.rss") == true && $0["reason"] as? String == "a feed" })
        // Its entries were fetched (robots.txt's sitemap lists the other sections too).
        #expect(try fixture.records().contains { ($0["url"] as? String)?.contains("/news/world/") == true })
        #expect(!events.contains { $0["kind"] as? String == "parse_error" })
    }

    /// With `skip_older_than_last_run`, sitemap entries dated before the last successful run
    /// are not fetched again; entries without a date always are.
    @Test func skipOlderThanLastRunSkipsDatedSitemapEntries() async throws {
        let site = try await GeneratedNewsSite.start(articles: 12)
        defer { site.server.stop() }
        let fixture = try HeraldInstallation.forCrawlTests()
        let crawl = try fixture.writeCrawl("dated", """
            sitemaps: [\(site.base)/sitemaps/articles-1.xml.gz]
            follow: {max_depth: 0}
            articles: {allow: ['/news/[a-z]+/\\d+-[^/]*\\.html$']}
            skip_older_than_last_run: true

            """)
        let first = try await fixture.crawl([crawl.path])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("articles new \(site.distinctGroups)"), "\(first.stdout)")
        let before = await site.server.requestLog().count

        let second = try await fixture.crawl([crawl.path])
        #expect(second.status == 0, "\(second.stderr)")
        let again = await site.server.requestLog().dropFirst(before)
        // Only sitemaps (this one and those robots.txt names): every entry is dated October
        // 2026, before the first run, so no article is asked for.
        #expect(again.contains { $0.path == "/sitemaps/articles-1.xml.gz" })
        #expect(again.allSatisfy { $0.path.hasPrefix("/sitemap") }, "\(again.map(\.path))")
        #expect(second.stdout.contains("articles new 0"))
    }
}
