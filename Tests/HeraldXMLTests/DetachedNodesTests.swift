import HeraldXML
import Testing

/// `DetachedNodes`: subtrees taken out of a page come back exactly where they were.
@Suite("Detached nodes")
struct DetachedNodesTests {
    static let html = """
        <html><body><div id="a"><p>one</p><nav>menu</nav><p>two</p><aside>side</aside></div><footer>end</footer></body></html>
        """

    @Test("detaching in document order and restoring gives back the same tree")
    func restoreRoundTrip() throws {
        let document = try HTMLDocument(html: Self.html)
        let before = try #require(document.root?.outerHTML)
        let removed = DetachedNodes()
        for node in try #require(document.body).descendantElements(where: { $0.isElement("nav") || $0.isElement("aside") || $0.isElement("footer") }) {
            removed.detach(node)
        }
        #expect(removed.count == 3)
        let cleaned = try #require(document.root?.outerHTML)
        #expect(!cleaned.contains("menu") && !cleaned.contains("side") && !cleaned.contains("end"))
        #expect(cleaned.contains("<p>one</p>") && cleaned.contains("<p>two</p>"))
        removed.restore()
        #expect(removed.count == 0)
        #expect(document.root?.outerHTML == before)
    }

    @Test("subtrees never restored are freed with the holder, and the document stays usable")
    func freedOnRelease() throws {
        let document = try HTMLDocument(html: Self.html)
        do {
            let removed = DetachedNodes()
            for node in try #require(document.body).descendantElements(where: { $0.isElement("p") }) { removed.detach(node) }
        }
        #expect(document.body?.textContent == "menusideend")
    }
}
