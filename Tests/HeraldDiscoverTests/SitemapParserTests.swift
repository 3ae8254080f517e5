import Foundation
import Testing
@testable import HeraldDiscover
import HeraldFormats

@Suite("SitemapParser: index, urlset, Google News, gzip, text")
struct SitemapParserTests {
    static let indexURL = CrawlURL("https://www.theguardian.com/sitemaps/index.xml")!

    @Test("sitemap index lists child sitemaps with lastmod")
    func index() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
              <sitemap>
                <loc>https://www.theguardian.com/sitemaps/news.xml</loc>
                <lastmod>2024-11-28T10:20:00+00:00</lastmod>
              </sitemap>
              <sitemap>
                <loc>  https://www.theguardian.com/sitemaps/2024/11/28.xml.gz  </loc>
              </sitemap>
              <sitemap><loc>/sitemaps/relative.xml</loc><lastmod>2024-11-01</lastmod></sitemap>
              <sitemap><lastmod>2024-11-01</lastmod></sitemap>
            </sitemapindex>
            """
        let map = try SitemapParser.parse(Array(xml.utf8), url: Self.indexURL)
        #expect(map.kind == .index)
        #expect(map.entries.isEmpty)
        #expect(map.sitemaps.map(\.url.string) == [
            "https://www.theguardian.com/sitemaps/news.xml",
            "https://www.theguardian.com/sitemaps/2024/11/28.xml.gz",
            "https://www.theguardian.com/sitemaps/relative.xml",
        ])
        #expect(map.sitemaps[0].lastModified.map(Timestamp.iso8601) == "2024-11-28T10:20:00Z")
        #expect(map.sitemaps[1].lastModified == nil)
        #expect(map.skippedEntries == 1)
    }

    /// Shaped like a Google News sitemap of a large publisher, with image extension noise.
    static let newsSitemap = """
        <?xml version="1.0" encoding="UTF-8"?>
        <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
                xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"
                xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
          <url>
            <loc>https://www.aljazeera.com/news/2024/11/28/israel-hezbollah-ceasefire-holds</loc>
            <news:news>
              <news:publication>
                <news:name>Al Jazeera</news:name>
                <news:language>en</news:language>
              </news:publication>
              <news:publication_date>2024-11-28T10:15:00+00:00</news:publication_date>
              <news:title>Israel-Hezbollah ceasefire holds &amp; residents return</news:title>
            </news:news>
            <image:image><image:loc>https://www.aljazeera.com/wp-content/uploads/a.jpg</image:loc></image:image>
          </url>
          <url>
            <loc>https://www.aljazeera.com/news/2024/11/27/older-story?utm_source=sitemap</loc>
            <lastmod>2024-11-28T08:00:00Z</lastmod>
            <news:news>
              <news:publication><news:name>Al Jazeera</news:name><news:language>en</news:language></news:publication>
              <news:publication_date>2024-11-27T21:00:00Z</news:publication_date>
              <news:title>Older story</news:title>
            </news:news>
          </url>
          <url><loc>https://www.aljazeera.com/news/2024/11/27/older-story</loc></url>
          <url><loc>mailto:editor@aljazeera.net</loc></url>
        </urlset>
        """

    @Test("Google News sitemap: publication date, title, language; lastChanged is the newest date")
    func news() throws {
        let map = try SitemapParser.parse(Array(Self.newsSitemap.utf8),
                                          url: CrawlURL("https://www.aljazeera.com/news-sitemap.xml")!)
        #expect(map.kind == .urlset)
        #expect(map.entries.map(\.url.string) == [
            "https://www.aljazeera.com/news/2024/11/28/israel-hezbollah-ceasefire-holds",
            "https://www.aljazeera.com/news/2024/11/27/older-story",
        ])
        let first = map.entries[0]
        #expect(first.publicationDate.map(Timestamp.iso8601) == "2024-11-28T10:15:00Z")
        #expect(first.newsTitle == "Israel-Hezbollah ceasefire holds & residents return")
        #expect(first.newsLanguage == "en")
        #expect(first.lastModified == nil)
        #expect(first.lastChanged == first.publicationDate)
        #expect(map.entries[1].lastChanged.map(Timestamp.iso8601) == "2024-11-28T08:00:00Z")
        #expect(map.skippedEntries == 1)
    }

    @Test("a raw & in <loc> keeps the whole query")
    func rawAmpersand() throws {
        let xml = "<urlset><url><loc>https://example.com/article.php?id=7&cat=2</loc></url></urlset>"
        let map = try SitemapParser.parse(Array(xml.utf8), url: CrawlURL("https://example.com/sitemap.xml")!)
        #expect(map.entries.map(\.url.string) == ["https://example.com/article.php?cat=2&id=7"])
    }

    @Test("urlset without namespace and with date-only lastmod")
    func plainURLSet() throws {
        let xml = "<urlset><url><loc>https://www.npr.org/sections/world/</loc><lastmod>2024-11-28</lastmod></url></urlset>"
        let map = try SitemapParser.parse(Array(xml.utf8), url: CrawlURL("https://www.npr.org/sitemap.xml")!)
        #expect(map.entries.map(\.url.string) == ["https://www.npr.org/sections/world/"])
        #expect(map.entries[0].lastModified.map(Timestamp.iso8601) == "2024-11-28T00:00:00Z")
    }

    @Test(".xml.gz sitemaps are inflated, and capped")
    func gzip() async throws {
        let gz = try await GzipFixture.compress(Array(Self.newsSitemap.utf8))
        let url = CrawlURL("https://www.aljazeera.com/sitemaps/2024-11.xml.gz")!
        #expect(try SitemapParser.parse(gz, url: url).entries.count == 2)

        var big = "<urlset>"
        for i in 0..<20_000 { big += "<url><loc>https://example.com/a/\(i)</loc></url>" }
        big += "</urlset>"
        let bigGz = try await GzipFixture.compress(Array(big.utf8))
        #expect(bigGz.count < 200_000)
        #expect(throws: DiscoveryError.tooLarge(limit: 100_000)) {
            try SitemapParser.parse(bigGz, url: url, maxBytes: 100_000)
        }
        let capped = try SitemapParser.parse(bigGz, url: url, maxEntries: 500)
        #expect(capped.entries.count == 500)
        #expect(capped.skippedEntries == 19_500)
    }

    @Test("read streams each entry once, in order, as it is read; the value keeps only kind, children and skips")
    func streaming() throws {
        let url = CrawlURL("https://example.com/sitemap.xml")!
        var xml = "<urlset>"
        for i in 0..<50 { xml += "<url><loc>https://example.com/a/\(i % 40)</loc></url>" }
        xml += "<url><loc>ftp://example.com/x</loc></url><url><loc>https://example.com/cut</loc>" // cut off
        var streamed: [String] = []
        let map = try SitemapParser.read(Array(xml.utf8), url: url, maxEntries: 30) { streamed.append($0.url.string) }
        #expect(map.kind == .urlset && map.entries.isEmpty)
        #expect(streamed == (0..<30).map { "https://example.com/a/\($0)" })
        // Past the cap every entry counts as skipped (20, repeats included), then the ftp link
        // and the entry cut off at the end of the document.
        #expect(map.skippedEntries == 20 + 1 + 1)
        var all: [String] = []
        _ = try SitemapParser.read(Array(xml.utf8), url: url) { all.append($0.url.string) }
        #expect(all.count == 41 && all.last == "https://example.com/cut")
        #expect(try SitemapParser.parse(Array(xml.utf8), url: url, maxEntries: 30).entries.map(\.url.string) == streamed)

        var none = 0
        #expect(throws: DiscoveryError.notASitemap(root: "plain text")) {
            try SitemapParser.read(Array("https://example.com/a\n".utf8), url: url, allowText: false) { _ in none += 1 }
        }
        #expect(throws: DiscoveryError.notASitemap(root: "html")) {
            try SitemapParser.read(Array("<html><a href='https://example.com/a'>a</a></html>".utf8), url: url) { _ in none += 1 }
        }
        #expect(none == 0)
    }

    @Test("text sitemap: one URL per line")
    func text() throws {
        let body = "\u{FEFF}https://example.com/a\r\nhttps://example.com/b\n\n# comment\nnot a url\nhttps://example.com/a\n"
        let map = try SitemapParser.parse(Array(body.utf8), url: CrawlURL("https://example.com/sitemap.txt")!)
        #expect(map.kind == .text)
        #expect(map.entries.map(\.url.string) == ["https://example.com/a", "https://example.com/b"])
    }

    @Test("a feed given as a sitemap yields its entries")
    func feedAsSitemap() throws {
        let rss = """
            <rss version="2.0"><channel><title>t</title>
            <item><link>https://example.com/story/1</link><pubDate>Thu, 28 Nov 2024 10:00:00 GMT</pubDate><title>One</title></item>
            </channel></rss>
            """
        let map = try SitemapParser.parse(Array(rss.utf8), url: CrawlURL("https://example.com/rss")!)
        #expect(map.kind == .feed)
        #expect(map.entries.map(\.url.string) == ["https://example.com/story/1"])
        #expect(map.entries[0].lastChanged.map(Timestamp.iso8601) == "2024-11-28T10:00:00Z")
    }

    @Test("bad input names what was wrong")
    func errors() {
        let url = Self.indexURL
        #expect(throws: DiscoveryError.empty) { try SitemapParser.parse([], url: url) }
        #expect(throws: DiscoveryError.notASitemap(root: "html")) {
            try SitemapParser.parse(Array("<html><head><title>404</title></head></html>".utf8), url: url)
        }
        #expect(throws: DiscoveryError.self) {
            try SitemapParser.parse([0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad, 0xbe, 0xef, 0, 0, 1, 2, 3], url: url)
        }
    }
}
