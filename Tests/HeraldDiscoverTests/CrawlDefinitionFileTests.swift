import Foundation
import HeraldConfig
import HeraldTestSupport
import HeraldXML
import Testing
@testable import HeraldDiscover

/// The shipped `Crawls/*.yaml` files, loaded the way `herald check` and the daemon load them,
/// and run against sample URLs of each site (none of them can be crawled here: no network).
@Suite("Shipped crawl definitions")
struct CrawlDefinitionFileTests {
    static let crawlsDirectory = TestPaths.packageRoot.appendingPathComponent("Crawls")

    static func load(_ name: String) throws -> CrawlDefinition {
        try CrawlDefinition.load(from: crawlsDirectory.appendingPathComponent("\(name).yaml"),
                                 displayName: "Crawls/\(name).yaml")
    }

    /// The same lists as HeraldDiscover's own rules, to check both agree on every sample.
    static func linkRules(_ rules: URLRules) throws -> LinkRules {
        try LinkRules(allow: rules.allow.map(\.source), deny: rules.deny.map(\.source))
    }

    static var fileNames: [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: crawlsDirectory.path)) ?? []
        return files.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
    }

    @Test("the five shipped sites are there")
    func shipped() {
        #expect(Self.fileNames == ["aljazeera", "bbc-world", "guardian-world", "lbci", "npr"])
    }

    @Test("each file loads without problems and crawls politely", arguments: fileNames)
    func wellFormed(name: String) throws {
        let definition = try Self.load(name)
        #expect(definition.name == name, "name must match the file name")

        let sources = definition.start + definition.feeds + definition.sitemaps
        #expect(!sources.isEmpty)
        for source in sources {
            let parsed = try #require(CrawlURL(source.absoluteString), "\(source) is not an http(s) URL")
            #expect(parsed.scheme == "https", "\(source)")
            #expect(parsed.string == source.absoluteString, "\(source) should be written in normalized form")
            #expect(!definition.isArticle(source), "\(source) is a listing, not an article")
        }
        #expect(!definition.articles.allow.isEmpty, "an article rule is needed, or every page becomes a record")
        #expect(!definition.follow.rules.allow.isEmpty, "follow rules keep the crawl on the site's news pages")
        #expect((1...3).contains(definition.follow.maxDepth))

        // Polite: at most every 15 minutes, a few hundred pages, one or two connections, a pause.
        let first = definition.schedule.nextFire(after: Date(timeIntervalSince1970: 1_732_788_000))
        let second = definition.schedule.nextFire(after: first)
        #expect(second.timeIntervalSince(first) >= 15 * 60, "\(definition.schedule)")
        #expect(definition.limits.maxPages <= 2000)
        #expect(definition.limits.maxDuration <= .seconds(30 * 60))
        #expect((1...2).contains(definition.politeness.perHostConcurrency ?? 0))
        #expect((definition.politeness.perHostDelay ?? .zero) >= .seconds(1))
    }

    /// (URL as linked, follow it?, is it an article?)
    typealias Case = (url: String, follow: Bool, article: Bool)

    static let sites: [(String, [Case])] = [
        ("lbci", [
            ("https://www.lbcgroup.tv/news/world-news/752100/putin-gives-north-koreas-kim-jong-un-a-russian-limo-as-a-gift/en", true, true),
            ("https://www.lbcgroup.tv/news/world-news/752037/en", true, true),
            ("https://www.lbcgroup.tv/news/lebanon-news/752098/en", true, true),
            ("https://www.lbcgroup.tv/news/world-news/en", true, false),
            ("https://www.lbcgroup.tv/news/world-news/en?page=2", true, false),
            ("https://www.lbcgroup.tv/news/world-news/en?page=120", false, false),
            ("https://www.lbcgroup.tv/news/world-news/752100/putin-limo/ar", false, false),
            ("https://www.lbcgroup.tv/tags/putin/en", false, false),
            ("https://www.lbcgroup.tv/live/en", false, false),
            ("https://www.lbcgroup.tv/privacy/en", false, false),
            ("https://twitter.com/intent/tweet", false, false),
        ]),
        ("bbc-world", [
            ("https://www.bbc.com/news/articles/c0l5xq0x8jgo?at_medium=RSS&at_campaign=rss", true, true),
            ("https://www.bbc.co.uk/news/articles/c0l5xq0x8jgo", true, true),
            ("https://www.bbc.co.uk/news/world-europe-68123456", true, true),
            ("https://www.bbc.com/news/world-middle-east-67890123", true, true),
            ("https://www.bbc.com/news/world", true, false),
            ("https://www.bbc.com/news/world/europe", true, false),
            ("https://www.bbc.com/news/uk-politics-68123456", false, true),
            ("https://www.bbc.com/news/live/c1234abcd", false, false),
            ("https://www.bbc.com/news/videos/c9x8y7z6", false, false),
            ("https://www.bbc.com/news/av/world-68123456", false, false),
            ("https://www.bbc.com/news/topics/c1vw6q14rzqt", false, false),
            ("https://www.bbc.com/sport/football/articles/c1234", false, false),
            ("https://www.bbc.co.uk/iplayer/episode/m001", false, false),
        ]),
        ("guardian-world", [
            ("https://www.theguardian.com/world/2024/nov/28/georgia-suspends-eu-accession-talks", true, true),
            ("https://www.theguardian.com/world/2024/nov/28/georgia-suspends-eu-accession-talks?CMP=share_btn_tw", true, true),
            ("https://www.theguardian.com/us-news/2024/nov/28/thanksgiving-travel", true, true),
            ("https://www.theguardian.com/commentisfree/2024/nov/28/an-opinion", false, true),
            ("https://www.theguardian.com/world/live/2024/nov/28/ukraine-war-live", false, false),
            ("https://www.theguardian.com/world/video/2024/nov/28/a-video", false, false),
            ("https://www.theguardian.com/world/gallery/2024/nov/28/photos", false, false),
            ("https://www.theguardian.com/world", true, false),
            ("https://www.theguardian.com/world/europe-news", true, false),
            ("https://www.theguardian.com/world/all", false, false),
            ("https://www.theguardian.com/world?page=2", false, false),
            ("https://www.theguardian.com/profile/jane-doe", false, false),
            ("https://www.theguardian.com/football/2024/nov/28/match-report", false, true),
        ]),
        ("aljazeera", [
            ("https://www.aljazeera.com/news/2024/11/28/israel-hezbollah-ceasefire-holds", true, true),
            ("https://www.aljazeera.com/features/2024/11/27/a-long-read", true, true),
            ("https://www.aljazeera.com/opinions/2024/11/27/an-opinion/", true, true),
            ("https://www.aljazeera.com/economy/2024/1/5/oil-prices", true, true),
            ("https://www.aljazeera.com/news/", true, false),
            ("https://www.aljazeera.com/news/liveblog/2024/11/28/russia-ukraine-live", false, false),
            ("https://www.aljazeera.com/tag/ukraine-russia-crisis/", false, false),
            ("https://www.aljazeera.com/program/the-take/2024/11/28/an-episode", false, false),
            ("https://www.aljazeera.com/video/newsfeed/2024/11/28/a-clip", false, false),
            ("https://www.aljazeera.com/amp/news/2024/11/28/israel-hezbollah-ceasefire-holds", false, false),
        ]),
        ("npr", [
            ("https://www.npr.org/2024/11/28/nx-s1-5208373/israel-hezbollah-ceasefire", true, true),
            ("https://www.npr.org/2023/05/01/1173000000/sudan-evacuation", true, true),
            ("https://www.npr.org/sections/goatsandsoda/2024/11/27/g-s1-35620/malaria-vaccine", true, true),
            ("https://www.npr.org/sections/world/", true, false),
            ("https://www.npr.org/sections/world/archive?start=20", false, false),
            ("https://www.npr.org/podcasts/510289/planet-money", false, false),
            ("https://www.npr.org/transcripts/1173000000", false, false),
            ("https://www.npr.org/people/2100345/jane-doe", false, false),
            ("https://www.npr.org/programs/morning-edition/2024/11/28/nx-s1-1/morning-edition", false, false),
        ]),
    ]

    @Test("follow and article rules do what each site needs", arguments: sites)
    func siteTable(name: String, cases: [Case]) throws {
        let definition = try Self.load(name)
        let follow = try Self.linkRules(definition.follow.rules)
        let articles = try Self.linkRules(definition.articles)
        for c in cases {
            // The engine matches the normalized URL.
            let url = try #require(CrawlURL(c.url), "\(c.url)")
            let foundation = try #require(URL(string: url.string))
            #expect(definition.shouldFollow(foundation) == c.follow, "\(name) follow \(url)")
            #expect(definition.isArticle(foundation) == c.article, "\(name) article \(url)")
            #expect(follow.matches(url) == c.follow, "LinkRules: \(name) follow \(url)")
            #expect(articles.matches(url) == c.article, "LinkRules: \(name) article \(url)")
        }
    }

    @Test("lbci rules on the seed page's real links: articles found, tags and share links left alone")
    func lbciSeedPage() throws {
        let definition = try Self.load("lbci")
        let page = CrawlURL(
            "https://www.lbcgroup.tv/news/world-news/752100/putin-gives-north-koreas-kim-jong-un-a-russian-limo-as-a-gift/en")!
        let bytes = try Data(contentsOf: TestPaths.corpus.appendingPathComponent("seed/lbci-putin-limo.html"))
        let links = LinkExtractor.extract(from: try HTMLDocument(bytes: Array(bytes)), url: page)
        let followed = links.links.filter { definition.shouldFollow(URL(string: $0.string)!) }
        let articles = followed.filter { definition.isArticle(URL(string: $0.string)!) }.map(\.path)
        #expect(articles.count == 6)
        #expect(Set(articles) == [
            "/news/world-news/752101/navalnys-mother-appeals-to-putin/en",
            "/news/world-news/752099/pretoria-israeli-apartheid/en",
            "/news/world-news/752037/en",
            "/news/lebanon-news/752098/en",
            "/news/lebanon-news/752050/en",
            "/news/lebanon-news/752041/en",
        ])
        #expect(!followed.contains { $0.path.hasPrefix("/tags/") })
        #expect(followed.allSatisfy { $0.host == "www.lbcgroup.tv" })
        #expect(definition.isArticle(URL(string: page.string)!))
    }
}
