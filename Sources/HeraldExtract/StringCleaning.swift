import Foundation

// Small string helpers the metadata code shares; all work on short values (titles, names,
// attribute values), never on whole pages.

extension String {
    /// Runs of whitespace (including non-breaking spaces) as one space, trimmed.
    func collapsingWhitespace() -> String {
        var copy = self
        return copy.withUTF8 { Self.collapsingWhitespace($0) }
    }

    /// Works on the UTF-8 bytes: a per-scalar property lookup here cost more than the text
    /// measurements it serves. White_Space in UTF-8 is ASCII whitespace, U+0085, U+00A0,
    /// U+1680, U+2000-200A, U+2028, U+2029, U+202F, U+205F and U+3000; U+200B counts too.
    private static func collapsingWhitespace(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var pendingSpace = false
        let n = bytes.count
        var i = 0
        while i < n {
            let b = bytes[i]
            var space = 0
            if b < 0x80 {
                if b == 0x20 || (b >= 0x09 && b <= 0x0D) { space = 1 }
            } else if b == 0xC2, i + 1 < n, bytes[i + 1] == 0x85 || bytes[i + 1] == 0xA0 {
                space = 2
            } else if i + 2 < n, b >= 0xE1, b <= 0xE3 {
                let c1 = bytes[i + 1], c2 = bytes[i + 2]
                switch b {
                case 0xE1: if c1 == 0x9A && c2 == 0x80 { space = 3 }
                case 0xE2:
                    if (c1 == 0x80 && ((c2 >= 0x80 && c2 <= 0x8B) || c2 == 0xA8 || c2 == 0xA9 || c2 == 0xAF))
                        || (c1 == 0x81 && c2 == 0x9F) { space = 3 }
                default: if c1 == 0x80 && c2 == 0x80 { space = 3 }
                }
            }
            if space > 0 {
                pendingSpace = !out.isEmpty
                i += space
                continue
            }
            if pendingSpace { out.append(0x20); pendingSpace = false }
            out.append(b)
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension String {
    /// Every occurrence of `target` replaced (optionally ignoring case).
    func replacingAll(_ target: String, with replacement: String, caseInsensitive: Bool) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = self[...]
        while let r = rest.range(of: target, options: caseInsensitive ? .caseInsensitive : []) {
            result += rest[..<r.lowerBound]
            result += replacement
            rest = rest[r.upperBound...]
        }
        result += rest
        return result
    }

    /// Equal ignoring case and diacritics.
    func caseInsensitiveEquals(_ other: String) -> Bool {
        compare(other, options: [.caseInsensitive, .diacriticInsensitive]) == .orderedSame
    }
}

extension String {
    /// The rest after `prefix` when the string starts with it (compared ignoring case).
    func strippingPrefix(_ prefix: String) -> Substring? {
        guard count > prefix.count, lowercased().hasPrefix(prefix.lowercased()) else { return nil }
        return dropFirst(prefix.count)
    }

    func strippingSuffix(_ suffix: String) -> Substring? {
        guard count > suffix.count, lowercased().hasSuffix(suffix.lowercased()) else { return nil }
        return dropLast(suffix.count)
    }
}
