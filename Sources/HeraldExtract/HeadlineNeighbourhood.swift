import HeraldXML

/// The short blocks around the headline `<h1>`: its siblings and those of its parents (a few
/// levels up), where pages print "By Jane Doe on November 14, 2019" without any class name
/// that says so. A targeted look at a handful of elements, not a walk of the page.
struct HeadlineNeighbourhood {
    /// Texts of the blocks right after the headline first, then the few right before it.
    let texts: [String]

    static let levels = 4
    static let siblingsAfter = 6
    static let siblingsBefore = 3

    init(headline: Node?) {
        guard let headline else { texts = []; return }
        var after: [String] = [], before: [String] = []
        var node = headline
        for _ in 0..<Self.levels {
            var next = node.nextSibling
            var taken = 0
            while let n = next, taken < Self.siblingsAfter {
                if n.isElement, !n.isElement("script"), !n.isElement("style") {
                    taken += 1
                    let t = BlockText.of(n, limit: 400)
                    if t.utf8.count < 400 { after.append(t) }
                } else if n.isText, n.textByteCount > 0, n.textByteCount < 300 {
                    after.append(n.text)
                }
                next = n.nextSibling
            }
            var previous = node.previousSibling
            taken = 0
            while let n = previous, taken < Self.siblingsBefore {
                if n.isElement, !n.isElement("script"), !n.isElement("style") {
                    taken += 1
                    let t = BlockText.of(n, limit: 400)
                    if t.utf8.count < 400 { before.append(t) }
                }
                previous = n.previousSibling
            }
            guard let parent = node.parent, !parent.isElement("body") else { break }
            node = parent
        }
        texts = after + before
    }

    /// Names from the first text that starts like a byline ("By ...", "Written by ...",
    /// "Von ...", "Par ...", "Por ...").
    func authors() -> [String] {
        for text in texts {
            for line in text.split(whereSeparator: \.isNewline) {
                let t = String(line).collapsingWhitespace()
                guard !t.isEmpty, t.count < 150 else { continue }
                let lower = t.lowercased()
                guard Self.bylineStarts.contains(where: { lower.hasPrefix($0) }) else { continue }
                let names = AuthorNames.split(t)
                if !names.isEmpty { return names }
            }
        }
        return []
    }

    static let bylineStarts = [
        "by ", "written by", "words by", "story by", "reporting by", "posted by", "von ", "par ", "por ",
        "door ", "di ", "av ", "af ", "text:", "texte :", "texte:", "autor:", "auteur :", "author:",
    ]
}
