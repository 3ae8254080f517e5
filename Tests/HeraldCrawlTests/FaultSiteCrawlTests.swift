import Foundation
import HeraldTestSupport
import Testing

/// `herald crawl` against a site whose start page links to every kind of trouble the test
/// server can make: each fault must end as its outcome kind in the run log, and none may fail
/// the run. Legacy-charset and broken-UTF-8 articles must come out as clean UTF-8 records.
@Suite struct FaultSiteCrawlTests {
    /// Fault URL (path and query, as linked) -> the kind its fetch must be logged with.
    static let faults: [(String, String)] = [
        ("/flaky/1?key=k500", "ok"),                           // 500, then success on retry
        ("/retry-after/1?key=k503&status=503", "ok"),          // 503 with Retry-After: 1
        ("/retry-after/1?key=k429&status=429", "ok"),          // 429 with Retry-After: 1
        ("/status/429", "http_4xx"),                           // 429 for good
        ("/status/404", "http_4xx"),
        ("/status/500", "http_5xx"),
        ("/redirect/3", "ok"),                                  // three hops, then 200
        ("/loop/a", "redirect_refused"),
        ("/stall-headers?seconds=8", "timeout"),
        ("/stall-body?seconds=8", "timeout"),
        ("/big?bytes=3000000", "too_large"),
        ("/gzip-bomb?mb=50", "too_large"),
        ("/redirect-to?url=file:///etc/passwd", "redirect_refused"),
        ("/redirect-to?url=http://169.254.169.254/latest/meta-data/", "redirect_refused"),
    ]

    /// Filler that differs per page: similar bodies would be held back as near-duplicates.
    static let fillers = [
        "The council met on Tuesday evening to discuss the budget for the coming year, and members argued at length about roads, schools and the harbour before a late vote. Several residents spoke against the plan to close the library on Sundays.",
        "Farmers in the valley reported an early harvest after weeks of unusual warmth, while traders at the market complained that prices for apples and pears had fallen sharply. A cooperative now plans to build a new cold store near the station.",
        "The football club confirmed the signing of a young goalkeeper from the second division, ending months of speculation among supporters. The coach said the squad still needed a defender before the winter transfer window closes next month.",
    ]

    static func writePages(_ root: URL) throws {
        let pages = root.appendingPathComponent("pages")
        try FileManager.default.createDirectory(at: pages, withIntermediateDirectories: true)
        func page(_ title: String, _ text: String, _ filler: Int, meta: String = "") -> String {
            "<html><head>\(meta)<title>\(title)</title></head><body><article><h1>\(title)</h1>"
                + "<p>\(text)</p><p>\(fillers[filler])</p></article></body></html>"
        }
        // windows-1252 declared only in <meta> (served as text/html without charset).
        let cp1252 = page("Café prices", "A café in Zürich charges €4 for a naïve espresso.", 0,
                          meta: "<meta charset=\"windows-1252\">")
        try Data(cp1252.data(using: .windowsCP1252)!).write(to: pages.appendingPathComponent("cp1252.html"))
        // ISO-8859-1 declared only in the HTTP header.
        let latin1 = page("Señor Müller", "Señor Müller visited the façade of the château in Zürich.", 1)
        try Data(latin1.data(using: .isoLatin1)!).write(to: pages.appendingPathComponent("latin1.html"))
        // Declared UTF-8 but carrying invalid byte sequences.
        var broken = Data(page("Broken bytes", "Invalid bytes XXXX in the middle of the story.", 2).utf8)
        if let r = broken.range(of: Data("XXXX".utf8)) { broken.replaceSubrange(r, with: [0xFF, 0xFE, 0xC3, 0x28]) }
        try broken.write(to: pages.appendingPathComponent("broken-utf8.html"))

        // An article page with too little text, and a "feed" that is neither XML nor a list of URLs.
        try "<html><head><title>Short</title></head><body><article><p>Only five words here.</p></article></body></html>"
            .write(to: pages.appendingPathComponent("short.html"), atomically: true, encoding: .utf8)
        try "Service temporarily replaced by a plain text notice."
            .write(to: root.appendingPathComponent("broken.rss"), atomically: true, encoding: .utf8)

        var links = faults.map { "<a href=\"\($0.0.replacingOccurrences(of: "&", with: "&amp;"))\">fault</a>" }
        links.append("<a href=\"/pages/cp1252.html?content_type=text/html\">cp1252</a>")
        links.append("<a href=\"/pages/latin1.html?content_type=text/html%3B%20charset%3DISO-8859-1\">latin1</a>")
        links.append("<a href=\"/pages/broken-utf8.html\">broken</a>")
        links.append("<a href=\"/pages/short.html\">short</a>")
        try "<html><body><h1>Faults</h1>\(links.joined(separator: "\n"))</body></html>"
            .write(to: root.appendingPathComponent("index.html"), atomically: true, encoding: .utf8)
    }

