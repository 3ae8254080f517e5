import Foundation
import HeraldConfig
import Testing

@Suite("Crawl definitions (Crawls/<name>.yaml)")
struct CrawlDefinitionTests {
    /// The example from SPEC.md "Crawl definition", verbatim.
    static let specExample = #"""
        name: lbci                       # defaults to the file name
        schedule: every 15m              # or a 5-field cron expression: "*/15 * * * *"
        start: [https://www.lbcgroup.tv/news/world-news/en]   # pages to start link discovery from
        feeds: [https://www.lbcgroup.tv/Rss/latest-news/en]   # RSS/Atom; also discovered from <link rel=alternate>
        sitemaps: [https://www.lbcgroup.tv/sitemap.xml]       # sitemap, sitemap index, news sitemap, .gz; robots.txt Sitemap: lines too
        follow:                          # which discovered links to crawl
          allow: ['^https://www\.lbcgroup\.tv/news/']
          deny: ['/tags/', '\?page=\d{3,}']
          max_depth: 2
        articles:                        # which fetched pages are articles (others are only link sources)
          allow: ['/news/[a-z-]+/\d+/']
        limits: {max_pages: 2000, max_duration: 20m}
        politeness: {per_host_delay: 1s, per_host_concurrency: 2}   # overrides of the global values
        extract:                         # optional per-site overrides, XPath evaluated by libxml2
          body: '//div[@class="article-text"]'
          published: '//span[@class="date"]'
        """#

    func parse(_ yaml: String, file: String = "Crawls/site.yaml", name: String = "site") throws(ConfigurationError) -> CrawlDefinition {
        try CrawlDefinition.parse(yaml: yaml, file: file, defaultName: name)
    }

    @Test("the SPEC example parses into the values it states")
    func specExample() throws {
        let crawl = try parse(Self.specExample)
        #expect(crawl.name == "lbci")
        #expect(crawl.schedule == .every(.seconds(900)))
        #expect(crawl.start.map(\.absoluteString) == ["https://www.lbcgroup.tv/news/world-news/en"])
        #expect(crawl.feeds.map(\.absoluteString) == ["https://www.lbcgroup.tv/Rss/latest-news/en"])
        #expect(crawl.sitemaps.map(\.absoluteString) == ["https://www.lbcgroup.tv/sitemap.xml"])
        #expect(crawl.follow.rules.allow.map(\.source) == [#"^https://www\.lbcgroup\.tv/news/"#])
        #expect(crawl.follow.rules.deny.map(\.source) == ["/tags/", #"\?page=\d{3,}"#])
        #expect(crawl.follow.maxDepth == 2)
        #expect(crawl.articles.allow.map(\.source) == [#"/news/[a-z-]+/\d+/"#])
        #expect(crawl.limits == CrawlDefinition.Limits(maxPages: 2000, maxDuration: .seconds(1200)))
        #expect(crawl.politeness == CrawlDefinition.Politeness(perHostDelay: .seconds(1), perHostConcurrency: 2))
        #expect(crawl.extract.body == #"//div[@class="article-text"]"#)
        #expect(crawl.extract.published == #"//span[@class="date"]"#)
        #expect(crawl.extract.title == nil)
        #expect(crawl.skipOlderThanLastRun == false)
    }

    @Test("the source digest changes with the file text and nothing else")
    func sourceDigest() throws {
        let a = try parse("start: [https://a.example/]\n")
        let same = try parse("start: [https://a.example/]\n")
        let edited = try parse("start: [https://a.example/]  # comment\n")
        #expect(a.sourceDigest.count == 16)
        #expect(a.sourceDigest == same.sourceDigest)
        #expect(a.sourceDigest != edited.sourceDigest)
        #expect(a != edited)
    }

    @Test("follow and article rules decide which URLs are crawled and which are articles")
    func rules() throws {
        let crawl = try parse(Self.specExample)
        func url(_ s: String) -> URL { URL(string: s)! }
        #expect(crawl.shouldFollow(url("https://www.lbcgroup.tv/news/world-news/872345/x/en")))
        #expect(!crawl.shouldFollow(url("https://www.lbcgroup.tv/tags/politics")))
        #expect(!crawl.shouldFollow(url("https://www.lbcgroup.tv/news/world-news/en?page=1234")))
        #expect(crawl.shouldFollow(url("https://www.lbcgroup.tv/news/world-news/en?page=12")))
        #expect(!crawl.shouldFollow(url("https://example.org/news/")))
        #expect(crawl.isArticle(url("https://www.lbcgroup.tv/news/world-news/872345/x/en")))
        #expect(!crawl.isArticle(url("https://www.lbcgroup.tv/news/world-news/en")))
    }

    @Test("patterns accept the Python spellings the crawler accepts, and search anywhere in the URL")
    func pythonSpellings() throws {
        let crawl = try parse(#"""
            start: [https://a.example/]
            articles:
              allow: ['/(?P<year>\d{4})/(?P=year)-\d+\Z']
              deny: ['(?i)/VIDEO/']
            """#)
        #expect(crawl.isArticle(URL(string: "https://a.example/2026/2026-17")!))
        #expect(!crawl.isArticle(URL(string: "https://a.example/2026/2025-17")!))
        #expect(!crawl.isArticle(URL(string: "https://a.example/video/2026/2026-17")!))
        #expect(!crawl.isArticle(URL(string: "https://a.example/2026/2026-17/more")!))
    }

    @Test("minimal definition: name from the file, defaults for the rest, follow stays on the seed hosts")
    func minimal() throws {
        let crawl = try parse("feeds: https://news.example.org/rss.xml\n", name: "example")
        #expect(crawl.name == "example")
        #expect(crawl.feeds.map(\.absoluteString) == ["https://news.example.org/rss.xml"])
        #expect(crawl.schedule == Schedule.defaultSchedule)
        #expect(crawl.limits == CrawlDefinition.Limits())
        #expect(crawl.politeness == CrawlDefinition.Politeness())
        #expect(crawl.extract.isEmpty)
        #expect(crawl.shouldFollow(URL(string: "https://NEWS.example.org/a/b")!))
        #expect(!crawl.shouldFollow(URL(string: "https://ads.example.net/a")!))
        #expect(!crawl.shouldFollow(URL(string: "https://example.org/a")!))
        #expect(crawl.shouldFollow(URL(string: "https://video.news.example.org/a")!))
        let www = try parse("start: https://www.site.example/\n")
        #expect(www.shouldFollow(URL(string: "https://site.example/story")!))
        #expect(www.shouldFollow(URL(string: "https://edition.site.example/story")!))
        #expect(!www.shouldFollow(URL(string: "https://othersite.example/story")!))
        #expect(crawl.isArticle(URL(string: "https://news.example.org/anything")!))
    }

    @Test("schedules: every and cron; skip_older_than_last_run")
    func scheduleAndSkip() throws {
        let crawl = try parse("start: [http://a.example/]\nschedule: \"0 9 * * 1-5\"\nskip_older_than_last_run: true\n")
        #expect(crawl.schedule == .cron(try CronExpression(parsing: "0 9 * * 1-5")))
        #expect(crawl.skipOlderThanLastRun)
    }

    @Test("a definition without start, feeds or sitemaps is rejected")
    func nothingToCrawl() {
        let found = problems { try parse("name: x\nschedule: every 1h\n") }
        #expect(found.map(\.description) == ["Crawls/site.yaml:1: nothing to crawl: give at least one of start, feeds or sitemaps"])
        let empty = problems { try parse("") }
        #expect(empty.count == 1)
    }

    @Test("a bad regex is reported at its line")
    func badRegex() {
        let found = problems { try parse("start: [https://a.example/]\nfollow:\n  deny:\n    - '/ok/'\n    - '(unclosed'\n") }
        #expect(found.count == 1)
        #expect(found.first?.line == 5)
        #expect(found.first?.description.hasPrefix(#"Crawls/site.yaml:5: follow.deny: invalid regular expression "(unclosed""#) == true)
    }

    @Test("a bad XPath is reported at its line")
    func badXPath() {
        let found = problems { try parse("start: [https://a.example/]\nextract:\n  title: '//h1'\n  body: '//div[@class='\n") }
        #expect(found.map(\.description) == [#"Crawls/site.yaml:4: extract.body: invalid XPath expression "//div[@class=""#])
    }

    @Test("a bad cron expression is reported at its line")
    func badCron() {
        let found = problems { try parse("start: [https://a.example/]\nschedule: '*/15 25 * * *'\n") }
        #expect(found.map(\.description) == ["Crawls/site.yaml:2: schedule: cron hour 25 is out of range 0-23"])
        let unquoted = problems { try parse("start: [https://a.example/]\nschedule: */15 * * * *\n") }
        #expect(unquoted.first?.line == 2)
        #expect(unquoted.first?.message.contains("quote cron expressions") == true)
    }

    @Test("bad URLs are reported at their line: scheme, host, syntax")
    func badURLs() throws {
        let found = problems {
            try parse("""
                start:
                  - ftp://files.example/
                  - https://
                  - "http://exa mple.org/"
                feeds: [https://ok.example/rss]
                sitemaps: mailto:x@example.org
                """)
        }
        #expect(found.map(\.line) == [2, 3, 4, 6])
        try #require(found.count == 4)
        #expect(found[0].message == #"start: "ftp://files.example/" is not an http or https URL"#)
        #expect(found[1].message == #"start: "https://" has no host"#)
        #expect(found[2].message.hasPrefix(#"start: "http://exa mple.org/""#))
        #expect(found[3].message.hasPrefix("sitemaps:"))
    }

    @Test("every problem in one file is reported, nested unknown keys included")
    func manyProblems() throws {
        let found = problems {
            try parse("""
                name: "bad name/"
                schedule: every 0s
                start: [https://a.example/]
                feed: [https://a.example/rss]
                follow:
                  alow: ['x']
                  max_depth: -1
                articles: {deny: ['[z-a]']}
                limits: {max_pages: 0, max_duration: 20x}
                politeness: {per_host_delay: soon, per_host_concurrency: 0}
                extract: {authors: '//a[', published: '1'}
                skip_older_than_last_run: sometimes
                """)
        }
        #expect(found.map(\.line) == [1, 2, 4, 6, 7, 8, 9, 9, 10, 10, 11, 12])
        try #require(found.count == 12)
        #expect(found[2].message == #"unknown key "feed" (did you mean "feeds"?)"#)
        #expect(found[3].message == #"unknown key "follow.alow" (did you mean "allow"?)"#)
        #expect(found.filter { $0.message.hasPrefix("extract.") }.count == 1)  // "1" is a valid XPath
    }
}
