import Testing
@testable import HeraldDiscover

@Suite("RobotsPolicy (RFC 9309)")
struct RobotsPolicyTests {
    static let robotsURL = CrawlURL("https://www.example.com/robots.txt")!

    static func policy(_ text: String, agent: String = "herald/0.1 (+https://example.org/herald)") -> RobotsPolicy {
        RobotsPolicy(parsing: Array(text.utf8), url: robotsURL, userAgent: agent)
    }

    static func allows(_ policy: RobotsPolicy, _ path: String) -> Bool {
        policy.allows(CrawlURL(path, relativeTo: robotsURL)!)
    }

    /// The example file of RFC 9309 section 5.1.
    static let rfcExample = """
        User-Agent: *
        Disallow: *.gif$
        Disallow: /example/
        Allow: /publications/

        User-Agent: foobot
        Disallow:/
        Allow:/example/page.html
        Allow:/example/allowed.gif

        User-Agent: barbot
        User-Agent: bazbot
        Disallow: /example/page.html

        User-Agent: quxbot

        EOF
        """

    static let rfcCases: [(agent: String, path: String, allowed: Bool)] = [
        ("foobot", "/example/page.html", true),
        ("foobot", "/example/allowed.gif", true),
        ("foobot", "/example/other.html", false),
        ("foobot", "/", false),
        ("FooBot/2.1", "/publications/", false),
        ("barbot", "/example/page.html", false),
        ("bazbot", "/example/page.html", false),
        ("bazbot", "/example/", true),
        ("quxbot", "/example/page.html", true),
        ("quxbot", "/a.gif", true),
        ("herald/0.1", "/a.gif", false),
        ("herald/0.1", "/a.gif?x=1", true),
        ("herald/0.1", "/example/page.html", false),
        ("herald/0.1", "/publications/2024", true),
        ("herald/0.1", "/news/today", true),
    ]

    @Test("the RFC 9309 example file: groups by product token, * fallback, empty groups",
          arguments: rfcCases)
    func rfcExampleFile(agent: String, path: String, allowed: Bool) {
        #expect(Self.allows(Self.policy(Self.rfcExample, agent: agent), path) == allowed)
    }

    static let precedence: [(rules: String, path: String, allowed: Bool)] = [
        // RFC 9309 5.2: most octets wins
        ("Allow: /example/page/\nDisallow: /example/page/disallowed.gif", "/example/page/", true),
        ("Allow: /example/page/\nDisallow: /example/page/disallowed.gif", "/example/page/disallowed.gif", false),
        // equal length: Allow wins, whatever the order
        ("Disallow: /page\nAllow: /page", "/page", true),
        ("Allow: /page\nDisallow: /page", "/page", true),
        // wildcards (Google's documented examples)
        ("Allow: /$\nDisallow: /", "/", true),
        ("Allow: /$\nDisallow: /", "/page.htm", false),
        ("Allow: /page\nDisallow: /*.html", "/page.html", false),
        ("Allow: /page\nDisallow: /*.html", "/page.php", true),
        ("Disallow: /*.php$", "/index.php", false),
        ("Disallow: /*.php$", "/index.php?x=1", true),
        ("Disallow: /*.php$", "/index.php5", true),
        ("Disallow: /fish*", "/fishheads/yummy.html", false),
        ("Disallow: /fish*", "/Fish.asp", true),
        ("Disallow: /*?", "/search?q=x", false),
        ("Disallow: /*?", "/search", true),
        ("Disallow: /a*b*c$", "/a-x-b-y-c", false),
        ("Disallow: /a*b*c$", "/a-x-b-y-c-d", true),
        ("Disallow: /a$b", "/a$b/c", false),
        ("Disallow: /**/x", "/1/2/x", false),
        // empty Disallow allows everything; a bare path without a slash gets one
        ("Disallow:", "/anything", true),
        ("Disallow: private", "/private/x", false),
        // percent-encoding normalized on both sides (RFC 9309 2.2.2)
        ("Disallow: /foo/bar/\u{30C4}", "/foo/bar/%E3%83%84", false),
        ("Disallow: /foo/bar/%e3%83%84", "/foo/bar/\u{30C4}", false),
        ("Disallow: /foo/bar/%62%61%7A", "/foo/bar/baz", false),
        ("Disallow: /a%3cb", "/a%3Cb", false),
        // literal * and $ are named by their escapes (RFC 9309 2.2.3)
        ("Disallow: /path/file-with-a-%2A.html", "/path/file-with-a-*.html", false),
        ("Disallow: /path/foo-%24", "/path/foo-$", false),
        ("Disallow: /path/foo-%24", "/path/foo-", true),
        // query order: rules see the parameters in the site's order, not the key's sorted one
        ("Disallow: /search?q=", "/search?q=news&page=2", false),
        ("Disallow: /search?q=", "/search?page=2&sort=new", true),
        ("Disallow: /search\nAllow: /search?q=*&page=", "/search?q=news&page=2", true),
        ("Disallow: /search\nAllow: /search?q=*&page=", "/search?page=2&q=news", false),
        // robots.txt itself is always allowed
        ("Disallow: /", "/robots.txt", true),
    ]