    @Test func everyFaultIsLoggedWithItsKindAndTheRunSucceeds() async throws {
        let root = TestPaths.temporaryDirectory("herald-faultsite")
        try Self.writePages(root)
        let server = try await TestSite.start(root: root)
        defer { server.stop() }
        let fixture = try HeraldInstallation.forCrawlTests()
        let crawl = try fixture.writeCrawl("faults", """
            start: [\(server.url("/"))]
            feeds: [\(server.url("/broken.rss"))]
            follow: {max_depth: 1}
            articles: {allow: ['/pages/']}
            politeness: {per_host_concurrency: 8, per_host_delay: 0s}

            """)

        let result = try await fixture.crawl([crawl.path])
        #expect(result.status == 0, "stdout: \(result.stdout) stderr: \(result.stderr)")
        // The summary counts errors by kind.
        for count in ["redirect_refused 3", "too_large 2", "timeout 2", "http_4xx 2", "http_5xx 1", "parse_error 1"] {
            #expect(result.stdout.contains(count), "summary lacks \(count): \(result.stdout)")
        }
        #expect(result.stdout.contains("articles new 3"))

        let events = try #require(try fixture.runEvents(crawl: "faults").last)
        for (target, kind) in Self.faults {
            // Normalization sorts query parameters: compare paths and sorted, decoded queries.
            let parts = target.split(separator: "?", maxSplits: 1)
            let logged = events.filter {
                guard let url = $0["url"] as? String, let c = URLComponents(string: url) else { return false }
                let sortedQuery = (c.percentEncodedQuery ?? "").split(separator: "&").sorted().joined(separator: "&")
                let wanted = parts.count > 1 ? String(parts[1]).split(separator: "&").sorted().joined(separator: "&") : ""
                return c.path == String(parts[0]) && (sortedQuery.removingPercentEncoding ?? sortedQuery) == wanted
                    && ["fetch", "error"].contains($0["event"] as? String)
            }.compactMap { $0["kind"] as? String }
            #expect(logged == [kind], "\(target): logged \(logged)")
        }
        // Too short to be an article: held back, never delivered; an unparsable feed: parse_error.
        #expect(events.contains { ($0["url"] as? String)?.hasSuffix("/pages/short.html") == true
                    && $0["event"] as? String == "held_back" && $0["kind"] as? String == "empty_body" })
        #expect(events.contains { ($0["url"] as? String)?.hasSuffix("/broken.rss") == true
                    && $0["event"] as? String == "error" && $0["kind"] as? String == "parse_error" })
        // robots.txt was missing (404): allowed everything, not an error.
        #expect(events.contains { $0["kind"] as? String == "no_robots" })

        // Retries: the 500 and the 503 were asked twice, the second 503 attempt after Retry-After.
        let log = await server.requestLog()
        #expect(log.filter { $0.path == "/flaky/1" }.map(\.status) == [500, 200])
        let retried = log.filter { $0.path == "/retry-after/1" && $0.query.contains("k503") }
        #expect(retried.map(\.status) == [503, 200])
        if retried.count == 2 { #expect(retried[1].start - retried[0].start >= 0.9) }
        #expect(log.filter { $0.path.hasPrefix("/redirect/") }.count == 4)
        // The refused redirect targets were never requested from this server either.
        #expect(!log.contains { $0.path.hasPrefix("/latest/") })

        // Legacy charsets and broken UTF-8 become clean text.
        let records = try fixture.records()
        let bodies = Dictionary(uniqueKeysWithValues: records.compactMap { r -> (String, String)? in
            guard let url = r["url"] as? String, let body = r["body"] as? String else { return nil }
            return (URL(string: url)?.lastPathComponent ?? url, body)
        })
        #expect(bodies["cp1252.html"]?.contains("A café in Zürich charges €4 for a naïve espresso.") == true,
                "\(bodies["cp1252.html"] ?? "no record")")
        #expect(bodies["latin1.html"]?.contains("Señor Müller visited the façade of the château") == true,
                "\(bodies["latin1.html"] ?? "no record")")
        #expect(bodies["broken-utf8.html"]?.contains("in the middle of the story") == true)
        #expect(records.count == 3)
    }

    @Test func runFailsWhenNoStartPageCanBeFetched() async throws {
        let fixture = try HeraldInstallation.forCrawlTests()
        // Port 9 (discard) has no listener here: robots.txt is unreachable, so nothing is allowed.
        let crawl = try fixture.writeCrawl("down", "start: [http://127.0.0.1:9/]\n")
        let result = try await fixture.crawl([crawl.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("none of the crawl's 1 start pages"), "\(result.stderr)")
        #expect(result.stderr.contains("robots.txt could not be fetched (connection_failed"), "\(result.stderr)")
        #expect(try fixture.records().isEmpty)
    }

    @Test func configurationErrorsExitWithStatus2() async throws {
        let fixture = try HeraldInstallation.forCrawlTests()
        let missing = try await fixture.crawl(["no-such-crawl"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no-such-crawl.yaml"))
        let broken = try fixture.writeCrawl("broken", "start: [ftp://example.org/]\nfollow: {max_depth: -1}\n")
        let invalid = try await fixture.crawl([broken.path])
        #expect(invalid.status == 2)
        #expect(invalid.stderr.contains("not an http or https URL"))
    }
}
