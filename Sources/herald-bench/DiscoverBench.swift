import Foundation
import Glibc
import HeraldDiscover
import HeraldXML

/// Measures discovery on real news pages (the zyte-dev corpus, ~95 pages of ~200 KB): link
/// extraction per page, URL normalization, canonical keys, follow/article rules and robots.txt
/// checks per link, and parsing a full 50,000-URL news sitemap and a 100-item feed. Prints
/// per-operation costs; takes a few seconds in a release build.
func runDiscoverBench() {
    do {
        try DiscoverBench().run()
    } catch {
        print("discover bench failed: \(error)")
    }
}

struct DiscoverBench {
    let corpus = URL(fileURLWithPath: ProcessInfo.processInfo.environment["HERALD_CORPUS"] ?? "../shared/corpus")
    let rounds = 5

    func run() throws {
        let pages = try loadPages()
        guard !pages.isEmpty else {
            print("discover bench: no corpus pages under \(corpus.path)")
            return
        }
        print("discover bench: \(pages.count) corpus pages, \(pages.reduce(0) { $0 + $1.bytes.count } / 1024) KiB")

        // Extraction runs right after parsing, on a tree still in cache: measure it that way.
        let parseSeconds = time(rounds) {
            for page in pages { _ = try? HTMLDocument(bytes: page.bytes) }
        }
        var links: [CrawlURL] = []
        let bothSeconds = time(rounds) {
            links.removeAll(keepingCapacity: true)
            for page in pages {
                guard let document = try? HTMLDocument(bytes: page.bytes) else { continue }
                links += LinkExtractor.extract(from: document, url: page.url).links
            }
        }
        let n = Double(pages.count)
        print(String(format: "  HTML parse: %.0f µs/page; parse + link extraction: %.0f µs/page (%d links, %.0f per page)",
                     parseSeconds / n * 1e6, bothSeconds / n * 1e6, links.count, Double(links.count) / n))

        let strings = links.map(\.string)
        let normalizeSeconds = time(rounds) { for s in strings { _ = CrawlURL(s) } }
        print(String(format: "  CrawlURL normalization: %.2f µs/URL", normalizeSeconds / Double(strings.count) * 1e6))

        let keySeconds = time(rounds) { for l in links { _ = CanonicalKey.key(for: l) } }
        print(String(format: "  CanonicalKey.key(for:): %.2f µs/URL", keySeconds / Double(links.count) * 1e6))

        // The shipped lbci rules: plain-text patterns (byte comparisons) plus one regex each.
        let follow = try LinkRules(allow: ["^https://www\\.lbcgroup\\.tv/news/"],
                                   deny: ["/tags/", "\\?page=\\d{3,}", "/ar$"])
        let articles = try LinkRules(allow: ["^https://www\\.lbcgroup\\.tv/news/[a-z0-9-]+/\\d+(/[^/?]+)?/en$"])
        let lbciSeconds = time(rounds) { _ = links.filter { follow.matches($0) || articles.matches($0) }.count }
        print(String(format: "  lbci follow+article rules: %.2f µs/link", lbciSeconds / Double(links.count) * 1e6))
        // Regex-only rules (every pattern goes through the regex engine).
        let regexFollow = try LinkRules(allow: ["^https?://[^/]+/(news|world|politics|business|[a-z-]+)/"],
                                        deny: ["/tags?/", "/auth?or/", "\\?page=\\d{3,}", "/vid[e]o/", "/l[i]ve/"])
        let regexArticles = try LinkRules(allow: ["/\\d{4}/\\d{2}/\\d{2}/", "/\\d{5,}", "/articles?/"])
        var matched = 0
        let rulesSeconds = time(rounds) {
            matched = links.filter { regexFollow.matches($0) && regexArticles.matches($0) }.count
        }
        print(String(format: "  regex-only follow+article rules (5+3 patterns): %.2f µs/link (%d of %d matched)",
                     rulesSeconds / Double(links.count) * 1e6, matched, links.count))

        let robotsText = """
            User-agent: *
            Disallow: /search
            Disallow: /*?sort=
            Disallow: /*.pdf$
            Allow: /news/*
            Disallow: /private/
            Disallow: /account/
            Disallow: /*/print$
            Crawl-delay: 1
            """
        let robots = RobotsPolicy(parsing: Array(robotsText.utf8), url: CrawlURL("https://example.com/robots.txt")!,
                                  userAgent: "herald")
        let robotsSeconds = time(rounds) { for l in links { _ = robots.allows(l) } }
        print(String(format: "  robots.txt check (8 rules): %.2f µs/URL", robotsSeconds / Double(links.count) * 1e6))

        var sitemap = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" "
            + "xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">"
        for i in 0..<50_000 {
            sitemap += "<url><loc>https://www.example.com/news/2024/11/28/story-number-\(i)</loc><news:news>"
                + "<news:publication><news:name>Example</news:name><news:language>en</news:language></news:publication>"
                + "<news:publication_date>2024-11-28T10:\(i % 60 < 10 ? "0" : "")\(i % 60):00+00:00</news:publication_date>"
                + "<news:title>Story number \(i)</news:title></news:news></url>"
        }
        sitemap += "</urlset>"
        let sitemapBytes = Array(sitemap.utf8)
        let sitemapURL = CrawlURL("https://www.example.com/news-sitemap.xml")!
        var entries = 0
        let sitemapSeconds = time(1) { entries = (try? SitemapParser.parse(sitemapBytes, url: sitemapURL).entries.count) ?? 0 }
        print(String(format: "  news sitemap, %d URLs, %.1f MiB: %.0f ms", entries,
                     Double(sitemapBytes.count) / 1_048_576, sitemapSeconds * 1000))
        let sitemapGrowth = Self.peakRSSGrowthMiB { _ = try? SitemapParser.parse(sitemapBytes, url: sitemapURL) }
        print(String(format: "  news sitemap, %d URLs parsed into a list: peak RSS %+.1f MiB over the bytes already held",
                     entries, sitemapGrowth))
        var streamed = 0
        let streamGrowth = Self.peakRSSGrowthMiB {
            _ = try? SitemapParser.read(sitemapBytes, url: sitemapURL) { _ in streamed += 1 }
        }
        print(String(format: "  news sitemap, %d URLs streamed (as a crawl reads it): peak RSS %+.1f MiB", streamed, streamGrowth))
        var index = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
        for i in 0..<500 {
            index += "<sitemap><loc>https://www.example.com/sitemaps/articles-\(i).xml.gz</loc>"
                + "<lastmod>2024-11-28T10:00:00+00:00</lastmod></sitemap>"
        }
        index += "</sitemapindex>"
        let indexBytes = Array(index.utf8)
        var children = 0
        let indexGrowth = Self.peakRSSGrowthMiB {
            children = (try? SitemapParser.parse(indexBytes, url: sitemapURL).sitemaps.count) ?? 0
        }
        print(String(format: "  sitemap index, %d children: peak RSS %+.1f MiB", children, indexGrowth))

        var feed = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Example</title>"
        for i in 0..<100 {
            feed += "<item><title>Story \(i)</title><link>https://www.example.com/news/story-\(i)?utm_source=rss</link>"
                + "<guid isPermaLink=\"false\">id-\(i)</guid><pubDate>Thu, 28 Nov 2024 10:15:00 GMT</pubDate>"
                + "<description><![CDATA[<p>Summary of story \(i) with some words.</p>]]></description></item>"
        }
        feed += "</channel></rss>"
        let feedBytes = Array(feed.utf8)
        let feedURL = CrawlURL("https://www.example.com/rss")!
        let feedSeconds = time(rounds * 20) { _ = try? FeedParser.parse(feedBytes, url: feedURL) }
        print(String(format: "  RSS feed, 100 items: %.0f µs", feedSeconds * 1e6))
    }

