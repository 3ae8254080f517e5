/// The page's largest cluster of running text: the element whose own paragraphs of link-poor
/// prose hold the most characters. Whatever else a page carries, a story is such a cluster, so
/// the body extractor measures its answer against it and offers it as a candidate of its own.
struct ProseCluster {
    /// The element, or -1 when the page has no paragraph of prose.
    var element = -1
    /// Characters of prose in its paragraphs.
    var characters = 0

    /// A paragraph of running text: a block with text of its own and no block inside, a little
    /// longer than a label, mostly outside links.
    static func isProse(_ i: Int, in tree: PageTree) -> Bool {
        let tag = tree.tags[i]
        guard !tag.isInline, tag != .junk, !tag.isHeading, !tree.hasBlockChild[i] || tag == .p else { return false }
        return tree.text[i] >= 40 && tree.linkText[i] * 10 < tree.text[i] * 3
    }

    static func largest(in tree: PageTree) -> ProseCluster {
        guard tree.count > 1 else { return ProseCluster() }
        var sum = [Int](repeating: 0, count: tree.count)
        for i in 1..<tree.count {
            if isProse(i, in: tree) {
                sum[tree.parents[i]] += tree.text[i] - tree.linkText[i]
            } else if tree.hasBlockChild[i] && tree.ownText[i] >= 100 && !tree.tags[i].isInline {
                // Text between <br>s of a container is its own paragraphs.
                sum[i] += tree.ownText[i]
            }
        }
        var best = ProseCluster()
        for i in 0..<tree.count where sum[i] > best.characters {
            best = ProseCluster(element: i, characters: sum[i])
        }
        return best
    }
}
