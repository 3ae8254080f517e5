import HeraldFormats
import Testing

/// Character references decoded through libxml2's full HTML 4 table.
@Suite("HTML entities")
struct HTMLEntitiesTests {
    @Test("named references from the whole table, case-sensitive", arguments: [
        ("&amp;", "&"), ("&apos;", "'"), ("&nbsp;", "\u{A0}"), ("&rsquo;", "\u{2019}"), ("&Auml;", "Ä"),
        ("&auml;", "ä"), ("&thetasym;", "\u{3D1}"), ("&lArr;", "\u{21D0}"), ("&larr;", "\u{2190}"),
        ("&zwnj;", "\u{200C}"), ("&Yuml;", "\u{178}"), ("&euro;", "€"),
    ])
    func named(text: String, expected: String) {
        #expect(HTMLEntities.decode(text) == expected)
    }

    @Test func codePointsByName() {
        #expect(HTMLEntities.codePoint(named: "mdash") == 0x2014)
        #expect(HTMLEntities.codePoint(named: "MDASH") == nil)
        #expect(HTMLEntities.codePoint(named: "notanentity") == nil)
        #expect(HTMLEntities.codePoint(named: "") == nil)
    }

    @Test("numeric references, decimal and hex", arguments: [
        ("&#8217;", "\u{2019}"), ("&#x2014;", "\u{2014}"), ("&#X2014;", "\u{2014}"), ("&#65;&#x42;", "AB"),
        ("&#128512;", "😀"),
    ])
    func numeric(text: String, expected: String) {
        #expect(HTMLEntities.decode(text) == expected)
    }

    @Test("invalid code points become U+FFFD", arguments: ["&#0;", "&#xD800;", "&#x110000;"])
    func invalid(text: String) {
        #expect(HTMLEntities.decode(text) == "\u{FFFD}")
    }

    @Test("unknown and malformed references stay as written", arguments: [
        "&bogus;", "AT&T", "&amp", "& amp;", "&#;", "&#xZZ;", "fish & chips; peas",
    ])
    func leftAlone(text: String) {
        #expect(HTMLEntities.decode(text) == text)
    }

    @Test func mixedText() {
        #expect(HTMLEntities.decode("Tom &amp; Jerry&#8217;s &quot;caf&eacute;&quot;") == "Tom & Jerry’s \"café\"")
    }
}
