import HeraldXML

/// Finds the article's own text in the page and renders it as plain text.
struct BodyExtractor {
    let document: HTMLDocument
    let metadata: PageMetadata

    func extract() -> String {
        // FIXME(extract-body): the real algorithm.
        var paragraphs: [String] = []
        document.body?.walk { node in
            if node.isElement("p") {
                let t = node.textContent.trimmingWhitespace()
                if !t.isEmpty { paragraphs.append(t) }
                return false
            }
            return !(node.isElement("script") || node.isElement("style"))
        }
        return paragraphs.joined(separator: "\n\n")
    }
}
