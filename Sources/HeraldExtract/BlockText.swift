import HeraldXML

/// The text of a small element as a reader sees it: block elements (`<p>`, `<div>`, `<br>`,
/// headings, list items) start a new line, so "Carrie Arnold" and "November 15, 2019" in two
/// blocks do not run together the way `textContent` glues them. Stops after `limit` bytes.
enum BlockText {
    static func of(_ node: Node, limit: Int = 2000) -> String {
        var out = ""
        var size = 0
        node.walk { child in
            guard size < limit else { return false }
            if child.isText {
                let t = child.text
                out += t
                size += t.utf8.count
                return false
            }
            guard child.isElement else { return false }
            if child.isElement("script") || child.isElement("style") || child.isElement("noscript") { return false }
            if isBlock(child) { out += "\n" }
            return true
        }
        return out
    }

    private static func isBlock(_ n: Node) -> Bool {
        n.isElement("p") || n.isElement("div") || n.isElement("br") || n.isElement("li") || n.isElement("h1")
            || n.isElement("h2") || n.isElement("h3") || n.isElement("h4") || n.isElement("h5") || n.isElement("h6")
            || n.isElement("ul") || n.isElement("ol") || n.isElement("section") || n.isElement("header")
            || n.isElement("footer") || n.isElement("tr") || n.isElement("dd") || n.isElement("dt")
    }
}
