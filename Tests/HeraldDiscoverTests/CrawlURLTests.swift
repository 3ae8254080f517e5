import Foundation
import Testing
@testable import HeraldDiscover

@Suite("CrawlURL normalization")
struct CrawlURLTests {
    /// (input, expected normalized form); nil = rejected.
    static let absolute: [(String, String?)] = [
        ("HTTPS://WWW.LBCGroup.TV/news/world-news/en", "https://www.lbcgroup.tv/news/world-news/en"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("http://example.com:443/a", "http://example.com:443/a"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com/a#section-2", "https://example.com/a"),
        ("https://example.com/a?#x", "https://example.com/a"),
        ("https://example.com./a", "https://example.com/a"),
        // tracking parameters dropped, the rest sorted by key, repeated keys keep their order
        ("https://example.com/story?utm_source=tw&utm_medium=social&id=5", "https://example.com/story?id=5"),
        ("https://example.com/s?fbclid=IwAR0x&gclid=abc&mc_cid=1&mc_eid=2&igshid=3&ref_src=twsrc", "https://example.com/s"),
        ("https://example.com/s?b=2&a=1&c=3", "https://example.com/s?a=1&b=2&c=3"),
        ("https://example.com/s?tag=b&x=1&tag=a", "https://example.com/s?tag=b&tag=a&x=1"),
        ("https://example.com/s?UTM_Campaign=x&page=2", "https://example.com/s?page=2"),
        ("https://example.com/s?a=1&&b=2&", "https://example.com/s?a=1&b=2"),
        ("https://www.bbc.com/news/articles/c0abc?at_medium=RSS&at_campaign=rss", "https://www.bbc.com/news/articles/c0abc"),
        ("https://www.theguardian.com/world/2024/nov/28/x?CMP=share_btn_tw", "https://www.theguardian.com/world/2024/nov/28/x"),
        // dot segments
        ("https://example.com/a/b/../c/./d", "https://example.com/a/c/d"),
        ("https://example.com/../../a", "https://example.com/a"),
        ("https://example.com/a/%2E%2E/b", "https://example.com/b"),
        ("https://example.com/a/.", "https://example.com/a/"),
        // percent-encoding: unreserved decoded, others upper-cased, raw bytes encoded
        ("https://example.com/%7euser/%61bc", "https://example.com/~user/abc"),
        ("https://example.com/a%2fb%3f", "https://example.com/a%2Fb%3F"),
        ("https://example.com/caf\u{E9} au lait", "https://example.com/caf%C3%A9%20au%20lait"),
        ("https://example.com/caf%c3%a9", "https://example.com/caf%C3%A9"),
        ("https://example.com/100%", "https://example.com/100%25"),
        ("https://example.com/q?s=a b&t={x}", "https://example.com/q?s=a%20b&t=%7Bx%7D"),
        ("https://example.com/q?tags[]=a&tags%5b%5d=b", "https://example.com/q?tags%5B%5D=a&tags%5B%5D=b"),
        // sloppy hrefs as browsers accept them
        ("  https://example.com/a\n/b\t ", "https://example.com/a/b"),
        ("https:\\\\example.com\\a\\b", "https://example.com/a/b"),
        ("https:/example.com/a", "https://example.com/a"),
        ("https:///example.com/a", "https://example.com/a"),
        ("http://user:pw@Example.com/", "http://user:pw@example.com/"),
        ("https://b\u{FC}cher.example/a", "https://xn--bcher-kva.example/a"),
        ("https://\u{4F8B}\u{3048}.\u{30C6}\u{30B9}\u{30C8}/", "https://xn--r8jz45g.xn--zckzah/"),
        ("https://[2001:DB8::1]:8080/x", "https://[2001:db8::1]:8080/x"),
        // rejected
        ("mailto:news@example.com", nil),
        ("javascript:window.print()", nil),
        ("ftp://example.com/file", nil),
        ("data:text/html,hi", nil),
        ("https://", nil),
        ("https://exa mple.com/", nil),
        ("https://example.com:99999/", nil),
        ("https://example.com:8o/", nil),
        ("/relative/without/base", nil),
    ]

    /// Hosts are mapped as UTS #46 says (what browsers do) before punycoding: full-width forms
    /// folded, upper case lowered, ideographic and full-width full stops separate labels, and
    /// soft hyphens and zero-width characters vanish; a host that maps to a forbidden
    /// character is rejected rather than guessed.
    static let mappedHosts: [(String, String?)] = [
        ("https://\u{FF25}\u{FF38}\u{FF21}\u{FF2D}\u{FF30}\u{FF2C}\u{FF25}\u{FF0E}\u{FF43}\u{FF4F}\u{FF4D}/a", "https://example.com/a"),
        ("https://news\u{FF11}\u{FF12}\u{3002}example\u{FF61}com/", "https://news12.example.com/"),
        ("https://exam\u{00AD}ple.com/", "https://example.com/"),
        ("https://ex\u{200B}am\u{200C}pl\u{200D}e\u{2060}.com\u{FEFF}/", "https://example.com/"),
        ("https://b\u{FC}cher\u{3002}de/", "https://xn--bcher-kva.de/"),
        ("https://\u{FF42}\u{FC}\u{FF43}\u{FF48}\u{FF45}\u{FF52}.de/", "https://xn--bcher-kva.de/"),
        ("https://B\u{DC}CHER.de/", "https://xn--bcher-kva.de/"),
        ("https://%EF%BC%A5xample.com/", "https://example.com/"),
        ("https://\u{4F8B}\u{3048}\u{3002}\u{30C6}\u{30B9}\u{30C8}/", "https://xn--r8jz45g.xn--zckzah/"),
        ("https://a\u{FF0F}b.com/", nil),
        ("https://a\u{FF03}b.com/", nil),
    ]

    @Test(arguments: mappedHosts)
    func hostsAreMappedAsBrowsersMapThem(input: String, expected: String?) {
        #expect(CrawlURL(input)?.string == expected)
    }

    /// The key sorts parameters; the request keeps the link's order, through every way a link
    /// can carry a query (absolute, relative to a page, query-only, inherited by a fragment link).
    @Test func requestKeepsTheLinkOrderWhileTheKeySortsIt() throws {
        let base = try #require(CrawlURL("https://example.com/list/page.html?z=9&y=8"))
        #expect(base.string == "https://example.com/list/page.html?y=8&z=9")
        #expect(base.requestString == "https://example.com/list/page.html?z=9&y=8")
        let cases: [(String, String)] = [
            ("https://example.com/s?q=news&page=2&utm_source=x", "https://example.com/s?q=news&page=2"),
            ("other.html?b=2&a=1", "https://example.com/list/other.html?b=2&a=1"),
            ("/root?b=2&a=1", "https://example.com/root?b=2&a=1"),
            ("?d=4&c=3", "https://example.com/list/page.html?d=4&c=3"),
            ("#part", "https://example.com/list/page.html?z=9&y=8"),
        ]
        for (link, request) in cases {
            let url = try #require(CrawlURL(link, relativeTo: base))
            #expect(url.requestString == request, "\(link)")
            #expect(url.url.absoluteString == request)
            // One key whatever the order.
            let swapped = try #require(CrawlURL(request))
            #expect(swapped == url)
        }
        let decoded = try JSONDecoder().decode([CrawlURL].self, from: JSONEncoder().encode([base]))
        #expect(decoded[0].requestString == base.requestString && decoded[0] == base)
    }

    @Test("absolute URLs normalize to one spelling", arguments: absolute)
    func normalizes(input: String, expected: String?) {
        #expect(CrawlURL(input)?.string == expected)
    }

    static let page = CrawlURL("https://www.lbcgroup.tv/news/world-news/752100/putin-limo/en?x=1")!

    static let relative: [(String, String?)] = [
        ("/news/world-news/752101/navalnys-mother/en", "https://www.lbcgroup.tv/news/world-news/752101/navalnys-mother/en"),
        ("../752099/pretoria/en", "https://www.lbcgroup.tv/news/world-news/752100/752099/pretoria/en"),
        ("../../752099/pretoria/en", "https://www.lbcgroup.tv/news/world-news/752099/pretoria/en"),
        ("fr", "https://www.lbcgroup.tv/news/world-news/752100/putin-limo/fr"),
        ("?page=2", "https://www.lbcgroup.tv/news/world-news/752100/putin-limo/en?page=2"),
        ("#comments", "https://www.lbcgroup.tv/news/world-news/752100/putin-limo/en?x=1"),
        ("", "https://www.lbcgroup.tv/news/world-news/752100/putin-limo/en?x=1"),
        ("//cdn.example.com/a.js", "https://cdn.example.com/a.js"),
        ("http:other", "http://other/"),
        ("https:other", "https://www.lbcgroup.tv/news/world-news/752100/putin-limo/other"),
        ("https://Other.example/x", "https://other.example/x"),
        ("tel:+9611234", nil),
    ]

    @Test("relative references resolve against the page (RFC 3986 5.2)", arguments: relative)
    func resolves(href: String, expected: String?) {
        #expect(CrawlURL(href, relativeTo: Self.page)?.string == expected)
    }

    @Test("two spellings of one URL are equal and hash alike")
    func equality() throws {
        let a = try #require(CrawlURL("HTTP://Example.COM:80/a/./b?utm_source=x&z=1&a=2#top"))
        let b = try #require(CrawlURL("http://example.com/a/b?a=2&z=1"))
        #expect(a == b)
        #expect(Set([a, b]).count == 1)
        #expect(a.origin == "http://example.com")
        // The request line keeps the site's order; only the key sorts.
        #expect(a.pathAndQuery == "/a/b?z=1&a=2" && b.pathAndQuery == "/a/b?a=2&z=1")
        #expect(a.robotsURL.string == "http://example.com/robots.txt")
    }

    @Test("normalization is idempotent")
    func idempotent() {
        for (input, _) in Self.absolute {
            guard let once = CrawlURL(input) else { continue }
            #expect(CrawlURL(once.string)?.string == once.string, "\(input)")
        }
    }

    @Test("Foundation URLs convert both ways without changing the key")
    func foundation() throws {
        for (input, expected) in Self.absolute {
            guard let expected, let url = CrawlURL(input) else { continue }
            #expect(url.url.absoluteString == url.requestString, "\(input)")
            #expect(CrawlURL(url.url) == url && CrawlURL(url.url)?.string == expected, "\(input)")
            if let viaFoundation = URL(string: expected) {
                #expect(CrawlURL(viaFoundation)?.string == expected, "\(input)")
            }
        }
    }

    @Test("Codable round-trips through the request form, which keeps the key")
    func codable() throws {
        let url = try #require(CrawlURL("https://Example.com/a?b=1&a=2"))
        let data = try JSONEncoder().encode([url])
        #expect(try JSONDecoder().decode([CrawlURL].self, from: data) == [url])
        #expect(try JSONDecoder().decode([String].self, from: data) == ["https://example.com/a?b=1&a=2"])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([CrawlURL].self, from: Data(#"["mailto:x@y"]"#.utf8))
        }
    }
}
