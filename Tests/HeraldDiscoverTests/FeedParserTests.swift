import Foundation
import HeraldXML
import Testing
@testable import HeraldDiscover
import HeraldFormats

@Suite("FeedParser: RSS 2.0, Atom, RDF")
struct FeedParserTests {
    static let bbcFeedURL = CrawlURL("https://feeds.bbci.co.uk/news/world/rss.xml")!

    /// Shaped like feeds.bbci.co.uk/news/world/rss.xml: CDATA, an <image> with its own <link>,
    /// atom:link rel=self, guid isPermaLink=false with a fragment, AT Internet tracking params.
    static let bbcRSS = """
        <?xml version="1.0" encoding="UTF-8"?>
        <?xml-stylesheet title="XSL_formatting" type="text/xsl" href="/shared/bsp/xsl/rss/nolsol.xsl"?>
        <rss xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:atom="http://www.w3.org/2005/Atom" version="2.0" xmlns:media="http://search.yahoo.com/mrss/">
          <channel>
            <title><![CDATA[BBC News]]></title>
            <description><![CDATA[BBC News - World]]></description>
            <link>https://www.bbc.co.uk/news/world</link>
            <image>
              <url>https://news.bbcimg.co.uk/nol/shared/img/bbc_news_120x60.gif</url>
              <title>BBC News</title>
              <link>https://www.bbc.co.uk/news/world</link>
            </image>
            <generator>RSS for Node</generator>
            <lastBuildDate>Thu, 28 Nov 2024 11:02:49 GMT</lastBuildDate>
            <atom:link href="https://feeds.bbci.co.uk/news/world/rss.xml" rel="self" type="application/rss+xml"/>
            <language><![CDATA[en-gb]]></language>
            <ttl>15</ttl>
            <item>
              <title><![CDATA[Israel-Hezbollah ceasefire largely holding]]></title>
              <description><![CDATA[Residents return to southern Lebanon.]]></description>
              <link>https://www.bbc.com/news/articles/c0l5xq0x8jgo?at_medium=RSS&amp;at_campaign=rss</link>
              <guid isPermaLink="false">https://www.bbc.com/news/articles/c0l5xq0x8jgo#0</guid>
              <pubDate>Thu, 28 Nov 2024 10:41:27 GMT</pubDate>
              <media:thumbnail width="240" height="135" url="https://ichef.bbci.co.uk/ace/standard/240/x.jpg"/>
            </item>
            <item>
              <title><![CDATA[Georgia suspends EU accession talks]]></title>
              <link>https://www.bbc.com/news/world-europe-68123456?at_medium=RSS&amp;at_campaign=rss</link>
              <guid isPermaLink="false">https://www.bbc.com/news/world-europe-68123456#2</guid>
              <pubDate>Thu, 28 Nov 2024 09:05:00 +0000</pubDate>
            </item>
            <item>
              <title>Same story again, different tracking</title>
              <link>https://www.bbc.com/news/articles/c0l5xq0x8jgo?at_medium=RSS&amp;at_campaign=other</link>
              <pubDate>Thu, 28 Nov 2024 10:41:27 GMT</pubDate>
            </item>
            <item>
              <title>No link at all</title>
              <description>Broken item</description>
            </item>
          </channel>
        </rss>
        """

