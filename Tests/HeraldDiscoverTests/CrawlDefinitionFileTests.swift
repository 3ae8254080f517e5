import Foundation
import HeraldTestSupport
import HeraldXML
import Testing
import Yams
@testable import HeraldDiscover

/// The shipped `Crawls/*.yaml` files, checked against SPEC "Crawl definition" and against
/// sample URLs of each site (none of them can be crawled here: no network).
@Suite("Shipped crawl definitions")
struct CrawlDefinitionFileTests {
    static let crawlsDirectory = TestPaths.packageRoot.appendingPathComponent("Crawls")

    /// A crawl file's `follow` and `articles` rules, compiled.
    struct Rules {
        var follow: LinkRules
        var articles: LinkRules
        var yaml: [String: Any]
    }

    static func load(_ name: String) throws -> Rules {
        let url = crawlsDirectory.appendingPathComponent("\(name).yaml")
        let text = try String(contentsOf: url, encoding: .utf8)
        let yaml = try #require(try Yams.load(yaml: text) as? [String: Any], "\(name).yaml is not a mapping")
        let follow = yaml["follow"] as? [String: Any] ?? [:]
        let articles = yaml["articles"] as? [String: Any] ?? [:]
        return Rules(
            follow: try LinkRules(allow: follow["allow"] as? [String] ?? [], deny: follow["deny"] as? [String] ?? []),
            articles: try LinkRules(allow: articles["allow"] as? [String] ?? [],
                                    deny: articles["deny"] as? [String] ?? []),
            yaml: yaml)
    }

    static var fileNames: [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: crawlsDirectory.path)) ?? []
        return files.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
    }

    @Test("the five shipped sites are there")
    func shipped() {
        #expect(Self.fileNames == ["aljazeera", "bbc-world", "guardian-world", "lbci", "npr"])
    }

    static let topKeys: Set<String> = ["name", "schedule", "start", "feeds", "sitemaps", "follow", "articles",
                                       "limits", "politeness", "extract"]
    static let sectionKeys: [String: Set<String>] = [
        "follow": ["allow", "deny", "max_depth"], "articles": ["allow", "deny"],
        "limits": ["max_pages", "max_duration"], "politeness": ["per_host_delay", "per_host_concurrency"],
        "extract": ["title", "body", "published", "modified", "authors", "section", "tags", "image", "description"],
    ]

    @Test("each file follows SPEC 'Crawl definition': keys, schedule, URLs, regexes, durations",
          arguments: fileNames)
    func wellFormed(name: String) throws {
        let rules = try Self.load(name)
        let yaml = rules.yaml
        #expect(Set(yaml.keys).isSubset(of: Self.topKeys), "unknown keys: \(Set(yaml.keys).subtracting(Self.topKeys))")
        for (section, allowed) in Self.sectionKeys {
            if let map = yaml[section] {
                let keys = Set((map as? [String: Any] ?? [:]).keys)
                #expect(map is [String: Any] && keys.isSubset(of: allowed), "\(section): \(keys.subtracting(allowed))")
            }
        }
        #expect(yaml["name"] as? String == name, "name must match the file name")

        let schedule = try #require(yaml["schedule"] as? String)
        if schedule.hasPrefix("every ") {
            #expect(Self.isDuration(String(schedule.dropFirst(6))), "schedule \(schedule)")
        } else {
            #expect(schedule.split(separator: " ").count == 5, "cron needs 5 fields: \(schedule)")
        }

        var sources = 0
        for key in ["start", "feeds", "sitemaps"] {
            guard let list = yaml[key] else { continue }
            let urls = try #require(list as? [String], "\(key) must be a list of URLs")
            sources += urls.count
            for u in urls {
                let parsed = try #require(CrawlURL(u), "\(key): \(u) is not an http(s) URL")
                #expect(parsed.scheme == "https", "\(u)")
                #expect(parsed.string == u, "\(u) should be written in normalized form (\(parsed.string))")
                #expect(!rules.articles.matches(parsed), "\(key) \(u) is a listing, not an article")
            }
        }
        #expect(sources > 0, "needs at least one of start, feeds, sitemaps")

        let follow = try #require(yaml["follow"] as? [String: Any])
        let depth = try #require(follow["max_depth"] as? Int)
        #expect((1...3).contains(depth))
        #expect(!rules.articles.allow.isEmpty, "an article rule is needed, or every page becomes a record")

        let limits = try #require(yaml["limits"] as? [String: Any])
        #expect((limits["max_pages"] as? Int).map { $0 > 0 && $0 <= 2000 } == true)
        #expect((limits["max_duration"] as? String).map(Self.isDuration) == true)
        let politeness = try #require(yaml["politeness"] as? [String: Any])
        let delay = try #require(politeness["per_host_delay"] as? String)
        #expect(Self.isDuration(delay) && !delay.hasPrefix("0"), "a polite crawl waits between requests")
        #expect((politeness["per_host_concurrency"] as? Int).map { (1...2).contains($0) } == true)
    }

    static func isDuration(_ s: String) -> Bool {
        s.range(of: #"^\d+(ms|s|m|h|d)$"#, options: .regularExpression) != nil
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
        let rules = try Self.load(name)
        for c in cases {
            let url = try #require(CrawlURL(c.url), "\(c.url)")
            #expect(rules.follow.matches(url) == c.follow, "\(name) follow \(url)")
            #expect(rules.articles.matches(url) == c.article, "\(name) article \(url)")
        }
    }

    @Test("lbci rules on the seed page's real links: articles found, tags and share links left alone")
    func lbciSeedPage() throws {
        let rules = try Self.load("lbci")
        let page = CrawlURL(
            "https://www.lbcgroup.tv/news/world-news/752100/putin-gives-north-koreas-kim-jong-un-a-russian-limo-as-a-gift/en")!
        let bytes = try Data(contentsOf: TestPaths.corpus.appendingPathComponent("seed/lbci-putin-limo.html"))
        let links = LinkExtractor.extract(from: try HTMLDocument(bytes: Array(bytes)), url: page)
        let followed = links.links.filter(rules.follow.matches)
        let articles = followed.filter(rules.articles.matches).map(\.path)
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
        #expect(rules.articles.matches(page))
    }
}
