import CLibXML2

/// HTML character references: the named ones from libxml2's full HTML 4 table (the 253 names
/// pages and feeds copy, `&apos;` included) and numeric ones (`&#8217;`, `&#x2014;`).
/// Pure functions over a static C table; thread-safe.
public enum HTMLEntities {
    /// The code point `&name;` stands for (case-sensitive, as HTML is), or nil.
    public static func codePoint(named name: some StringProtocol) -> UInt32? {
        guard !name.isEmpty, name.utf8.count < 16 else { return nil }
        let bytes = Array(name.utf8) + [0]
        return bytes.withUnsafeBufferPointer { htmlEntityLookup($0.baseAddress)?.pointee.value }
    }

    /// `text` with its references decoded, for values that leak them (JSON-LD, attribute-like
    /// text). Unknown or malformed references are left as written; references to invalid code
    /// points (0, surrogates, beyond U+10FFFF) become U+FFFD.
    public static func decode(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "&")) else { return text }
        var out = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        var i = 0
        while i < scalars.count {
            let s = scalars[i]
            guard s == "&" else { out.append(s); i += 1; continue }
            // Find the terminating ';' within a short distance.
            var j = i + 1
            while j < scalars.count, j - i <= 32, scalars[j] != ";", scalars[j] != "&", !scalars[j].properties.isWhitespace { j += 1 }
            guard j < scalars.count, scalars[j] == ";", j > i + 1 else { out.append(s); i += 1; continue }
            if let decoded = reference(String(String.UnicodeScalarView(scalars[(i + 1)..<j]))) {
                out.append(decoded)
                i = j + 1
            } else {
                out.append(s)
                i += 1
            }
        }
        return String(out)
    }

    /// What the body of `&body;` stands for.
    private static func reference(_ body: String) -> Unicode.Scalar? {
        guard body.hasPrefix("#") else { return codePoint(named: body).flatMap(Unicode.Scalar.init) }
        let digits = body.dropFirst()
        let value = digits.hasPrefix("x") || digits.hasPrefix("X")
            ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
        guard let value else { return nil }
        return value == 0 ? "\u{FFFD}" : Unicode.Scalar(value) ?? "\u{FFFD}"
    }
}
