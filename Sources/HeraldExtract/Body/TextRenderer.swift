import HeraldXML

/// Renders chosen containers as plain text paragraphs, dropping what does not belong to the
/// story inside them: link lists and link-heavy blocks, galleries, small fragments, the repeated
/// headline. Block elements become paragraphs; a `<br>` breaks a line and two in a row a paragraph;
/// table cells of a row share one line.
struct TextRenderer {
    let tree: PageTree

    /// The paragraphs of the elements `roots` (indices into the tree), in document order.
    func paragraphs(of roots: [Int]) -> [String] {
        var out = ParagraphBuilder()
        for root in roots { render(root, into: &out) }
        out.flush()
        return out.paragraphs
    }

    /// True when the element inside a chosen container should be left out.
    func isPruned(_ i: Int) -> Bool {
        let tag = tree.tags[i]
        if tag == .junk || tag == .h1 { return true }
        if tag.isInline { return false }
        let text = tree.text[i]
        if text == 0 { return tree.images[i] == 0 && tree.tags[i] != .br }
        let density = tree.linkDensity(i)
        if density > 0.5 { return true }
        switch tag {
        case .div, .section, .ul, .ol, .table, .form, .dl, .otherBlock:
            guard tree.commas[i] < 10 else { return false }
            let weight = BoilerplateRules.classWeight(of: tree.nodes[i])
            if weight < 0 { return true }
            let p = tree.paragraphs[i], img = tree.images[i]
            if img > 1 && Double(p) / Double(img) < 0.5 && text < 40 * img { return true }
            if text < 25 && (img == 0 || img > 2) && tree.headings[i] == 0 { return true }
            if weight < 25 && density > 0.2 { return true }
            return false
        default:
            return false
        }
    }

    private func render(_ root: Int, into out: inout ParagraphBuilder) {
        out.flush()
        var index = root + 1 // the tree index of the next element met in document order
        var stack: [(node: Node, tag: HTMLTag)] = []
        let rootNode = tree.nodes[root]
        var current = rootNode.firstChild
        if tree.tags[root] == .junk { current = nil }
        while let node = current {
            var descend = false
            if node.isElement {
                let i = index
                index += 1
                let tag = tree.tags[i]
                if isPruned(i) {
                    index = tree.end[i]
                } else {
                    switch tag {
                    case .br: out.lineBreak()
                    case .td, .th: out.space()
                    default: if !tag.isInline { out.flush() }
                    }
                    if node.firstChild != nil {
                        stack.append((node, tag))
                        current = node.firstChild
                        descend = true
                    } else if !tag.isInline && tag != .td && tag != .th {
                        out.flush()
                    }
                }
            } else if node.isText {
                out.append(node.text)
            }
            if descend { continue }
            var at = node
            while true {
                if let next = at.nextSibling { current = next; break }
                guard let (parent, tag) = stack.popLast() else { current = nil; break }
                switch tag {
                case .td, .th: out.space()
                default: if !tag.isInline { out.flush() }
                }
                at = parent
            }
        }
        out.flush()
    }
}

/// Collects text into paragraphs: whitespace runs become one space, lines are trimmed, empty
/// paragraphs vanish.
struct ParagraphBuilder {
    var paragraphs: [String] = []
    private var lines: [String] = []
    private var line = String.UnicodeScalarView()
    private var pendingSpace = false
    private var lineBreaks = 0

    mutating func append(_ text: String) {
        for s in text.unicodeScalars {
            if s.properties.isWhitespace {
                pendingSpace = true
            } else {
                if pendingSpace && !line.isEmpty { line.append(" ") }
                pendingSpace = false
                line.append(s)
                lineBreaks = 0
            }
        }
    }

    mutating func space() { pendingSpace = true }

    mutating func lineBreak() {
        lineBreaks += 1
        if lineBreaks >= 2 {
            flush()
        } else {
            endLine()
        }
    }

    private mutating func endLine() {
        if !line.isEmpty { lines.append(String(line)) }
        line = String.UnicodeScalarView()
        pendingSpace = false
    }

    mutating func flush() {
        endLine()
        if !lines.isEmpty { paragraphs.append(lines.joined(separator: "\n")) }
        lines = []
        lineBreaks = 0
    }
}
