import HeraldXML
import Testing

/// `XMLStream`: element-by-element reading, what is skipped, what a subtree holds, and how a
/// broken document ends.
@Suite("XML stream")
struct XMLStreamTests {
    static let doc = Array("""
        <?xml version="1.0"?>
        <root xml:base="https://example.com/" xmlns:x="urn:x">
          <a id="1"><b>one</b><b>two</b></a>
          <x:a id="2"><b>three</b></x:a>
          <c><d><e/></d></c>
        </root>
        """.utf8)

    @Test("every element start is visited in document order with its depth and attributes")
    func visitsInOrder() throws {
        var seen: [String] = []
        try XMLStream.elements(Self.doc) { element in
            seen.append("\(element.depth):\(element.node.namespacePrefix.map { $0 + ":" } ?? "")\(element.node.name)"
                + (element.node.attribute("id").map { "#" + $0 } ?? ""))
            return .descend
        }
        #expect(seen == ["0:root", "1:a#1", "2:b", "2:b", "1:x:a#2", "2:b", "1:c", "2:d", "3:e"])
    }

    @Test("skipChildren and subtree() move past the element; the subtree has all its text")
    func skipAndSubtree() throws {
        var seen: [String] = []
        var texts: [String] = []
        try XMLStream.elements(Self.doc) { element in
            seen.append(element.node.name)
            switch element.node.name {
            case "a":
                texts.append(element.subtree()?.textContent ?? "-")
                return .descend // ignored: the subtree was read whole
            case "c": return .skipChildren
            default: return .descend
            }
        }
        #expect(seen == ["root", "a", "a", "c"])
        #expect(texts == ["onetwo", "three"])
    }

    @Test("a document cut off keeps what came before the cut, the open element included")
    func truncated() throws {
        let cut = Array("<list><item>1</item><item>2</item><item>3<sub>x".utf8)
        var texts: [String] = []
        try XMLStream.elements(cut) { element in
            if element.node.name == "item" { texts.append(element.subtree()?.textContent ?? "-") }
            return .descend
        }
        #expect(texts.prefix(2) == ["1", "2"])
        #expect(texts.count == 3 && texts[2].hasPrefix("3"))
    }

    @Test("no bytes, or no root element, are errors; an error thrown by visit stops the reading")
    func errors() throws {
        #expect(throws: XMLError.empty) { try XMLStream.elements([]) { _ in .descend } }
        #expect(throws: XMLError.unparsable("not well-formed XML")) {
            try XMLStream.elements(Array("just text, no markup".utf8)) { _ in .descend }
        }
        struct Stop: Error {}
        var visits = 0
        #expect(throws: Stop.self) {
            try XMLStream.elements(Self.doc) { _ in
                visits += 1
                throw Stop()
            }
        }
        #expect(visits == 1)
    }
}
