import Foundation

// Small string helpers the metadata code shares; all work on short values (titles, names,
// attribute values), never on whole pages.

extension String {
    /// Runs of whitespace (including non-breaking spaces) as one space, trimmed.
    func collapsingWhitespace() -> String {
        var copy = self
        return copy.withUTF8 { Self.collapsingWhitespace($0) }
    }

    /// Works on the UTF-8 bytes (`UTF8Whitespace`): a per-scalar property lookup here cost more
    /// than the text measurements it serves. U+200B counts as a space too.
    private static func collapsingWhitespace(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var pendingSpace = false
        var i = 0
        while i < bytes.count {
            let space = UTF8Whitespace.spaceLength(bytes, at: i)
            if space > 0 {
                pendingSpace = !out.isEmpty
                i += space
                continue
            }
            if pendingSpace { out.append(0x20); pendingSpace = false }
            out.append(bytes[i])
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
