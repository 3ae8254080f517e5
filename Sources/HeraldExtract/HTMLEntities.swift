/// Decodes the HTML character references that leak into JSON-LD values and attribute-like text
/// (`&amp;`, `&#8217;`, `&#x2014;`, the common named ones). Unknown or malformed references are
/// left as written; references to invalid code points become U+FFFD.
enum HTMLEntities {
    static func decode(_ text: String) -> String {
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
            let body = String(String.UnicodeScalarView(scalars[(i + 1)..<j]))
            if let decoded = reference(body) {
                out.append(contentsOf: decoded.unicodeScalars)
                i = j + 1
            } else {
                out.append(s)
                i += 1
            }
        }
        return String(out)
    }

    private static func reference(_ body: String) -> String? {
        if body.hasPrefix("#") {
            let digits = body.dropFirst()
            let value: UInt32?
            if digits.hasPrefix("x") || digits.hasPrefix("X") {
                value = UInt32(digits.dropFirst(), radix: 16)
            } else {
                value = UInt32(digits, radix: 10)
            }
            guard let value else { return nil }
            if value == 0 { return "\u{FFFD}" }
            return String(Unicode.Scalar(value).map(Character.init) ?? "\u{FFFD}")
        }
        return named[body]
    }

    private static let named: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}",
        "rsquo": "\u{2019}", "lsquo": "\u{2018}", "rdquo": "\u{201D}", "ldquo": "\u{201C}",
        "sbquo": "\u{201A}", "bdquo": "\u{201E}", "laquo": "\u{AB}", "raquo": "\u{BB}",
        "ndash": "\u{2013}", "mdash": "\u{2014}", "hellip": "\u{2026}", "middot": "\u{B7}",
        "bull": "\u{2022}", "copy": "\u{A9}", "reg": "\u{AE}", "trade": "\u{2122}", "euro": "\u{20AC}",
        "pound": "\u{A3}", "deg": "\u{B0}", "eacute": "é", "egrave": "è", "ecirc": "ê", "aacute": "á",
        "agrave": "à", "acirc": "â", "auml": "ä", "ouml": "ö", "uuml": "ü", "Auml": "Ä", "Ouml": "Ö",
        "Uuml": "Ü", "szlig": "ß", "ccedil": "ç", "ntilde": "ñ", "iacute": "í", "oacute": "ó",
        "uacute": "ú", "Eacute": "É", "ocirc": "ô", "icirc": "î", "ucirc": "û", "iuml": "ï",
        "euml": "ë", "oslash": "ø", "aring": "å", "zwj": "\u{200D}", "zwnj": "\u{200C}", "shy": "\u{AD}",
    ]
}