    @Test("RSS 2.0: item links normalized, pubDate parsed, channel links ignored, duplicates and linkless items dropped")
    func rss() throws {
        let feed = try FeedParser.parse(Array(Self.bbcRSS.utf8), url: Self.bbcFeedURL)
        #expect(feed.format == .rss)
        #expect(feed.title == "BBC News")
        #expect(feed.entries.map(\.url.string) == [
            "https://www.bbc.com/news/articles/c0l5xq0x8jgo",
            "https://www.bbc.com/news/world-europe-68123456",
        ])
        #expect(feed.entries[0].title == "Israel-Hezbollah ceasefire largely holding")
        #expect(feed.entries[0].published.map(Timestamp.iso8601) == "2024-11-28T10:41:27Z")
        #expect(feed.entries[1].lastChanged.map(Timestamp.iso8601) == "2024-11-28T09:05:00Z")
        #expect(feed.skippedEntries == 1)
    }

    @Test("RSS: guid permalink, FeedBurner origLink, dc:date, relative links, ISO-8859-1")
    func rssVariants() throws {
        let xml = """
            <?xml version="1.0" encoding="ISO-8859-1"?>
            <rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0">
            <channel><title>Caf\u{E9} News</title><link>https://news.example.com/</link>
            <item><title>Guid only</title><guid>https://news.example.com/2024/11/28/guid-only</guid>
              <dc:date>2024-11-28T12:00:00+01:00</dc:date></item>
            <item><title>Behind a tracker</title><link>https://feedproxy.google.com/~r/example/~3/abc/</link>
              <feedburner:origLink>https://news.example.com/2024/11/28/original</feedburner:origLink></item>
            <item><title>Relative</title><link>/2024/11/28/relative</link></item>
            <item><title>Atom-style link</title><link href="https://news.example.com/2024/11/28/href"/></item>
            <item><title>Not a permalink</title><guid isPermaLink="false">https://news.example.com/?p=42</guid></item>
            </channel></rss>
            """
        let latin1 = Array(xml.data(using: .isoLatin1)!)
        let feed = try FeedParser.parse(latin1, url: CrawlURL("https://news.example.com/feed/")!)
        #expect(feed.title == "Caf\u{E9} News")
        #expect(feed.entries.map(\.url.string) == [
            "https://news.example.com/2024/11/28/guid-only",
            "https://news.example.com/2024/11/28/original",
            "https://news.example.com/2024/11/28/relative",
            "https://news.example.com/2024/11/28/href",
        ])
        #expect(feed.entries[0].published.map(Timestamp.iso8601) == "2024-11-28T11:00:00Z")
        #expect(feed.skippedEntries == 1)
    }

    @Test("Atom: rel=alternate preferred, xml:base, id as fallback, published/updated")
    func atom() throws {
        let xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://blog.example.org/">
              <title type="text">Example Blog</title>
              <link rel="self" href="/feed.atom"/>
              <link rel="alternate" href="/"/>
              <updated>2024-11-28T12:00:00Z</updated>
              <id>tag:example.org,2024:feed</id>
              <entry>
                <title>One</title>
                <link rel="replies" href="/2024/11/one#comments"/>
                <link rel="alternate" type="text/html" href="2024/11/one"/>
                <link rel="enclosure" href="/media/one.mp3"/>
                <id>tag:example.org,2024:1</id>
                <published>2024-11-28T09:00:00+01:00</published>
                <updated>2024-11-28T12:00:00+01:00</updated>
              </entry>
              <entry xml:base="https://other.example.org/posts/">
                <title>Two</title>
                <link href="two"/>
                <updated>2024-11-27T08:00:00Z</updated>
              </entry>
              <entry><title>No link</title><id>tag:example.org,2024:3</id></entry>
              <entry><title>Id is a URL</title><id>https://blog.example.org/2024/11/four</id></entry>
            </feed>
            """
        let feed = try FeedParser.parse(Array(xml.utf8), url: CrawlURL("https://blog.example.org/feed.atom")!)
        #expect(feed.format == .atom)
        #expect(feed.title == "Example Blog")
        #expect(feed.entries.map(\.url.string) == [
            "https://blog.example.org/2024/11/one",
            "https://other.example.org/posts/two",
            "https://blog.example.org/2024/11/four",
        ])
        #expect(feed.entries[0].published.map(Timestamp.iso8601) == "2024-11-28T08:00:00Z")
        #expect(feed.entries[0].lastChanged.map(Timestamp.iso8601) == "2024-11-28T11:00:00Z")
        #expect(feed.entries[1].published == nil)
        #expect(feed.entries[1].lastChanged.map(Timestamp.iso8601) == "2024-11-27T08:00:00Z")
        #expect(feed.skippedEntries == 1)
    }

    @Test("RDF (RSS 1.0): items beside the channel, rdf:about, dc:date")
    func rdf() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
              <channel rdf:about="https://example.jp/">
                <title>Example JP</title>
                <link>https://example.jp/</link>
                <items><rdf:Seq>
                  <rdf:li rdf:resource="https://example.jp/a/1"/>
                  <rdf:li rdf:resource="https://example.jp/a/2"/>
                </rdf:Seq></items>
              </channel>
              <item rdf:about="https://example.jp/a/1">
                <title>A1</title>
                <link>https://example.jp/a/1</link>
                <dc:date>2024-11-28T19:00:00+09:00</dc:date>
              </item>
              <item rdf:about="https://example.jp/a/2">
                <title>A2</title>
              </item>
            </rdf:RDF>
            """
        let feed = try FeedParser.parse(Array(xml.utf8), url: CrawlURL("https://example.jp/index.rdf")!)
        #expect(feed.format == .rdf)
        #expect(feed.title == "Example JP")
        #expect(feed.entries.map(\.url.string) == ["https://example.jp/a/1", "https://example.jp/a/2"])
        #expect(feed.entries[0].published.map(Timestamp.iso8601) == "2024-11-28T10:00:00Z")
    }

    @Test("sloppy real-world XML: raw & in links, HTML entities, whitespace before the declaration, truncation")
    func sloppy() throws {
        let url = CrawlURL("https://news.example.com/rss")!
        let raw = """

            <?xml version="1.0" encoding="utf-8"?>
            <rss version="2.0"><channel><title>Tom & Jerry News</title>
            <item><title>Caf&eacute; &amp; bar &#8211; &#x2014;</title>
              <link>https://news.example.com/story?id=1&section=world&amp;lang=en</link>
              <description><![CDATA[<a href="https://news.example.com/x?a=1&amp;b=2">x</a> & more]]></description></item>
            <!-- a comment with & in it -->
            <item><title>Second</title><link>https://news.example.com/story?id=2&page=1</link></item>
            <item><title>Cut off</title><link>https://news.example.com/story?id=3</link>
            """
        let feed = try FeedParser.parse(Array(raw.utf8), url: url)
        #expect(feed.title == "Tom & Jerry News")
        #expect(feed.entries.map(\.url.string) == [
            "https://news.example.com/story?id=1&lang=en&section=world",
            "https://news.example.com/story?id=2&page=1",
            "https://news.example.com/story?id=3",
        ])
        #expect(feed.entries[0].title == "Caf\u{E9} & bar \u{2013} \u{2014}")
    }

    @Test("character references become numeric, outside CDATA and comments only")
    func references() {
        func fix(_ s: String) -> String { String(decoding: XMLInput.normalizeReferences(Array(s.utf8)), as: UTF8.self) }
        #expect(fix("<a>x&y &amp; &#38; &#x26; &lt;&apos;&</a>") == "<a>x&#38;y &#38; &#38; &#x26; &#60;&#39;&#38;</a>")
        #expect(fix("<a>caf&eacute;&nbsp;&hellip; &bogus;</a>") == "<a>caf&#233;&#160;&#8230; &#38;bogus;</a>")
        #expect(fix("<a><![CDATA[x&y&amp;]]>&z</a>") == "<a><![CDATA[x&y&amp;]]>&#38;z</a>")
        #expect(fix("<!-- & --><a>&#xZZ;</a>") == "<!-- & --><a>&#38;#xZZ;</a>")
        #expect(fix("<a href=\"?a=1&amp;b=2\">plain</a>") == "<a href=\"?a=1&#38;b=2\">plain</a>")
        #expect(fix("<a>plain</a>") == "<a>plain</a>")
        #expect(fix("\n  <?xml version=\"1.0\"?><a/>") == "<?xml version=\"1.0\"?><a/>")
        let dtd = "<!DOCTYPE rss [<!ENTITY mdash \"&#8212;\">]><rss>&mdash;&x</rss>"
        #expect(fix(dtd) == "<!DOCTYPE rss [<!ENTITY mdash \"&#8212;\">]><rss>&mdash;&#38;x</rss>")
    }

    @Test("a gzip-compressed feed is inflated")
    func gzip() async throws {
        let compressed = try await GzipFixture.compress(Array(Self.bbcRSS.utf8))
        let feed = try FeedParser.parse(compressed, url: Self.bbcFeedURL)
        #expect(feed.entries.count == 2)
    }

    @Test("bad input names what was wrong")
    func errors() async throws {
        let url = Self.bbcFeedURL
        #expect(throws: DiscoveryError.empty) { try FeedParser.parse([], url: url) }
        #expect(throws: DiscoveryError.notAFeed(root: "urlset")) {
            try FeedParser.parse(Array("<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'/>".utf8), url: url)
        }
        #expect(throws: DiscoveryError.notAFeed(root: "html")) {
            try FeedParser.parse(Array("<html><body><p>Moved</p></body></html>".utf8), url: url)
        }
        #expect(throws: DiscoveryError.tooLarge(limit: 100)) {
            try FeedParser.parse(Array(Self.bbcRSS.utf8), url: url, maxBytes: 100)
        }
        let bomb = try await GzipFixture.compress([UInt8](repeating: 0x20, count: 1 << 20))
        #expect(throws: DiscoveryError.tooLarge(limit: 64 * 1024)) {
            try FeedParser.parse(bomb, url: url, maxBytes: 64 * 1024)
        }
        #expect(throws: DiscoveryError.self) { try FeedParser.parse(Array("not xml at all".utf8), url: url) }
        #expect(DiscoveryError.notAFeed(root: "html").description == "expected an RSS, Atom or RDF feed, found <html>")
    }
}
