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
        #expect(a.pathAndQuery == "/a/b?a=2&z=1")
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
            #expect(url.url.absoluteString == expected, "\(input)")
            #expect(CrawlURL(url.url) == url, "\(input)")
            if let viaFoundation = URL(string: expected) {
                #expect(CrawlURL(viaFoundation)?.string == expected, "\(input)")
            }
        }
    }

    @Test("Codable round-trips through the normalized string")
    func codable() throws {
        let url = try #require(CrawlURL("https://Example.com/a?b=1&a=2"))
        let data = try JSONEncoder().encode([url])
        #expect(try JSONDecoder().decode([CrawlURL].self, from: data) == [url])
        #expect(try JSONDecoder().decode([String].self, from: data) == ["https://example.com/a?a=2&b=1"])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([CrawlURL].self, from: Data(#"["mailto:x@y"]"#.utf8))
        }
    }
}
