import HeraldXML

/// The trafilatura approach: article templates mark their body in a few common ways, tried in
/// order of how reliable they are — `itemprop=articleBody`, then a class/id naming an article body
/// (`article-body` before `story-content` before `entry-content` before `post-text`...: forum and
/// comment templates use the later words), then `<article>`, then `<main>`.
struct KnownContainers {
    let tree: PageTree
    /// The elements of each rank, in document order.
    private let ranks: [[Int]]

    init(tree: PageTree) {
        self.tree = tree
        ranks = KnownContainers.ranked(tree)
    }

    /// Structural names of article bodies: a content word and a body word together. The order of
    /// the content words is their rank.
    static let subjects = ["article", "story", "entry", "post", "news", "blog"]
    private static let bodies = ["body", "content", "text", "copy", "main", "detail", "inner"]
    /// Whole class names that mark a body, with the rank they count as.
    private static let exact: [String: Int] = [
        "articlebody": 0, "article": 0, "storybody": 1, "story": 1, "entry": 2, "post-body": 3,
        "postbody": 3, "bodytext": 3, "body-text": 3, "text-body": 3, "content-body": 3,
        "rich-text": 3, "richtext": 3,
    ]

    /// Candidates in order of reliability; each rank's best element (most non-link text) first.
    func candidates() -> [Int] { ranks.compactMap(pick) }

    /// How many other elements of the rank that gave `chosen` hold 70% or more of its prose
    /// outside it: a page of several posts, or a story beside look-alike teasers, where the
    /// template alone cannot tell which block is the article. Copies of the same size do not count.
    func rivals(of chosen: Int) -> Int {
        guard let rank = ranks.first(where: { pick($0) == chosen }) else { return 0 }
        let size = Double(prose(chosen))
        // A block of the very same size is a copy of the story (a print or mobile version), not a rival.
        return rank.filter {
            !tree.contains(chosen, $0) && !tree.contains($0, chosen) && Double(prose($0)) >= 0.7 * size
                && abs(Double(prose($0)) - size) > 0.02 * size
        }.count
    }

    private static func ranked(_ tree: PageTree) -> [[Int]] {
        let named = 1, article = 1 + Self.subjects.count, main = article + 1
        var ranks = [[Int]](repeating: [], count: main + 1)
        for i in 1..<max(tree.count, 1) {
            let tag = tree.tags[i]
            // Paragraphs and headings are parts of a body, never the body.
            guard !tag.isInline, tag != .junk, tag != .p, !tag.isHeading, tree.text[i] > 0 else { continue }
            let traits = tree.traits[i]
            if traits.articleBody { ranks[0].append(i) }
            if let subject = traits.bodySubject { ranks[named + subject].append(i) }
            if tag == .article { ranks[article].append(i) }
            if tag == .main || traits.mainRole { ranks[main].append(i) }
        }
        return ranks
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

    /// The rank of the content word when the value names an article body (`article-body` 0,
    /// `story_content` 1 ...), nil otherwise.
    static func bodySubject(_ value: String) -> Int? {
        var best: Int? = nil
        func found(_ rank: Int) { best = min(best ?? rank, rank) }
        for raw in value.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }) {
            let token = String(raw)
            if let rank = exact[token] { found(rank); continue }
            let parts = token.split(whereSeparator: { $0 == "-" || $0 == "_" || $0 == ":" }).map(String.init)
            if parts.count == 1 {
                for (rank, s) in subjects.enumerated() where token.hasPrefix(s) {
                    let rest = token.dropFirst(s.count)
                    if bodies.contains(where: { rest.hasPrefix($0) }) { found(rank) }
                }
                continue
            }
            guard parts.count >= 2 else { continue } // a token of only separators, e.g. "-"
            for k in 0..<(parts.count - 1) {
                let a = parts[k], b = parts[k + 1]
                guard bodies.contains(where: { b.hasPrefix($0) }) else { continue }
                for (rank, s) in subjects.enumerated() where a.hasSuffix(s) {
                    if b.hasPrefix("main") && a.hasSuffix("main") { continue }
                    found(rank)
                }
            }
        }
        return best
    }
}
