/// One lexical piece of a date string: a run of digits, a run of letters (lower-cased), or a
/// single punctuation character. Whitespace separates tokens and is dropped.
public enum DateToken: Equatable, Sendable {
    case number(Int, digits: Int)
    case word(String)
    case punct(Character)

    public func isPunct(_ set: String) -> Bool {
        if case .punct(let c) = self { return set.contains(c) }
        return false
    }

    /// `st`/`nd`/`rd`/`th`/`er`/`º` after a day number, or `of`/`de` before the month.
    public var isOrdinalOrConnector: Bool {
        guard case .word(let w) = self else { return false }
        return ["st", "nd", "rd", "th", "er", "re", "e", "º", "o", "of", "de", "del"].contains(w)
    }

    /// Words between a date and its time: `at`, `à`, `um`, `a las`, `t` (ISO), weekday-free.
    public var isTimeConnector: Bool {
        guard case .word(let w) = self else { return false }
        return ["t", "at", "à", "a", "um", "las", "la", "kl", "klo", "alle", "ore", "om", "às", "gegen"].contains(w)
    }
}

/// Cuts text into `DateToken`s for `DateGrammar`. Pure functions; thread-safe.
public enum DateTokenizer {
    /// Splits text into date tokens; stops after `limit` characters (dates sit near the start of
    /// the elements they are looked for in).
    public static func tokens(of text: String, limit: Int = 400) -> [DateToken] {
        var out: [DateToken] = []
        var number = 0, digits = 0
        var word = String.UnicodeScalarView()
        var count = 0
        func flush() {
            if digits > 0 {
                out.append(.number(digits > 15 ? Int.max : number, digits: digits))
                number = 0
                digits = 0
            }
            if !word.isEmpty {
                out.append(.word(String(word).lowercased()))
                word = String.UnicodeScalarView()
            }
        }
        for s in text.unicodeScalars {
            count += 1
            if count > limit { break }
            let v = s.value
            // ASCII first: the Unicode property lookups are the tokenizer's main cost.
            let isAlphabetic = v < 0x80 ? (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A) : s.properties.isAlphabetic
            if v >= 48 && v <= 57 {
                if !word.isEmpty { flush() }
                if digits <= 15 { number = number &* 10 &+ Int(s.value - 48) }
                digits += 1
            } else if isAlphabetic {
                if digits > 0 { flush() }
                word.append(s)
                // CJK date markers stand alone so that 2024年2月20日 splits into pieces.
                if s == "年" || s == "月" || s == "日" { flush() }
            } else {
                flush()
                let isWhitespace = v < 0x80 ? v == 0x20 || (v >= 0x09 && v <= 0x0D) : s.properties.isWhitespace
                if !isWhitespace { out.append(.punct(Character(s))) }
            }
        }
        flush()
        return out
    }
}
