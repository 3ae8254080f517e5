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
