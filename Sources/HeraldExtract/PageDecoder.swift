import Foundation
import HeraldXML

/// Turns the bytes of a page, in whatever charset it came in, into valid UTF-8 for the parser.
///
/// The charset is chosen the way browsers do: a byte-order mark first, then the HTTP
/// Content-Type charset, then a `<meta charset>` / `http-equiv` declaration in the first 4 KB,
/// else UTF-8. Legacy charsets are converted with iconv; bytes invalid in the chosen charset
/// become U+FFFD, never an error. Stateless and thread-safe.
enum PageDecoder {
    /// How far into the page a charset declaration is looked for (browsers use 1024 bytes; many
    /// real pages put long `<script>` blocks first, so look a little further).
    static let prescanLimit = 4096

    static func decode(_ bytes: [UInt8], httpCharset: String?) throws -> [UInt8] {
        guard !bytes.isEmpty else { throw ExtractionError.emptyInput }
        if let (bomCharset, bomLength) = byteOrderMark(bytes) {
            let rest = Array(bytes[bomLength...])
            if bomCharset == "UTF-8" { return CharsetDecoder.repairUTF8(rest) }
            return CharsetDecoder.decode(rest, from: bomCharset) ?? CharsetDecoder.repairUTF8(rest)
        }
        var charset: String?
        if let label = httpCharset, let name = CharsetLabel.iconvName(for: label, declaredInPage: false) {
            charset = name
        } else if let label = declaredCharset(bytes), let name = CharsetLabel.iconvName(for: label, declaredInPage: true) {
            charset = name
        }
        guard let charset, charset != "UTF-8" else { return CharsetDecoder.repairUTF8(bytes) }
        // Bytes that are valid UTF-8 and use multi-byte sequences are UTF-8 whatever the label
        // says: legacy text almost never forms valid UTF-8 by accident, while servers and
        // re-saved pages declaring the wrong charset (e.g. a default ISO-8859-1) are common.
        if CharsetDecoder.isValidUTF8(bytes), bytes.contains(where: { $0 >= 0x80 }) { return bytes }
        guard let utf8 = CharsetDecoder.decode(bytes, from: charset) else { return CharsetDecoder.repairUTF8(bytes) }
        return utf8
    }

    /// The page with a `</title>` put where an unterminated `<title>`'s line ends. A title is
    /// read as plain text up to its end tag, so one left open (a page saved or served cut, a
    /// template bug) swallows the whole document: no body, and a headline thousands of
    /// characters long. Pages with a closed title, or none, come back as they are.
    static func closingUnterminatedTitle(_ b: [UInt8]) -> [UInt8] {
        // A page's <title> sits in its head: past the first 64 KiB there is none to repair.
        guard let open = find(b, "<title", from: 0, within: 65_536),
              let openEnd = b[open...].firstIndex(of: UInt8(ascii: ">")),
              find(b, "</title", from: openEnd) == nil else { return b }
        var end = openEnd + 1
        var sawText = false
        while end < b.count {
            let c = b[end]
            if c == UInt8(ascii: "<") || (c == 0x0A && sawText) { break }
            if c > 0x20 { sawText = true }
            end += 1
        }
        var out = b
        out.insert(contentsOf: Array("</title>".utf8), at: end)
        return out
    }

    /// Where `needle` (lower-case ASCII) first occurs in `b` at or after `from`, ignoring ASCII case.
    private static func find(_ b: [UInt8], _ needle: String, from: Int, within: Int = .max) -> Int? {
        let n = Array(needle.utf8)
        guard let first = n.first, b.count >= n.count else { return nil }
        var i = from
        let last = min(b.count - n.count, within)
        while i <= last {
            if b[i] | 0x20 == first || b[i] == first {
                var k = 1
                while k < n.count && (b[i + k] | 0x20) == n[k] { k += 1 }
                if k == n.count { return i }
            }
            i += 1
        }
        return nil
    }

    /// The charset a byte-order mark announces, and the mark's length.
    static func byteOrderMark(_ b: [UInt8]) -> (String, Int)? {
        if b.count >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF { return ("UTF-8", 3) }
        if b.count >= 2, b[0] == 0xFF, b[1] == 0xFE { return ("UTF-16LE", 2) }
        if b.count >= 2, b[0] == 0xFE, b[1] == 0xFF { return ("UTF-16BE", 2) }
        return nil
    }

