import Foundation
import HeraldTestSupport
import HeraldXML
import Testing
@testable import HeraldDiscover

@Suite("LinkExtractor")
struct LinkExtractorTests {
    static let seedURL = CrawlURL(
        "https://www.lbcgroup.tv/news/world-news/752100/putin-gives-north-koreas-kim-jong-un-a-russian-limo-as-a-gift/en")!

    static func seedPage() throws -> HTMLDocument {
        let path = TestPaths.corpus.appendingPathComponent("seed/lbci-putin-limo.html")
        return try HTMLDocument(bytes: Array(try Data(contentsOf: path)))
    }

    @Test("the LBCI seed page: article links, canonical, RSS feed; no scripts, mail or share junk")
    func seedPageLinks() throws {
        let links = LinkExtractor.extract(from: try Self.seedPage(), url: Self.seedURL)
        let strings = links.links.map(\.string)
        #expect(strings.contains("https://www.lbcgroup.tv/news/world-news/752101/navalnys-mother-appeals-to-putin/en"))
        #expect(strings.contains("https://www.lbcgroup.tv/news/world-news/752037/en"))
        #expect(strings.contains("https://www.lbcgroup.tv/tags/putin/en"))
        #expect(strings.contains("https://www.lbcgroup.tv/"))
        #expect(!strings.contains { $0.hasPrefix("javascript") })
        #expect(!strings.contains(Self.seedURL.string), "self links and href=# are dropped")
        #expect(Set(strings).count == strings.count, "each link once")
        #expect(!strings.contains("https://www.lbcgroup.tv/Content/css/site.min.css?v=4.2"),
                "stylesheets are <link>, not links to follow")
        #expect(links.canonical == Self.seedURL)
        #expect(links.feeds.map(\.string) == ["https://www.lbcgroup.tv/Rss/latest-news/en"])
        #expect(!links.noFollow && !links.noIndex)
    }

    @Test("<base href>, <area>, rel=amphtml, Atom alternates, meta robots")
    func headLinks() throws {
        let html = """
            <!doctype html><html><head>
            <base href="https://static.example.com/news/">
            <link rel="canonical" href="/news/2024/11/28/story">
            <link rel="amphtml" href="https://www.example.com/amp/news/2024/11/28/story">
            <link rel="alternate" type="application/atom+xml" href="/feeds/atom.xml" title="Atom">
            <link rel="alternate" type="application/rss+xml" href="rss.xml">
            <link rel="alternate" hreflang="fr" href="https://fr.example.com/story">
            <link rel="alternate" type="application/rss+xml" href="/feeds/atom.xml">
            <meta name="ROBOTS" content="noindex, follow">
            <script>var a = '<a href="/not-a-link">';</script>
            </head><body>
            <a href="sport/1">relative to base</a>
            <a href=" /world/2 ">spaces</a>
            <map><area href="/map/3"></map>
            <a>no href</a>
            <a href="mailto:desk@example.com">mail</a>
            <a href="https://www.example.com/x?utm_source=home#top">tracked</a>
            <a href="https://www.example.com/x">same again</a>
            </body></html>
            """
        let page = CrawlURL("https://www.example.com/news/2024/11/28/story")!
        let links = LinkExtractor.extract(from: try HTMLDocument(html: html), url: page)
        #expect(links.base.string == "https://static.example.com/news/")
        #expect(links.links.map(\.string) == [
            "https://static.example.com/news/sport/1",
            "https://static.example.com/world/2",
            "https://static.example.com/map/3",
            "https://www.example.com/x",
        ])
        #expect(links.canonical?.string == "https://static.example.com/news/2024/11/28/story")
        #expect(links.ampHTML?.string == "https://www.example.com/amp/news/2024/11/28/story")
        #expect(links.feeds.map(\.string) == [
            "https://static.example.com/feeds/atom.xml",
            "https://static.example.com/news/rss.xml",
        ])
        #expect(links.noIndex && !links.noFollow)
    }

    @Test("meta robots none means noindex and nofollow")
    func robotsNone() throws {
        let doc = try HTMLDocument(html: "<html><head><meta name=robots content=NONE></head><body><a href=/a>a</a></body></html>")
        let links = LinkExtractor.extract(from: doc, url: CrawlURL("https://example.com/")!)
        #expect(links.noIndex && links.noFollow)
        #expect(links.links.map(\.string) == ["https://example.com/a"])
    }

    @Test("a meta refresh target is a link")
    func metaRefresh() throws {
        let doc = try HTMLDocument(html: "<html><head><meta http-equiv=Refresh content=\"0; URL='/news/2024/moved'\"></head><body></body></html>")
        let links = LinkExtractor.extract(from: doc, url: CrawlURL("https://example.com/old")!)
        #expect(links.links.map(\.string) == ["https://example.com/news/2024/moved"])
        #expect(LinkExtractor.refreshTarget("5;url=https://example.com/x") == "https://example.com/x")
        #expect(LinkExtractor.refreshTarget("30") == nil)
    }

    @Test("CanonicalKey.aliases covers the page key, the fetched URL and its AMP twin")
    func aliases() throws {
        let html = """
            <html><head><link rel="canonical" href="https://www.example.com/news/story-1">
            <link rel="amphtml" href="https://www.example.com/news/story-1/amp"></head><body></body></html>
            """
        let page = CrawlURL("https://www.example.com/news/story-1?ref=home")!
        let links = LinkExtractor.extract(from: try HTMLDocument(html: html), url: page)
        let requested = CrawlURL("http://example.com/news/story-1")!
        #expect(CanonicalKey.aliases(of: links, fetchedAs: requested).map(\.string) == [
            "https://www.example.com/news/story-1",
            "https://www.example.com/news/story-1?ref=home",
            "http://example.com/news/story-1",
        ])
    }
}
