import HeraldXML

/// The trafilatura approach: article templates mark their body in a few common ways, tried in
/// order of how reliable they are — `itemprop=articleBody`, then a class/id naming an article body
/// (`article-body`, `story-content`, `entry-content`...), then `<article>`, then `<main>`.
struct KnownContainers {
    let tree: PageTree

    /// Structural names of article bodies: a content word and a body word together.
    private static let subjects = ["article", "story", "entry", "post", "news", "blog"]
    private static let bodies = ["body", "content", "text", "copy", "main", "detail", "inner"]
    private static let exact: Set<String> = ["articlebody", "storybody", "bodytext", "body-text",
                                             "text-body", "content-body", "rich-text", "richtext",
                                             "article", "story", "entry", "post-body", "postbody"]

    /// Candidates in order of reliability; each rank's best element (most non-link text) first.
    func candidates() -> [Int] {
        var ranks: [[Int]] = [[], [], [], []]
        for i in 1..<max(tree.count, 1) {
            let tag = tree.tags[i]
            // Paragraphs and headings are parts of a body, never the body.
            guard !tag.isInline, tag != .junk, tag != .p, !tag.isHeading, tree.text[i] > 0 else { continue }
            let node = tree.nodes[i]
            guard node.hasAttributes || tag == .article || tag == .main else { continue }
            if let prop = node.attribute("itemprop"), prop.contains("articleBody") {
                ranks[0].append(i)
            }
            if let c = node.attribute("class"), tree.names.judge(c).namesBody {
                ranks[1].append(i)
            } else if let d = node.attribute("id"), tree.names.judge(d).namesBody {
                ranks[1].append(i)
            }
            if tag == .article { ranks[2].append(i) }
            if tag == .main || node.attribute("role") == "main" { ranks[3].append(i) }
        }
        return ranks.compactMap(pick)
    }

    /// The element with the most prose; of nested ones, the innermost that has nearly all of it
    /// (a wrapper adds furniture, not story).
    private func pick(_ rank: [Int]) -> Int? {
        guard var best = rank.max(by: { prose($0) < prose($1) }) else { return nil }
        let outer = prose(best)
        for i in rank where i > best && tree.contains(best, i) && Double(prose(i)) >= 0.85 * Double(outer) {
            best = i
        }
        return best
    }

    /// Characters of text outside links.
    func prose(_ i: Int) -> Int { tree.text[i] - tree.linkText[i] }

    static func namesBody(_ value: String?) -> Bool {
        guard let value, !value.isEmpty else { return false }
        for raw in value.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }) {
            let token = String(raw)
            if exact.contains(token) { return true }
            let parts = token.split(whereSeparator: { $0 == "-" || $0 == "_" || $0 == ":" }).map(String.init)
            if parts.count == 1 {
                for s in subjects where token.hasPrefix(s) {
                    let rest = token.dropFirst(s.count)
                    if bodies.contains(where: { rest.hasPrefix($0) }) { return true }
                }
                continue
            }
            guard parts.count >= 2 else { continue } // a token of only separators, e.g. "-"
            for k in 0..<(parts.count - 1) {
                let a = parts[k], b = parts[k + 1]
                if subjects.contains(where: { a.hasSuffix($0) }) && bodies.contains(where: { b.hasPrefix($0) }) {
                    if b.hasPrefix("main") && a.hasSuffix("main") { continue }
                    return true
                }
            }
        }
        return false
    }
}
