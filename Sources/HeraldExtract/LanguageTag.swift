/// Normalizes the language values pages declare (`en_US`, `EN-us`, `fr-FR`, `zh-Hant-TW`) to
/// BCP 47 casing; rejects values that are not language tags (`*`, `English`, `x-default`).
enum LanguageTag {
    static func normalize(_ raw: String?) -> String? {
        guard let raw else { return nil }
        let value = raw.trimmingWhitespace().replacingAll("_", with: "-", caseInsensitive: false)
        // "en-US, fr" (Content-Language lists): the first one.
        let first = value.split(whereSeparator: { $0 == "," || $0 == ";" || $0 == " " }).first.map(String.init) ?? ""
        let parts = first.split(separator: "-").map(String.init)
        guard let language = parts.first, (2...3).contains(language.count),
              language.allSatisfy({ $0.isASCII && $0.isLetter }) else { return nil }
        var out = [language.lowercased()]
        for part in parts.dropFirst() {
            guard !part.isEmpty, part.count <= 8, part.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { break }
            switch part.count {
            case 2 where part.allSatisfy(\.isLetter): out.append(part.uppercased())
            case 4 where part.allSatisfy(\.isLetter): out.append(part.prefix(1).uppercased() + part.dropFirst().lowercased())
            default: out.append(part.lowercased())
            }
        }
        return out.joined(separator: "-")
    }
}

extension LanguageTag {
    /// A language read from the writing system of a text when the page declares none, only for
    /// scripts that (nearly) one language uses: kana -> ja, Hangul -> ko, Han without kana -> zh,
    /// Thai, Greek, Hebrew, Georgian, Armenian. Latin, Cyrillic and Arabic text gives nil.
    static func guess(fromText text: String) -> String? {
        var han = 0, kana = 0, hangul = 0, thai = 0, greek = 0, hebrew = 0, georgian = 0, armenian = 0, letters = 0
        for s in text.unicodeScalars.prefix(400) {
            let v = s.value
            switch v {
            case 0x3040...0x30FF: kana += 1
            case 0x4E00...0x9FFF, 0x3400...0x4DBF: han += 1
            case 0xAC00...0xD7AF, 0x1100...0x11FF: hangul += 1
            case 0x0E00...0x0E7F: thai += 1
            case 0x0370...0x03FF, 0x1F00...0x1FFF: greek += 1
            case 0x0590...0x05FF: hebrew += 1
            case 0x10A0...0x10FF: georgian += 1
            case 0x0530...0x058F: armenian += 1
            default: break
            }
            if s.properties.isAlphabetic { letters += 1 }
        }
        guard letters >= 4 else { return nil }
        let threshold = max(2, letters / 3)
        if kana >= 2 && kana + han >= threshold { return "ja" }
        if hangul >= threshold { return "ko" }
        if han >= threshold { return "zh" }
        if thai >= threshold { return "th" }
        if greek >= threshold { return "el" }
        if hebrew >= threshold { return "he" }
        if georgian >= threshold { return "ka" }
        if armenian >= threshold { return "hy" }
        return nil
    }
}
