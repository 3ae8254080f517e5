import HeraldXML

/// Removes what is never article text from a parsed page, in place: scripts and other non-text
/// elements, page chrome (`nav`, `aside`, `header`, `footer`, figures with their captions),
/// elements hidden from readers, and elements whose class/id mark them as furniture (share bars,
/// related lists, comments, promos...).
///
/// A furniture-looking element is kept when it holds half or more of the page's text, or contains
/// an `itemprop=articleBody` element: a template that puts the whole page in a `sidebar-layout`
/// wrapper must not lose its story.
///
/// Removed subtrees are detached, not freed, so that `DetachedNodes.restore()` can undo a
/// cleaning that took the story with it.
enum PageCleaner {
    enum Strength {
        /// Everything above.
        case full
        /// Only what is never text, hidden elements and navigation: class names and the other
        /// chrome are left for the scorer and the renderer to judge.
        case gentle
    }

    /// What a cleaning left and took: the traits of the elements left, in document order (for the
    /// next tree of the same page), and the largest cluster of running text the page had before.
    struct Result {
        var traits: [ElementTraits]
        var pageCluster: ProseCluster
    }

    /// Cleans below `root`, detaching what it removes into `removed`.
    @discardableResult
    static func clean(_ root: Node, names: ClassNameJudge, strength: Strength = .full,
                      removed: DetachedNodes, sizeHint: Int = 0) -> Result {
        let tree = PageTree(root: root, names: names, sizeHint: sizeHint)
        let cluster = ProseCluster.largest(in: tree)
        guard tree.count > 1 else { return Result(traits: tree.traits, pageCluster: cluster) }
        var kept: [ElementTraits] = [tree.traits[0]]
        kept.reserveCapacity(tree.count)
        var protected = [Bool](repeating: false, count: tree.count)
        // Inside the marked article body there are no page-level wrappers to protect by size.
        var inArticleBody = [Bool](repeating: false, count: tree.count)
        var marked = [Bool](repeating: false, count: tree.count)
        for i in 1..<tree.count where tree.tags[i] != .junk {
            let p = tree.parents[i]
            inArticleBody[i] = inArticleBody[p] || marked[p]
            if tree.traits[i].articleBody {
                marked[i] = true
                var a = i
                while a >= 0 && !protected[a] {
                    protected[a] = true
                    a = tree.parents[a]
                }
            }
        }
        let half = tree.text[0] / 2
        let allParagraphs = tree.paragraphs[0]
        var doomed: [Node] = []
        var i = 1
        while i < tree.count {
            let tag = tree.tags[i]
            var remove = false
            if tag == .junk {
                remove = true
            } else if tag != .body && !protected[i] && tree.traits[i].hidden {
                remove = true
            } else if strength == .gentle {
                remove = tag == .nav
            } else if !protected[i] && tag != .body && (inArticleBody[i]
                        || (tree.text[i] <= half && tree.paragraphs[i] * 2 <= allParagraphs)) {
                if tag.isChrome {
                    remove = true
                } else if tree.traits[i].furniture {
                    // "content-with-sidebar", "article-body pagination-first": a content word
                    // too, so left for the scorer and the renderer to judge.
                    // An embedded post ("social-embed") is a quote the story makes.
                    remove = (!tree.traits[i].contentNamed || tree.traits[i].furnitureFirst)
                        && tree.quoteText[i] * 2 < tree.text[i]
                }
            }
            if remove {
                doomed.append(tree.nodes[i])
                i = tree.end[i]
            } else {
                kept.append(tree.traits[i])
                i += 1
            }
        }
        // Removed subtrees never nest (the scan skipped past each) and come in document order.
        for node in doomed { removed.detach(node) }
        return Result(traits: kept, pageCluster: cluster)
    }
}
