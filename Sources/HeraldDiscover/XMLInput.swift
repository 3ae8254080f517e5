import HeraldFormats
import HeraldXML

/// The shared front end of feed and sitemap parsing: size cap, gzip, streamed XML.
enum XMLInput {
    static func inflate(_ bytes: [UInt8], maxBytes: Int) throws -> [UInt8] {
        guard !bytes.isEmpty else { throw DiscoveryError.empty }
        if Gzip.isCompressed(bytes) {
            let inflated: [UInt8]
            do {
                inflated = try Gzip.decompress(bytes, limit: maxBytes)
            } catch Gzip.Failure.tooLarge(let limit) {
                throw DiscoveryError.tooLarge(limit: limit)
            } catch {
                throw DiscoveryError.corruptGzip("\(error)")
            }
            guard !inflated.isEmpty else { throw DiscoveryError.corruptGzip("no data inflated") }
            return inflated
        }
        guard bytes.count <= maxBytes else { throw DiscoveryError.tooLarge(limit: maxBytes) }
        return bytes
    }

    /// Streams the elements of inflated bytes (character references made robust first) to
    /// `visit`; parse failures become `DiscoveryError`s.
    static func elements(_ plain: [UInt8], url: CrawlURL,
                         visit: (XMLStream.Element) throws -> XMLStream.Step) throws {
        do {
            try XMLStream.elements(normalizeReferences(plain), url: url.string, visit: visit)
        } catch let error as XMLError {
            if error == .empty { throw DiscoveryError.empty }
            throw DiscoveryError.unparsable(error.description)
        }
    }

    /// Rewrites every `&` outside CDATA sections and comments as a numeric character
    /// reference, because libxml2's error recovery loses named references: after the first
    /// error in a document (an HTML `&eacute;` that XML does not define, a raw `&` in a URL, a
    /// blank line before `<?xml`) every later `&amp;` is dropped, so `?a=1&amp;b=2` would become
    /// `?a=1b=2`, another URL. Numeric references survive. So `&amp;` `&lt;` ... and the HTML 4
    /// names become `&#N;`; an unknown name or a raw `&` becomes `&#38;` (a literal ampersand),
    /// as lenient feed readers treat them. Documents declaring their own entities keep named
    /// references. Leading blanks before the XML declaration are dropped. Returns the input
    /// when there is nothing to change.
    static func normalizeReferences(_ input: [UInt8]) -> [UInt8] {
        var start = 0
        if input.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        var firstNonBlank = start
        while firstNonBlank < input.count, input[firstNonBlank] <= 0x20 { firstNonBlank += 1 }
        let b = firstNonBlank > start && hasPrefix(input, firstNonBlank, "<?xml") ? Array(input[firstNonBlank...]) : input
        guard b.contains(UInt8(ascii: "&")) else { return b }
        let keepNamed = find(b, from: 0, "<!ENTITY") != nil

        var out: [UInt8] = []
        var last = 0 // b[last...] not yet copied to out
        var changed = false
        func replace(_ range: Range<Int>, with codePoint: UInt32) {
            if !changed { out.reserveCapacity(b.count + 64); changed = true }
            out.append(contentsOf: b[last..<range.lowerBound])
            out.append(contentsOf: Array("&#\(codePoint);".utf8))
            last = range.upperBound
        }
        var i = 0
        while i < b.count {
            switch b[i] {
            case UInt8(ascii: "<"):
                if hasPrefix(b, i, "<![CDATA[") {
                    i = (find(b, from: i + 9, "]]>") ?? b.count) + 3
                    continue
                }
                if hasPrefix(b, i, "<!--") {
                    i = (find(b, from: i + 4, "-->") ?? b.count) + 3
                    continue
                }
            case UInt8(ascii: "&"):
                switch reference(b, i) {
                case .numeric(let end):
                    i = end
                    continue
                case .named(let name, let end):
                    if keepNamed { i = end; continue }
                    if let codePoint = HTMLEntities.codePoint(named: name) {
                        replace(i..<end, with: codePoint)
                    } else {
                        replace(i..<(i + 1), with: 38)
                    }
                    i = end
                    continue
                case .none:
                    replace(i..<(i + 1), with: 38)
                }
            default:
                break
            }
            i += 1
        }
        guard changed else { return b }
        out.append(contentsOf: b[last...])
        return out
    }

    private enum Reference {
        case numeric(end: Int)
        case named(String, end: Int)
        case none
    }

    /// What the `&` at `i` starts: `&#123;` / `&#x1F;`, `&name;`, or nothing valid.
    private static func reference(_ b: [UInt8], _ i: Int) -> Reference {
        var j = i + 1
        let limit = min(b.count, i + 40)
        guard j < limit else { return .none }
        func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }
        if b[j] == UInt8(ascii: "#") {
            j += 1
            let hex = j < limit && (b[j] == UInt8(ascii: "x") || b[j] == UInt8(ascii: "X"))
            if hex { j += 1 }
            let start = j
            while j < limit, isDigit(b[j]) || (hex && isLetter(b[j]) && (b[j] | 0x20) <= 0x66) { j += 1 }
            return j > start && j < limit && b[j] == UInt8(ascii: ";") ? .numeric(end: j + 1) : .none
        }
        guard isLetter(b[j]) || b[j] == UInt8(ascii: "_") else { return .none }
        let start = j
        j += 1
        while j < limit, isLetter(b[j]) || isDigit(b[j]) || b[j] == UInt8(ascii: "_") || b[j] == UInt8(ascii: "-")
            || b[j] == UInt8(ascii: ".") { j += 1 }
        guard j < limit, b[j] == UInt8(ascii: ";") else { return .none }
        return .named(String(decoding: b[start..<j], as: UTF8.self), end: j + 1)
    }

    private static func hasPrefix(_ b: [UInt8], _ i: Int, _ prefix: StaticString) -> Bool {
        prefix.withUTF8Buffer { p in
            guard i + p.count <= b.count else { return false }
            for k in 0..<p.count where b[i + k] != p[k] { return false }
            return true
        }
    }

    private static func find(_ b: [UInt8], from start: Int, _ needle: StaticString) -> Int? {
        var i = start
        while i < b.count {
            if b[i] == needle.utf8Start.pointee, hasPrefix(b, i, needle) { return i }
            i += 1
        }
        return nil
    }
}
