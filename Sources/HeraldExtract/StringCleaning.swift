import Foundation

// Small string helpers the metadata code shares; all work on short values (titles, names,
// attribute values), never on whole pages.

extension String {
    /// Runs of whitespace (including non-breaking spaces) as one space, trimmed.
    func collapsingWhitespace() -> String {
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for s in unicodeScalars {
            let isSpace = s.value < 0x80 ? (s.value == 0x20 || (s.value >= 0x09 && s.value <= 0x0D))
                : (s.properties.isWhitespace || s == "\u{200B}")
            if isSpace {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(" "); pendingSpace = false }
                out.append(s)
            }
        }
        return String(out)
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
