import HeraldXML

/// Renders chosen containers as plain text paragraphs, dropping what does not belong to the
/// story inside them: link lists and link-heavy blocks, galleries, small fragments, the repeated
/// headline. Block elements become paragraphs; a `<br>` breaks a line and two in a row a paragraph;
/// table cells of a row share one line.
struct TextRenderer {
    let tree: PageTree
    /// False renders everything but non-text elements (for containers a crawl chose by XPath).
    var judging = true
    /// False judges blocks by their text and links alone, not by their class and id (after a
    /// gentle cleaning, whose point is not to trust those names).
    var readingNames = true

    init(tree: PageTree, judging: Bool = true, readingNames: Bool = true) {
        self.tree = tree
        self.judging = judging
        self.readingNames = readingNames
    }

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
        if tag == .junk { return true }
        if !judging { return tree.traits[i].hidden }
        if tag == .h1 { return true }
        if tag.isInline { return false }
        let text = tree.text[i]
        if text == 0 { return tree.images[i] == 0 && tree.tags[i] != .br }
        let density = tree.linkDensity(i)
        if density > 0.5 { return true }
        switch tag {
        case .div, .section, .ul, .ol, .table, .form, .dl, .otherBlock:
            // Prose with commas, and quotes (embedded posts), are the story's.
            guard tree.commas[i] < 10, tree.quoteText[i] * 2 < text else { return false }
            let weight = readingNames ? tree.traits[i].weight : 0
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
        var preformatted = tree.tags[root] == .pre ? 1 : 0 // inside <pre>: keep its line breaks
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
                        if tag == .pre { preformatted += 1 }
                        current = node.firstChild
                        descend = true
                    } else if !tag.isInline && tag != .td && tag != .th {
                        out.flush()
                    }
                }
            } else if node.isText {
                if preformatted > 0 {
                    let lines = node.text.split(separator: "\n", omittingEmptySubsequences: false)
                    for (n, line) in lines.enumerated() {
                        if n > 0 { out.newLine() }
                        out.append(String(line))
                    }
                } else {
                    out.append(node.text)
                }
            }
            if descend { continue }
            var at = node
            while true {
                if let next = at.nextSibling { current = next; break }
                guard let (parent, tag) = stack.popLast() else { current = nil; break }
                if tag == .pre { preformatted -= 1 }
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
/// paragraphs vanish. Works on UTF-8 bytes: per-scalar Unicode property lookups would cost more
/// than the rest of extraction.
struct ParagraphBuilder {
    var paragraphs: [String] = []
    private var lines: [String] = []
    private var line: [UInt8] = []
    private var pendingSpace = false
    private var lineBreaks = 0

    mutating func append(_ text: String) {
        var bytes = text.utf8.makeIterator()
        var held: [UInt8] = [] // the start of a multi-byte sequence that may be a space
        while let b = bytes.next() {
            if held.isEmpty {
                if b < 0x80 {
                    if b == 0x20 || (b >= 0x09 && b <= 0x0D) { pendingSpace = true } else { emit(b) }
                } else if b == 0xC2 || b == 0xE1 || b == 0xE2 || b == 0xE3 {
                    held.append(b)
                } else {
                    emit(b)
                }
                continue
            }
            held.append(b)
            switch UTF8Whitespace.match(held) {
            case .space:
                pendingSpace = true
                held.removeAll(keepingCapacity: true)
            case .notSpace:
                for h in held { emit(h) }
                held.removeAll(keepingCapacity: true)
            case .undecided:
                break
            }
        }
        for h in held { emit(h) }
    }

    private mutating func emit(_ b: UInt8) {
        if pendingSpace && !line.isEmpty { line.append(0x20) }
        pendingSpace = false
        line.append(b)
        lineBreaks = 0
    }

    mutating func space() { pendingSpace = true }

    /// Ends the current line (a newline inside `<pre>`), without counting towards a paragraph break.
    mutating func newLine() { endLine() }

    mutating func lineBreak() {
        lineBreaks += 1
        if lineBreaks >= 2 {
            flush()
        } else {
            endLine()
        }
    }

    private mutating func endLine() {
        if !line.isEmpty { lines.append(String(decoding: line, as: UTF8.self)) }
        line.removeAll(keepingCapacity: true)
        pendingSpace = false
    }

    mutating func flush() {
        endLine()
        if !lines.isEmpty { paragraphs.append(lines.joined(separator: "\n")) }
        lines = []
        lineBreaks = 0
    }
}

/// Recognizes the multi-byte UTF-8 forms of Unicode White_Space (U+0085, U+00A0, U+1680,
/// U+2000-200A, U+2028, U+2029, U+202F, U+205F, U+3000) from their leading bytes.
enum UTF8Whitespace {
    enum Match { case space, notSpace, undecided }

    /// Judges the lead bytes `bytes` (two or three) of a multi-byte sequence.
    static func match<C: RandomAccessCollection>(_ bytes: C) -> Match where C.Element == UInt8, C.Index == Int {
        let s = bytes.startIndex
        let count = bytes.count
        let b0 = bytes[s], b1 = bytes[s + 1]
        switch b0 {
        case 0xC2: return b1 == 0x85 || b1 == 0xA0 ? .space : .notSpace
        case 0xE1:
            if count == 2 { return b1 == 0x9A ? .undecided : .notSpace }
            return bytes[s + 2] == 0x80 ? .space : .notSpace
        case 0xE2:
            if count == 2 { return b1 == 0x80 || b1 == 0x81 ? .undecided : .notSpace }
            if b1 == 0x80 {
                let c = bytes[s + 2]
                return (c >= 0x80 && c <= 0x8A) || c == 0xA8 || c == 0xA9 || c == 0xAF ? .space : .notSpace
            }
            return bytes[s + 2] == 0x9F ? .space : .notSpace
        case 0xE3:
            if count == 2 { return b1 == 0x80 ? .undecided : .notSpace }
            return bytes[s + 2] == 0x80 ? .space : .notSpace
        default: return .notSpace
        }
    }

    /// The byte length of the White_Space character (or U+200B, zero width space) starting at
    /// `i`, or 0 when there is none there.
    @inline(__always)
    static func spaceLength(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        let c = b[i]
        if c < 0x80 { return c == 0x20 || (c >= 0x09 && c <= 0x0D) ? 1 : 0 }
        guard c == 0xC2 || c == 0xE1 || c == 0xE2 || c == 0xE3, i + 1 < b.count else { return 0 }
        if c == 0xE2, i + 2 < b.count, b[i + 1] == 0x80, b[i + 2] == 0x8B { return 3 }
        switch match(b[i..<(i + 2)]) {
        case .space: return 2
        case .notSpace: return 0
        case .undecided:
            guard i + 2 < b.count else { return 0 }
            return match(b[i..<(i + 3)]) == .space ? 3 : 0
        }
    }

    /// Unicode White_Space, with the ASCII cases answered without a property lookup.
    @inline(__always)
    static func isWhitespace(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x80 { return v == 0x20 || (v >= 0x09 && v <= 0x0D) }
        return v == 0x85 || v == 0xA0 || v == 0x1680 || (v >= 0x2000 && v <= 0x200A) || v == 0x2028
            || v == 0x2029 || v == 0x202F || v == 0x205F || v == 0x3000
    }
}
