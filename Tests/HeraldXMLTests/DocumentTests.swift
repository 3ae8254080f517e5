import HeraldXML
import Testing

/// The libxml2 wrapper on its own: parsing (recovery, encodings, empty input), XPath results,
/// node navigation and attributes, removal, and XML with namespaces.
@Suite("HeraldXML documents")
struct DocumentTests {
    @Test("broken HTML still gives a tree; empty input is an error, not a crash")
    func recovery() throws {
        let document = try HTMLDocument(html: "<p>one<p>two <b>bold<div>three")
        #expect(document.body?.textContent.contains("three") == true)
        // An open <p> ends where the next one starts, as browsers do.
        #expect(try document.evaluate(xpath: "//p").strings.first == "one")
        #expect(try document.evaluate(xpath: "//p").strings.count == 2)
        #expect(throws: XMLError.empty) { try HTMLDocument(bytes: []) }
    }

    @Test("what follows a stray </body> or </html> is part of the body, in order, as in a browser; a second <head> is not")
    func contentAfterBody() throws {
        let pages = [
            "<html><head><title>T</title></head><body><p>one</p></body><p>two</p>three</html>",
            "<html><head><title>T</title></head><body><p>one</p></body></html><p>two</p>three",
            "<html><head><title>T</title></head><body><p>one</p></body></html><html><head><title>Again</title></head><body><p>two</p>three</body></html>",
            "<wrapper id=page></body><p>one</p><p>two</p>three",
        ]
        for html in pages {
            let document = try HTMLDocument(html: html)
            let body = try #require(document.body, "\(html)")
            #expect(body.textContent.hasSuffix("onetwothree"), "\(html)")
            #expect(!body.textContent.contains("Again"), "\(html)")
            #expect(document.root?.children.filter { $0.isElement("body") }.count == 1, "\(html)")
            #expect(try document.evaluate(xpath: "/html/body//p").strings.prefix(2) == ["one", "two"], "\(html)")
        }
    }

    @Test("an encoding name overrides the page's declaration; nil lets the page decide")
    func encodings() throws {
        let latin1: [UInt8] = Array("<html><head><meta charset=\"iso-8859-1\"></head><body><p>caf".utf8) + [0xE9] + Array("</p></body></html>".utf8)
        let declared = try HTMLDocument(bytes: latin1, encoding: nil)
        #expect(declared.body?.textContent == "café")
        let utf8 = Array("<html><head><meta charset=\"iso-8859-1\"></head><body><p>café</p></body></html>".utf8)
        let forced = try HTMLDocument(bytes: utf8, encoding: "UTF-8")
        #expect(forced.body?.textContent == "café")
    }

    @Test("XPath: node sets as nodes and trimmed strings, other results as one string, bad syntax as an error")
    func xpath() throws {
        let document = try HTMLDocument(html: "<ul><li class='a'> x </li><li></li><li class='a'>y</li></ul>")
        guard case .nodes(let nodes) = try document.evaluate(xpath: "//li[@class='a']") else {
            Issue.record("expected nodes"); return
        }
        #expect(nodes.count == 2)
        #expect(try document.evaluate(xpath: "//li").strings == ["x", "y"])
        #expect(try document.evaluate(xpath: "count(//li)").strings == ["3"])
        #expect(try document.evaluate(xpath: "//li[@class='a']/@class").strings == ["a", "a"])
        #expect(throws: XMLError.invalidXPath("//li[")) { try document.evaluate(xpath: "//li[") }
        #expect(throws: XMLError.invalidXPath("//[")) { try XPath.validate("//[") }
        try XPath.validate("//article//p")
    }

    @Test("navigation, attributes and walking in document order; removal frees a subtree and keeps the rest")
    func nodes() throws {
        let document = try HTMLDocument(html: "<div id='d' data-x='1'><p>a</p><!-- c --><p>b<span>c</span></p></div>")
        let div = try #require(document.body?.elementChildren.first)
        #expect(div.name == "div")
        #expect(div.attribute("id") == "d" && div.attribute("data-x") == "1" && div.attribute("nope") == nil)
        #expect(div.hasAttribute("data-x"))
        div.setAttribute("id", "e")
        #expect(div.attribute("id") == "e")
        let paragraphs = div.elementChildren
        #expect(paragraphs.map(\.name) == ["p", "p"])
        #expect(paragraphs[1].parent?.name == "div")
        #expect(paragraphs[0].nextSibling?.isElement == false) // the comment
        var order: [String] = []
        div.walk { node in
            if node.isElement { order.append(node.name) }
            return !node.isElement("span")
        }
        #expect(order == ["p", "p", "span"])
        #expect(div.descendantElements { $0.isElement("span") }.count == 1)
        paragraphs[0].remove()
        #expect(div.textContent == "bc")
        #expect(document.root?.outerHTML.contains("<span>c</span>") == true)
    }

    @Test("XML documents: namespaces resolve in XPath with the prefixes given")
    func xmlNamespaces() throws {
        let feed = """
            <?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><title>T</title></entry></feed>
            """
        let document = try XMLDocument(bytes: Array(feed.utf8))
        #expect(try document.evaluate(xpath: "//a:entry/a:title", namespaces: ["a": "http://www.w3.org/2005/Atom"]).strings == ["T"])
        #expect(try document.evaluate(xpath: "//entry").strings.isEmpty)
        #expect(document.root?.namespaceURI == "http://www.w3.org/2005/Atom")
    }
}