    /// How far `body` raises the process's peak resident memory above what it holds now
    /// (Linux: writing 5 to clear_refs resets the peak, VmHWM, to the current VmRSS).
    static func peakRSSGrowthMiB(_ body: () -> Void) -> Double {
        func kib(_ field: String) -> Double {
            guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
                  let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field) }) else { return 0 }
            return Double(line.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0)
        }
        // Memory freed by earlier work would otherwise be reused without showing; glibc's
        // malloc_trim is not in Swift's Glibc module, so it is looked up.
        if let trim = dlsym(nil, "malloc_trim") {
            _ = unsafeBitCast(trim, to: (@convention(c) (Int) -> Int32).self)(0)
        }
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
        let before = kib("VmRSS:")
        body()
        return (kib("VmHWM:") - before) / 1024
    }

    struct Page {
        var url: CrawlURL
        var bytes: [UInt8]
    }

    private func loadPages() throws -> [Page] {
        let zyte = corpus.appendingPathComponent("zyte-dev")
        guard let truthData = try? Data(contentsOf: zyte.appendingPathComponent("ground-truth.json")),
              let truth = try JSONSerialization.jsonObject(with: truthData) as? [String: [String: Any]] else {
            return []
        }
        var pages: [Page] = []
        for key in truth.keys.sorted() {
            guard let raw = truth[key]?["url"] as? String, let url = CrawlURL(raw),
                  let gz = try? Data(contentsOf: zyte.appendingPathComponent("html/\(key).html.gz")) else { continue }
            pages.append(Page(url: url, bytes: try Gzip.decompress(Array(gz))))
        }
        return pages
    }

    /// Seconds per round of `body`, best of `rounds` (the machine is shared and noisy).
    private func time(_ rounds: Int, _ body: () -> Void) -> Double {
        var best = Double.infinity
        for _ in 0..<rounds {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return best
    }
}
