import HeraldXML
import Testing

/// What the wrapper promises about input it does not trust: XML declares its own encoding,
/// entities are never expanded, gzip inflation is capped; and that nodes stay valid across
/// edits of other parts of the tree while their document lives.
@Suite("HeraldXML on untrusted input")
struct HostileInputTests {
    @Test("an XML document's declared encoding is honoured")
    func xmlDeclaredEncoding() throws {
        let latin1 = Array("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><t>caf".utf8) + [0xE9] + Array("</t>".utf8)
        let document = try XMLDocument(bytes: latin1)
        withExtendedLifetime(document) { #expect(document.root?.textContent == "café") }
        #expect(throws: XMLError.self) { try XMLDocument(bytes: Array("not xml at all".utf8)) }
    }

    @Test("entities are not expanded into the tree: a billion-laughs document stays small")
    func noEntityExpansion() throws {
        var dtd = "<!DOCTYPE t [<!ENTITY a0 \"lol\">"
        for i in 1...9 { dtd += "<!ENTITY a\(i) \"" + String(repeating: "&a\(i - 1);", count: 10) + "\">" }
        // Refusing the document would be as safe as keeping the reference unexpanded.
        guard let document = try? XMLDocument(bytes: Array((dtd + "]><t>&a9;</t>").utf8)),
              let root = document.root else { return }
        withExtendedLifetime(document) {
            #expect(Array(root.children).count <= 1 && !root.children.contains { $0.kind == .text },
                    "at most the entity reference itself, no expanded text")
        }
    }

    @Test("gzip: inflated, capped, and corrupt data is an error")
    func gzip() throws {
        // gzip of "<rss>hello</rss>" (Python's gzip.compress, mtime 0).
        let compressed: [UInt8] = [
            0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xb3, 0x29, 0x2a, 0x2e, 0xb6, 0xcb,
            0x48, 0xcd, 0xc9, 0xc9, 0xb7, 0xd1, 0x07, 0x31, 0x01, 0x0f, 0x60, 0x9c, 0x87, 0x10, 0x00, 0x00, 0x00,
        ]
        #expect(Gzip.isCompressed(compressed) && !Gzip.isCompressed(Array("<rss>".utf8)))
        #expect(try Gzip.decompress(compressed) == Array("<rss>hello</rss>".utf8))
        #expect(throws: Gzip.Failure.tooLarge(limit: 8)) { try Gzip.decompress(compressed, limit: 8) }
        // Truncated data (a download cut short) keeps what was there; a broken stream is an error.
        #expect(try Gzip.decompress(Array(compressed.prefix(14))) == Array("<rs".utf8))
        var broken = compressed
        broken[10] = 0xFF
        #expect(throws: Gzip.Failure.self) { try Gzip.decompress(broken) }
    }

    @Test("moving and removing one node leaves the other nodes usable")
    func nodesOutliveEdits() throws {
        let document = try HTMLDocument(html: "<div><p id='a'>a</p><p id='b'>b</p><p id='c'>c</p></div>")
        // Nodes are views into the document, not owners: it must outlive every use of them
        // (`try HTMLDocument(...).root?.textContent` would read a freed tree).
        try withExtendedLifetime(document) {
            let paragraphs = try #require(document.body?.descendantElements { $0.isElement("p") })
            paragraphs[2].move(before: paragraphs[0])
            paragraphs[1].remove()
            #expect(paragraphs[0].attribute("id") == "a" && paragraphs[2].attribute("id") == "c")
            #expect(paragraphs[0].parent?.textContent == "ca")
            #expect(paragraphs[2].nextSibling == paragraphs[0])
        }
    }
}
