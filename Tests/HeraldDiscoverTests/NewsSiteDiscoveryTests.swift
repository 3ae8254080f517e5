import Foundation
import HeraldTestSupport
import HeraldXML
import Testing
@testable import HeraldDiscover

/// Discovery over the generated test news site (the one the crawl tests serve), read from disk:
/// everything the engine will see, without a server.
@Suite("Discovery on the generated news site")
struct NewsSiteDiscoveryTests {
    static let base = "http://127.0.0.1:8080"

    struct Site {
        let root: URL
        let articleURLs: [String]
        let disallowed: [String]

        func bytes(_ path: String) throws -> [UInt8] {
            Array(try Data(contentsOf: root.appendingPathComponent(String(path.drop { $0 == "/" }))))
        }
        func url(_ path: String) -> CrawlURL { CrawlURL(NewsSiteDiscoveryTests.base + path)! }
        func page(_ path: String) throws -> PageLinks {
            let file = path.hasSuffix("/") ? path + "index.html" : path
            return LinkExtractor.extract(from: try HTMLDocument(bytes: try bytes(file)), url: url(path))
        }
    }

    static func generate() async throws -> Site {
        let out = TestPaths.temporaryDirectory("herald-newssite")
        let script = try await ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"), [
            "python3", TestPaths.packageRoot.appendingPathComponent("Tests/HeraldTestSupport/Resources/newssite.py").path,
            "--out", out.path, "--base", base, "--articles", "60", "--corpus", TestPaths.corpus.path,
        ])
        try #require(script.status == 0, "newssite.py failed: \(script.stderr)")
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("manifest.json")))
        let dict = try #require(manifest as? [String: Any])
        let articles = try #require(dict["articles"] as? [[String: Any]]).compactMap { $0["url"] as? String }
        return Site(root: out, articleURLs: articles, disallowed: dict["disallowed"] as? [String] ?? [])
    }

    @Test("robots.txt, sitemap index, news sitemap, gzip urlset and the three feed formats")
    func listings() async throws {
        let site = try await Self.generate()
        defer { try? FileManager.default.removeItem(at: site.root) }
        let all = Set(site.articleURLs)

        let robots = RobotsPolicy.forResponse(status: 200, body: try site.bytes("/robots.txt"),
                                              url: site.url("/robots.txt"), userAgent: "herald/0.1")
        for u in site.disallowed { #expect(!robots.allows(CrawlURL(u)!)) }
        #expect(robots.allows(site.url("/news/world/")))
        #expect(robots.sitemaps == [site.url("/sitemap_index.xml")])

        let index = try SitemapParser.parse(try site.bytes("/sitemap_index.xml"), url: site.url("/sitemap_index.xml"))
        #expect(index.kind == .index)
        #expect(index.sitemaps.map(\.url.path) == ["/sitemaps/news.xml", "/sitemaps/articles-1.xml.gz"])

        let news = try SitemapParser.parse(try site.bytes("/sitemaps/news.xml"), url: site.url("/sitemaps/news.xml"))
        #expect(news.entries.count == min(100, all.count))
        #expect(news.entries.allSatisfy { $0.publicationDate != nil && $0.newsTitle != nil && all.contains($0.url.string) })

        let gz = try SitemapParser.parse(try site.bytes("/sitemaps/articles-1.xml.gz"),
                                         url: site.url("/sitemaps/articles-1.xml.gz"))
        #expect(Set(gz.entries.map(\.url.string)) == all)
        #expect(gz.entries.allSatisfy { $0.lastModified != nil })

        for (path, format) in [("/feeds/world.rss", Feed.Format.rss), ("/feeds/business.atom", .atom),
                               ("/feeds/tech.rdf", .rdf)] {
            let feed = try FeedParser.parse(try site.bytes(path), url: site.url(path))
            #expect(feed.format == format, "\(path)")
            #expect(!feed.entries.isEmpty, "\(path)")
            #expect(feed.skippedEntries == 0, "\(path)")
            #expect(feed.entries.allSatisfy { all.contains($0.url.string) && $0.lastChanged != nil }, "\(path)")
        }
    }

    @Test("pages: tracking, fragment and AMP variants collapse onto the article; feeds announced in <head>")
    func pages() async throws {
        let site = try await Self.generate()
        defer { try? FileManager.default.removeItem(at: site.root) }
        let all = Set(site.articleURLs)

        let home = try site.page("/index.html")
        #expect(home.feeds == [site.url("/feeds/world.rss")])
        let keys = Set(home.links.map { CanonicalKey.key(for: $0).string })
        // Each promoted story is linked plainly, with utm_ parameters, with #comments and as AMP:
        // all four are one key, and the key is the article's URL.
        let articleKeys = keys.filter { all.contains($0) }
        #expect(articleKeys.count == 20)
        #expect(!keys.contains { $0.contains("utm_") || $0.contains("/amp/") })

        let section = try site.page("/news/world/")
        #expect(section.feeds == [site.url("/feeds/world.rss")]) // each section announces its own feed
        #expect(section.links.contains(site.url("/news/world/page/2/")))

        let articlePath = try #require(site.articleURLs.first).dropFirst(Self.base.count)
        let article = try site.page(String(articlePath))
        let amp = try site.page("/amp" + articlePath)
        #expect(article.ampHTML == site.url("/amp" + articlePath))
        #expect(amp.ampHTML == nil)
        let articleKey = CanonicalKey.key(forPage: article.url, canonical: article.canonical)
        #expect(articleKey.string == Self.base + articlePath)
        #expect(CanonicalKey.key(forPage: amp.url, canonical: amp.canonical) == articleKey)
        #expect(CanonicalKey.key(for: amp.url) == articleKey, "known before fetching, too")
    }
}