    /// The charset label of the first `<meta charset=...>` or
    /// `<meta http-equiv="Content-Type" content="...; charset=...">` in the first bytes of the
    /// page, found by a byte scan (comments skipped) without parsing the page.
    static func declaredCharset(_ bytes: [UInt8]) -> String? {
        let end = min(bytes.count, prescanLimit)
        var i = 0
        while i < end {
            guard bytes[i] == UInt8(ascii: "<") else { i += 1; continue }
            if matches(bytes, at: i, "<!--") {
                i = skipComment(bytes, from: i + 4, end: end)
                continue
            }
            if matches(bytes, at: i, "<meta"), i + 5 < end, isSpaceOrSlash(bytes[i + 5]) {
                var j = i + 5
                var charset: String?
                var content: String?
                var isContentType = false
                while let (name, value, next) = nextAttribute(bytes, from: j, end: end) {
                    j = next
                    switch name {
                    case "charset": if charset == nil { charset = value }
                    case "content": if content == nil { content = value }
                    case "http-equiv": isContentType = value.lowercased() == "content-type"
                    default: break
                    }
                }
                if let charset, !charset.isEmpty { return charset }
                if isContentType, let content, let label = charsetParameter(content) { return label }
                i = j
                continue
            }
            i += 1
        }
        return nil
    }

    /// The `charset=` parameter of a Content-Type value such as `text/html; charset="utf-8"`.
    static func charsetParameter(_ contentType: String) -> String? {
        let lower = contentType.lowercased()
        guard let range = lower.range(of: "charset") else { return nil }
        var rest = lower[range.upperBound...].drop(while: { $0 == " " })
        guard rest.first == "=" else { return nil }
        rest = rest.dropFirst().drop(while: { $0 == " " || $0 == "\"" || $0 == "'" })
        let label = rest.prefix(while: { $0 != ";" && $0 != "\"" && $0 != "'" && $0 != " " && $0 != "," })
        return label.isEmpty ? nil : String(label)
    }

    // MARK: byte scanning

    private static func matches(_ b: [UInt8], at i: Int, _ lit: StaticString) -> Bool {
        let n = lit.utf8CodeUnitCount
        guard i + n <= b.count else { return false }
        return lit.withUTF8Buffer { want in
            for k in 0..<n where asciiLower(b[i + k]) != want[k] { return false }
            return true
        }
    }

    private static func skipComment(_ b: [UInt8], from start: Int, end: Int) -> Int {
        var i = start
        while i + 2 < end {
            if b[i] == UInt8(ascii: "-"), b[i + 1] == UInt8(ascii: "-"), b[i + 2] == UInt8(ascii: ">") { return i + 3 }
            i += 1
        }
        return end
    }

    private static func asciiLower(_ c: UInt8) -> UInt8 {
        (c >= 65 && c <= 90) ? c + 32 : c
    }

    private static func isSpace(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0C || c == 0x0D
    }

    private static func isSpaceOrSlash(_ c: UInt8) -> Bool { isSpace(c) || c == UInt8(ascii: "/") }

    /// The next attribute of a tag as (lower-case name, value, index after it); nil at `>`.
    private static func nextAttribute(_ b: [UInt8], from start: Int, end: Int) -> (String, String, Int)? {
        var i = start
        while i < end, isSpaceOrSlash(b[i]) { i += 1 }
        guard i < end, b[i] != UInt8(ascii: ">") else { return nil }
        var name: [UInt8] = []
        while i < end, !isSpace(b[i]), b[i] != UInt8(ascii: "="), b[i] != UInt8(ascii: ">"),
              b[i] != UInt8(ascii: "/") || name.isEmpty {
            name.append(asciiLower(b[i]))
            i += 1
        }
        while i < end, isSpace(b[i]) { i += 1 }
        guard i < end, b[i] == UInt8(ascii: "=") else {
            return (String(decoding: name, as: UTF8.self), "", i)
        }
        i += 1
        while i < end, isSpace(b[i]) { i += 1 }
        var value: [UInt8] = []
        if i < end, b[i] == UInt8(ascii: "\"") || b[i] == UInt8(ascii: "'") {
            let quote = b[i]
            i += 1
            while i < end, b[i] != quote { value.append(b[i]); i += 1 }
            i += 1
        } else {
            while i < end, !isSpace(b[i]), b[i] != UInt8(ascii: ">") { value.append(b[i]); i += 1 }
        }
        let text = String(decoding: value, as: UTF8.self).trimmingWhitespace()
        return (String(decoding: name, as: UTF8.self), text, i)
    }
}
