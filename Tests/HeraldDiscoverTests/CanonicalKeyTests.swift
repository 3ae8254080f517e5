import Testing
@testable import HeraldDiscover

@Suite("CanonicalKey: AMP and rel=canonical collapse")
struct CanonicalKeyTests {
    /// (URL as linked, key it must collapse onto)
    static let ampVariants: [(String, String)] = [
        ("https://www.aljazeera.com/amp/news/2024/11/28/ceasefire", "https://www.aljazeera.com/news/2024/11/28/ceasefire"),
        ("https://www.example.com/news/story-1/amp", "https://www.example.com/news/story-1"),
        ("https://www.example.com/news/story-1/amp/", "https://www.example.com/news/story-1/"),
        ("https://www.bbc.com/news/world-europe-68123456.amp", "https://www.bbc.com/news/world-europe-68123456"),
        ("https://www.example.com/2024/11/story.amp.html", "https://www.example.com/2024/11/story.html"),
        ("https://www.example.com/story?amp", "https://www.example.com/story"),
        ("https://www.example.com/story?amp=1&id=4", "https://www.example.com/story?id=4"),
        ("https://www.example.com/story?outputType=amp", "https://www.example.com/story"),
        ("https://amp.theguardian.com/world/2024/nov/28/story", "https://www.theguardian.com/world/2024/nov/28/story"),
        ("https://www-example-com.cdn.ampproject.org/c/s/www.example.com/news/story-1",
         "https://www.example.com/news/story-1"),
        // not AMP: left alone
        ("https://www.example.com/tags/amplifiers", "https://www.example.com/tags/amplifiers"),
        ("https://www.example.com/story?amp=0", "https://www.example.com/story?amp=0"),
        ("https://amp.com/story", "https://amp.com/story"),
        ("https://www.example.com/a//b", "https://www.example.com/a//b"),
    ]

    @Test("AMP spellings collapse onto the plain article", arguments: ampVariants)
    func amp(linked: String, key: String) throws {
        let url = try #require(CrawlURL(linked))
        #expect(CanonicalKey.key(for: url).string == key)
    }

    @Test("AMP page and plain page get the same key once fetched")
    func ampPageAndPlainPage() throws {
        let plain = try #require(CrawlURL("https://www.theguardian.com/world/2024/nov/28/story"))
        let amp = try #require(CrawlURL("https://amp.theguardian.com/world/2024/nov/28/story"))
        // The AMP page's canonical link names the plain page.
        #expect(CanonicalKey.key(forPage: amp, canonical: plain) == CanonicalKey.key(forPage: plain, canonical: plain))
        #expect(CanonicalKey.key(forPage: plain, canonical: nil) == plain)
    }

    static let canonicalCases: [(page: String, canonical: String?, key: String)] = [
        // a tracking/ref variant collapses onto the canonical
        ("https://www.example.com/news/story-1?ref=home", "https://www.example.com/news/story-1",
         "https://www.example.com/news/story-1"),
        // same publisher, other host (mobile site, country domain)
        ("https://m.example.com/news/story-1", "https://www.example.com/news/story-1",
         "https://www.example.com/news/story-1"),
        ("https://www.bbc.com/news/articles/c0l5", "https://www.bbc.co.uk/news/articles/c0l5",
         "https://www.bbc.co.uk/news/articles/c0l5"),
        ("https://news.bbc.co.uk/x", "https://www.bbc.co.uk/x", "https://www.bbc.co.uk/x"),
        // another site claiming the article is not trusted
        ("https://www.example.com/news/story-1", "https://spam.other.net/story",
         "https://www.example.com/news/story-1"),
        // a canonical pointing at the home page is a template bug, ignored
        ("https://www.example.com/news/story-1", "https://www.example.com/",
         "https://www.example.com/news/story-1"),
        ("https://www.example.com/", "https://www.example.com/", "https://www.example.com/"),
        // a canonical that is itself an AMP URL still collapses
        ("https://www.example.com/news/story-1", "https://www.example.com/news/story-1/amp",
         "https://www.example.com/news/story-1"),
        // no canonical
        ("https://www.example.com/news/story-2", nil, "https://www.example.com/news/story-2"),
    ]

    @Test("rel=canonical is used when it stays on the same site", arguments: canonicalCases)
    func canonical(page: String, canonical: String?, key: String) throws {
        let url = try #require(CrawlURL(page))
        #expect(CanonicalKey.key(forPage: url, canonical: canonical.flatMap { CrawlURL($0) }).string == key)
    }

    @Test("registrable domain approximation")
    func site() {
        #expect(SiteIdentity.registrableDomain("www.bbc.co.uk") == "bbc.co.uk")
        #expect(SiteIdentity.registrableDomain("feeds.bbci.co.uk") == "bbci.co.uk")
        #expect(SiteIdentity.registrableDomain("www.lbcgroup.tv") == "lbcgroup.tv")
        #expect(SiteIdentity.registrableDomain("www.annahar.com.lb") == "annahar.com.lb")
        #expect(SiteIdentity.registrableDomain("example.com") == "example.com")
        #expect(SiteIdentity.brand("www.bbc.co.uk") == SiteIdentity.brand("www.bbc.com"))
        #expect(SiteIdentity.brand("www.bbc.co.uk") != SiteIdentity.brand("www.bbci.co.uk"))
        #expect(SiteIdentity.brand("127.0.0.1") != SiteIdentity.brand("10.0.0.1"))
        #expect(SiteIdentity.registrableDomain("[::1]") == "[::1]")
    }
}