    @Test("longest match, Allow wins ties, * and $, percent-encoding", arguments: precedence)
    func ruleMatching(rules: String, path: String, allowed: Bool) {
        let policy = Self.policy("User-agent: *\n" + rules)
        #expect(Self.allows(policy, path) == allowed)
    }

    /// Whatever order a link gives its parameters in, the rules are matched against exactly that
    /// order: every permutation of three parameters gets the answer its own request line gets.
    @Test func rulesMatchTheQueryInTheOrderTheSiteLinkedIt() {
        let policy = Self.policy("User-agent: *\nDisallow: /list\nAllow: /list?a=1&b=2\nDisallow: /list?c=3&a=1\n")
        let params = ["a=1", "b=2", "c=3"]
        let orders = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]]
        for order in orders {
            let target = "/list?" + order.map { params[$0] }.joined(separator: "&")
            let url = CrawlURL(target, relativeTo: Self.robotsURL)!
            #expect(url.pathAndQuery == target)
            #expect(policy.allows(url) == policy.allows(path: target), "\(target)")
        }
        #expect(policy.allows(CrawlURL("/list?a=1&b=2&c=3", relativeTo: Self.robotsURL)!))
        #expect(!policy.allows(CrawlURL("/list?c=3&a=1&b=2", relativeTo: Self.robotsURL)!))
    }

    /// A byte-order mark, whole or cut short, before the first line never costs that line's group.
    @Test(arguments: [[0xEF, 0xBB, 0xBF], [0xEF, 0xBB], [0xEF]] as [[UInt8]])
    func byteOrderMarkOrPartOfOneIsIgnored(mark: [UInt8]) {
        let body = mark + Array("User-agent: herald\nDisallow: /private/\n\nUser-agent: *\nDisallow: /\n".utf8)
        let policy = RobotsPolicy(parsing: body, url: Self.robotsURL, userAgent: "herald/0.1")
        #expect(!Self.allows(policy, "/private/x"))
        #expect(Self.allows(policy, "/news/1"))
    }

    @Test("our group is found by product token, case-insensitively, also in a Mozilla-style agent")
    func productToken() {
        let text = """
            User-agent: Googlebot
            Disallow: /

            User-agent: HERALD/2.0
            Disallow: /private/
            Crawl-delay: 2.5

            User-agent: *
            Disallow: /
            Crawl-delay: 30
            """
        for agent in ["herald", "herald/0.1 (+https://example.org)", "Mozilla/5.0 (compatible; herald/0.1; +https://x)"] {
            let p = Self.policy(text, agent: agent)
            #expect(Self.allows(p, "/news/1"), "\(agent)")
            #expect(!Self.allows(p, "/private/1"), "\(agent)")
            #expect(p.crawlDelay == 2.5, "\(agent)")
        }
        #expect(RobotsPolicy.productToken(fromUserAgent: "Mozilla/5.0 (compatible; herald/0.1)") == "herald")
        let other = Self.policy(text, agent: "otherbot/1.0")
        #expect(!Self.allows(other, "/news/1"))
        #expect(other.crawlDelay == 30)
        // "heraldic" is another product, not ours
        #expect(!Self.allows(Self.policy("User-agent: heraldic\nAllow: /\nUser-agent: *\nDisallow: /"), "/x"))
    }

    @Test("groups for one agent are merged; rules before any User-agent are ignored")
    func groupMerging() {
        let text = """
            Disallow: /ignored/
            User-agent: herald
            Disallow: /a/
            User-agent: other
            Disallow: /b/
            User-agent: herald
            Disallow: /c/
            """
        let p = Self.policy(text)
        #expect(!Self.allows(p, "/a/1"))
        #expect(Self.allows(p, "/b/1"))
        #expect(!Self.allows(p, "/c/1"))
        #expect(Self.allows(p, "/ignored/1"))
    }

    @Test("comments, CRLF, BOM, odd spacing, key typos and unknown lines")
    func lexical() {
        let text = "\u{FEFF}# robots for example.com\r\nUSER-AGENT :  *   # everyone\r\n"
            + "  disallow :/tmp/  # scratch\r\nDissallow: /old/\r\nNoindex: /x/\r\nfoo bar\r\nAllow: /tmp/public/\r"
        let p = Self.policy(text)
        #expect(!Self.allows(p, "/tmp/x"))
        #expect(!Self.allows(p, "/old/x"))
        #expect(Self.allows(p, "/tmp/public/x"))
        #expect(Self.allows(p, "/x/y"))
    }

    @Test("Sitemap lines are collected from anywhere in the file and resolved")
    func sitemaps() {
        let text = """
            Sitemap: https://www.example.com/sitemap_index.xml
            User-agent: *
            Disallow: /search
            Sitemap: https://www.example.com/news-sitemap.xml.gz
            sitemap: /relative-sitemap.xml
            Sitemap: https://www.example.com/sitemap_index.xml
            Sitemap: ftp://nope/
            """
        #expect(Self.policy(text).sitemaps.map(\.string) == [
            "https://www.example.com/sitemap_index.xml",
            "https://www.example.com/news-sitemap.xml.gz",
            "https://www.example.com/relative-sitemap.xml",
        ])
        #expect(!Self.allows(Self.policy(text), "/search?q=x"))
    }

    @Test("a non-numeric Crawl-delay is ignored")
    func badCrawlDelay() {
        #expect(Self.policy("User-agent: *\nCrawl-delay: soon\nDisallow: /x").crawlDelay == nil)
        #expect(Self.policy("User-agent: *\nCrawl-delay: 10").crawlDelay == 10)
    }

    @Test("only the first 500 KiB are parsed, never half a rule")
    func sizeCap() {
        var text = "User-agent: *\nDisallow: /early/\n"
        let filler = "# " + String(repeating: "x", count: 1000) + "\n"
        while text.utf8.count + filler.utf8.count < RobotsPolicy.maxBytes - 100 { text += filler }
        text += "#" + String(repeating: "y", count: RobotsPolicy.maxBytes - 17 - text.utf8.count) + "\n"
        #expect(text.utf8.count == RobotsPolicy.maxBytes - 15)
        text += "Disallow: /verylongpathname/\nDisallow: /late/\n"
        let p = Self.policy(text)
        #expect(!Self.allows(p, "/early/1"))
        #expect(Self.allows(p, "/late/1"))
        // The rule cut by the cap is dropped, not shortened to "/very"
        #expect(Self.allows(p, "/very"))
    }

    @Test("status codes: 2xx parse, 3xx/4xx allow all, 429/5xx/unreachable disallow all")
    func statusCodes() {
        let body = Array("User-agent: *\nDisallow: /private/".utf8)
        let page = CrawlURL("https://www.example.com/news/1")!
        let privatePage = CrawlURL("https://www.example.com/private/1")!
        func policy(_ status: Int?) -> RobotsPolicy {
            RobotsPolicy.forResponse(status: status, body: body, url: Self.robotsURL, userAgent: "herald")
        }
        #expect(policy(200).allows(page) && !policy(200).allows(privatePage))
        #expect(policy(200).basis == .parsed)
        for status in [301, 400, 401, 403, 404, 410] {
            #expect(policy(status).allows(privatePage), "\(status)")
            #expect(policy(status).basis == .unavailable)
        }
        for status: Int? in [429, 500, 502, 503, nil] {
            #expect(!policy(status).allows(page), "\(String(describing: status))")
            #expect(policy(status).basis == .unreachable)
            #expect(policy(status).allows(Self.robotsURL))
        }
    }

    @Test("an empty or HTML body allows everything")
    func emptyBody() {
        #expect(Self.allows(Self.policy(""), "/x"))
        #expect(Self.allows(Self.policy("<html><body>Not found</body></html>"), "/x"))
    }
}
