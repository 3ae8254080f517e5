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

    /// What the element's attributes say (class/id judgements, hidden, role, itemprop).
    var traits: [ElementTraits] = []

    /// Class/id judgements, shared by every pass over this page.
    let names: ClassNameJudge
    private let knownTraits: [ElementTraits]?

    var count: Int { nodes.count }

    /// `knownTraits`, when given, are the traits of exactly these elements in document order
    /// (from a tree of the same page before subtrees were removed), so they are not read again.
    /// `sizeHint`: about how many elements to expect, so the columns grow without copies.
    init(root: Node, names: ClassNameJudge, knownTraits: [ElementTraits]? = nil, sizeHint: Int = 0) {
        self.names = names
        self.knownTraits = knownTraits
        let expected = knownTraits?.count ?? sizeHint
        if expected > 0 { reserve(expected) }
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
        if let known = knownTraits, known.count != count {
            // Not the same elements after all: read every element's attributes after all.
            traits = []
            for k in 0..<count {
                let n = nodes[k]
                traits.append(tags[k] == .junk || !n.hasAttributes ? ElementTraits() : ElementTraits(n, names))
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

    /// Room for `n` elements in every column, so that a tree of known size grows without copies.
    private mutating func reserve(_ n: Int) {
        nodes.reserveCapacity(n); tags.reserveCapacity(n); parents.reserveCapacity(n); end.reserveCapacity(n)
        text.reserveCapacity(n); linkText.reserveCapacity(n); commas.reserveCapacity(n); quoteText.reserveCapacity(n)
        ownText.reserveCapacity(n); ownCommas.reserveCapacity(n); hasBlockChild.reserveCapacity(n)
        paragraphs.reserveCapacity(n); images.reserveCapacity(n); listItems.reserveCapacity(n)
        headings.reserveCapacity(n); traits.reserveCapacity(n)
    }

    @discardableResult
    private mutating func append(_ node: Node, tag: HTMLTag, parent: Int) -> Int {
        let i = nodes.count
        if let known = knownTraits, i < known.count {
            assert(known[i].className == (node.hasAttributes ? node.attribute("class") : nil),
                   "traits out of step with the tree")
            traits.append(known[i])
        } else {
            traits.append(tag == .junk || !node.hasAttributes ? ElementTraits() : ElementTraits(node, names))
        }
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

/// What an element's attributes say to the body extractor, read in one pass over them.
struct ElementTraits {
    var className: String?
    var classJudgement = ClassNameJudge.Judgement()
    var idJudgement = ClassNameJudge.Judgement()
    var hidden = false
    /// A landmark role that is page furniture (navigation, banner, complementary...).
    var furnitureRole = false
    var mainRole = false
    /// `itemprop` includes `articleBody`.
    var articleBody = false

    init() {}

    init(_ node: Node, _ names: ClassNameJudge) {
        let v = node.attributeValues(["class", "id", "role", "style", "hidden", "aria-hidden", "itemprop"])
        className = v[0]
        if let c = v[0], !c.isEmpty { classJudgement = names.judge(c) }
        if let d = v[1], !d.isEmpty { idJudgement = names.judge(d) }
        if let role = v[2] {
            switch role.lowercased() {
            case "navigation", "complementary", "banner", "contentinfo", "menu", "menubar",
                 "dialog", "alertdialog", "search", "toolbar", "tablist":
                furnitureRole = true
            case "main":
                mainRole = true
            default: break
            }
        }
        hidden = v[4] != nil || v[5].map { $0 == "true" || $0.lowercased() == "true" } == true
            || v[3].map(BoilerplateRules.styleHides) == true
        articleBody = v[6]?.contains("articleBody") == true
    }

    /// Readability's class weight: +25 per content-like class or id, -25 per boilerplate one.
    var weight: Int { 25 * (classJudgement.verdict + idJudgement.verdict) }
    /// Class or id says page furniture, or the role does.
    var furniture: Bool { classJudgement.negative || idJudgement.negative || furnitureRole }
    /// Class or id has a content word (`article`, `body`, `story`...).
    var contentNamed: Bool { classJudgement.positive || idJudgement.positive }
    /// Furniture that also carries a content word, but after the furniture word.
    var furnitureFirst: Bool { classJudgement.negativeFirst || idJudgement.negativeFirst }
    /// The best article-body rank of class or id (`KnownContainers.subjects`), if either names one.
    var bodySubject: Int? {
        switch (classJudgement.bodySubject, idJudgement.bodySubject) {
        case let (a?, b?): return min(a, b)
        case let (a, b): return a ?? b
        }
    }
}
