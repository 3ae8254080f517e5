import HeraldXML

/// The elements under one root in document order, with the text measurements scoring and
/// rendering need, computed in two linear passes without recursion (a page of 100,000 nested
/// `<div>`s costs memory in proportion to its size, never stack).
///
/// Index 0 is the root. The subtree of element `i` is the index range `i ..< end[i]`.
struct PageTree {
    var nodes: [Node] = []
    var tags: [HTMLTag] = []
    var parents: [Int] = []
    /// One past the last descendant's index.
    var end: [Int] = []
    /// Visible characters below the element (text of `junk` elements excluded).
    var text: [Int] = []
    /// The part of `text` inside `<a>` elements.
    var linkText: [Int] = []
    var commas: [Int] = []
    /// The part of `text` inside `<blockquote>` elements (quotes and embedded posts).
    var quoteText: [Int] = []
    /// Characters of the element's own inline text: the text runs that belong to it rather than
    /// to a block element inside it.
    var ownText: [Int] = []
    var ownCommas: [Int] = []
    /// True when some child element is a block (so the element is a container, not a paragraph).
    var hasBlockChild: [Bool] = []
    /// Paragraphs below: `<p>` elements and other blocks of 25+ characters of their own text.
    var paragraphs: [Int] = []
    var images: [Int] = []
    var listItems: [Int] = []
    var headings: [Int] = []

    /// Class/id judgements, shared by every pass over this page.
    let names: ClassNameJudge

    var count: Int { nodes.count }

    init(root: Node, names: ClassNameJudge) {
        self.names = names
        append(root, tag: HTMLTag(name: root.name), parent: -1)
        var owner: [Int] = [0] // nearest block element (self for blocks), per element
        var inLink: [Bool] = [false]
        var inQuote: [Bool] = [false]
        var parentIndex = 0
        var current = root.firstChild
        while let node = current {
            if node.isElement {
                let tag = HTMLTag(name: node.name)
                let i = append(node, tag: tag, parent: parentIndex)
                owner.append(tag.isInline ? owner[parentIndex] : i)
                inLink.append(tag == .a || inLink[parentIndex])
                inQuote.append(tag == .blockquote || inQuote[parentIndex])
                if tag != .junk, let child = node.firstChild {
                    parentIndex = i
                    current = child
                    continue
                }
            } else if node.isText {
                let m = node.textMetrics
                if m.characters > 0 {
                    text[parentIndex] += m.characters
                    commas[parentIndex] += m.commas
                    if inLink[parentIndex] { linkText[parentIndex] += m.characters }
                    if inQuote[parentIndex] { quoteText[parentIndex] += m.characters }
                    let o = owner[parentIndex]
                    ownText[o] += m.characters
                    ownCommas[o] += m.commas
                }
            }
            // Next in document order: a sibling, else the sibling of the nearest ancestor that has one.
            var at = node
            while true {
                if let next = at.nextSibling { current = next; break }
                if parentIndex <= 0 { current = nil; break }
                at = nodes[parentIndex]
                parentIndex = parents[parentIndex]
            }
        }
        // Children come after their parents: one backward pass sums subtrees.
        var i = count - 1
        while i > 0 {
            let p = parents[i]
            text[p] += text[i]
            linkText[p] += linkText[i]
            quoteText[p] += quoteText[i]
            commas[p] += commas[i]
            let isParagraph = tags[i] == .p || (!tags[i].isInline && !hasBlockChild[i] && ownText[i] >= 25)
            paragraphs[p] += paragraphs[i] + (isParagraph ? 1 : 0)
            images[p] += images[i] + (tags[i] == .img ? 1 : 0)
            listItems[p] += listItems[i] + (tags[i] == .li ? 1 : 0)
            headings[p] += headings[i] + (tags[i].isHeading ? 1 : 0)
            if !tags[i].isInline && tags[i] != .junk { hasBlockChild[p] = true }
            if end[i] > end[p] { end[p] = end[i] }
            i -= 1
        }
    }

    @discardableResult
    private mutating func append(_ node: Node, tag: HTMLTag, parent: Int) -> Int {
        let i = nodes.count
        nodes.append(node)
        tags.append(tag)
        parents.append(parent)
        end.append(i + 1)
        text.append(0)
        linkText.append(0)
        quoteText.append(0)
        commas.append(0)
        ownText.append(0)
        ownCommas.append(0)
        hasBlockChild.append(false)
        paragraphs.append(0)
        images.append(0)
        listItems.append(0)
        headings.append(0)
        return i
    }

    /// Share of the element's text that sits inside links (0 when it has no text).
    func linkDensity(_ i: Int) -> Double {
        text[i] == 0 ? 0 : Double(linkText[i]) / Double(text[i])
    }

    /// True when `j` is `i` or inside it.
    func contains(_ i: Int, _ j: Int) -> Bool { j >= i && j < end[i] }
}
