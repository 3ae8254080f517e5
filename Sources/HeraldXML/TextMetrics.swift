import CLibXML2

/// Cheap measurements of a text node's content, counted straight from libxml2's UTF-8 buffer so
/// that scoring a whole page needs no String per text node.
public struct TextMetrics: Sendable, Equatable {
    /// Visible characters: Unicode scalars other than whitespace.
    public var characters = 0
    /// Commas (ASCII and the CJK/Arabic forms), the Readability measure of prose.
    public var commas = 0

    public init(characters: Int = 0, commas: Int = 0) {
        self.characters = characters
        self.commas = commas
    }
}

extension Node {
    /// True when the element has at least one attribute (a cheap test before looking any up).
    public var hasAttributes: Bool { ptr.pointee.properties != nil }

    /// The values of the named attributes (lower-case names, as the HTML parser stores them), in
    /// the order asked, found in one pass over the element's attributes.
    public func attributeValues(_ names: [StaticString]) -> [String?] {
        var out = [String?](repeating: nil, count: names.count)
        var prop = ptr.pointee.properties
        while let p = prop {
            if let n = p.pointee.name {
                for k in 0..<names.count where out[k] == nil && Node.equal(n, names[k]) {
                    if let child = p.pointee.children, child.pointee.next == nil, let c = child.pointee.content {
                        out[k] = String(cString: c)
                    } else {
                        out[k] = Node(UnsafeMutableRawPointer(p).assumingMemoryBound(to: xmlNode.self)).textContent
                    }
                    break
                }
            }
            prop = p.pointee.next
        }
        return out
    }

    private static func equal(_ c: UnsafePointer<xmlChar>, _ name: StaticString) -> Bool {
        name.withUTF8Buffer { want in
            var i = 0
            while i < want.count {
                if c[i] != want[i] { return false }
                i += 1
            }
            return c[i] == 0
        }
    }

    /// The measurements of a text or CDATA node's content (zero for other kinds).
    public var textMetrics: TextMetrics {
        guard isText, let c = ptr.pointee.content else { return TextMetrics() }
        var m = TextMetrics()
        var i = 0
        while true {
            let b = c[i]
            if b == 0 { break }
            switch b {
            case 0x20, 0x09, 0x0A, 0x0D, 0x0C:
                break
            case 0x2C:
                m.characters += 1
                m.commas += 1
            case 0xC2 where c[i + 1] == 0xA0:
                i += 1 // no-break space
            case 0xEF where c[i + 1] == 0xBC && c[i + 2] == 0x8C: // U+FF0C fullwidth comma
                m.characters += 1
                m.commas += 1
                i += 2
            case 0xE3 where c[i + 1] == 0x80 && c[i + 2] == 0x81: // U+3001 ideographic comma
                m.characters += 1
                m.commas += 1
                i += 2
            case 0xD8 where c[i + 1] == 0x8C: // U+060C Arabic comma
                m.characters += 1
                m.commas += 1
                i += 1
            default:
                if b & 0xC0 != 0x80 { m.characters += 1 }
            }
            i += 1
        }
        return m
    }
}

/// How a text node's bytes read once whitespace runs collapse to one space: what a reader who
/// cuts a page into lines needs to measure them without building a String per node.
public struct TextLayout: Sendable, Equatable {
    /// Bytes other than ASCII whitespace.
    public var visibleBytes = 0
    /// Whitespace runs between visible bytes (each becomes one space).
    public var innerSpaces = 0
    public var startsWithSpace = false
    public var endsWithSpace = false
    /// Holds four digits in a row starting 19 or 20: a year, so possibly a date.
    public var hasYear = false

    public init() {}
}

extension Node {
    /// The layout of a text or CDATA node's content (empty for other kinds).
    public var textLayout: TextLayout {
        var l = TextLayout()
        guard isText, let c = ptr.pointee.content else { return l }
        var i = 0, run = 0, first: UInt8 = 0, second: UInt8 = 0
        var inSpace = false, sawVisible = false
        while true {
            let b = c[i]
            if b == 0 { break }
            if b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C {
                if i == 0 { l.startsWithSpace = true }
                inSpace = true
                run = 0
            } else {
                if inSpace && sawVisible { l.innerSpaces += 1 }
                inSpace = false
                sawVisible = true
                l.visibleBytes += 1
                if b >= 0x30 && b <= 0x39 {
                    if run == 0 { first = b } else if run == 1 { second = b }
                    run += 1
                    if run == 4, (first == 0x31 && second == 0x39) || (first == 0x32 && second == 0x30) { l.hasYear = true }
                } else {
                    run = 0
                }
            }
            i += 1
        }
        l.endsWithSpace = inSpace && i > 0
        return l
    }
}
