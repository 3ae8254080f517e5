import Foundation

/// Turns a byline as pages write it ("By Jane Doe and John Roe", "Von Max Muster",
/// "Par Sébastien Farcis", "Martin U. (avec D. Leloup et M. Tual)") into a list of names.
///
/// Drops what is not a name: the leading "by", dates and times glued on, job titles after a
/// comma-separated credential (`MA`, `PhD`), URLs and @handles. Pure functions.
enum AuthorNames {
    static func split(_ byline: String) -> [String] {
        var text = byline
        // Lines after the first usually hold the outlet or a job title ("WebMD Health News");
        // a line that is only "By" or "Author:" belongs with the next one.
        let lines = text.split(whereSeparator: \.isNewline).map { String($0).collapsingWhitespace() }.filter { !$0.isEmpty }
        if var first = lines.first {
            var k = 1
            while k < lines.count, isPrefixOnly(first) {
                first += " " + lines[k]
                k += 1
            }
            text = first
        }
        text = text.collapsingWhitespace()
        // Dates and counters glued to the name ("Lucas Nolan22 Dec 2016").
        if let digit = text.firstIndex(where: \.isNumber) { text = String(text[..<digit]) }
        text = stripPrefix(text)
        // Trailing pieces that are not names.
        for cut in [" | ", " – ", " — ", " - ", " · ", " • ", " updated", " published", " on "] {
            if let r = text.range(of: cut, options: .caseInsensitive) { text = String(text[..<r.lowerBound]) }
        }
        var separated = openingCoAuthorGroups(text)
        for sep in [" and ", " & ", " und ", " et ", " y ", " e ", " en ", " og ", " och ", " avec ",
                    " with ", " mit ", " con ", ";", "/", "、", "，", " ,"] {
            separated = separated.replacingAll(sep, with: ",", caseInsensitive: sep.first == " ")
        }
        var names: [String] = []
        for piece in separated.split(separator: ",") {
            var name = stripPrefix(String(piece).collapsingWhitespace())
            name = name.trimmingCharacters(in: CharacterSet(charactersIn: " .:·-–—|\"'“”"))
            guard isPlausibleName(name) else { continue }
            if !names.contains(where: { $0.caseInsensitiveEquals(name) }) { names.append(name) }
        }
        // "Tom Krisher, AP Auto Writer", "Troy Smith, cleveland.com": job titles and outlets
        // after a name are not authors of their own.
        if names.count > 1 {
            let people = names.filter { !isJobTitle($0) && !isDomain($0) }
            if !people.isEmpty { names = people }
        }
        return names
    }

    /// "(avec Damien Leloup et Morgane Tual)" lists more authors: its parentheses become
    /// separators. Other parentheses ("Richard (R.J.) Eskow") stay part of the name.
    private static func openingCoAuthorGroups(_ text: String) -> String {
        var out = ""
        var rest = text[...]
        while let open = rest.firstIndex(of: "("), let close = rest[open...].firstIndex(of: ")") {
            let inner = rest[rest.index(after: open)..<close].lowercased()
            let listsPeople = [" avec ", "avec ", "with ", " and ", " et ", " und ", " y ", ",", " & "]
                .contains { inner.hasPrefix($0) || inner.contains($0) }
            out += rest[..<open]
            out += listsPeople ? ", " + rest[rest.index(after: open)..<close] + ", " : rest[open...close]
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }

    /// "By", "Von", "Par", "Por", "Door", "Di", "Av", "Text:", "Author:" ... at the start.
    static func stripPrefix(_ text: String) -> String {
        var t = text.trimmingCharacters(in: CharacterSet(charactersIn: " :-–—|·•"))
        // "Analysis by Chris Cillizza", "Story and photos by ...": the name follows " by ".
        if let by = t.range(of: " by ", options: .caseInsensitive),
           t[..<by.lowerBound].split(separator: " ").count <= 3 {
            t = String(t[by.upperBound...])
        }
        let lower = t.lowercased()
        for prefix in prefixes where lower.hasPrefix(prefix) {
            let rest = t.dropFirst(prefix.count)
            if let first = rest.first, first == " " || first == ":" || first == "\u{A0}" {
                t = String(rest).trimmingCharacters(in: CharacterSet(charactersIn: " :-–—|·•\u{A0}"))
                break
            }
        }
        return t
    }

    /// "By", "Von :", "Author:" with nothing after them.
    private static func isPrefixOnly(_ line: String) -> Bool {
        let key = line.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: " :-–—|·•"))
        return prefixes.contains(key)
    }

    private static let prefixes = [
        "written by", "posted by", "reported by", "reporting by", "story by", "words by", "published by",
        "by", "von", "par", "por", "door", "di", "da", "av", "af", "text", "texte", "author", "authors",
        "autor", "autorin", "auteur", "auteurs", "redacción", "redaktion", "écrit par", "escrito por",
        "текст", "автор", "автори", "tekst", "testo", "texto",
    ]

    private static func isPlausibleName(_ name: String) -> Bool {
        guard !name.isEmpty, name.count <= 80 else { return false }
        if name.hasPrefix("@") || name.contains("://") || name.hasPrefix("www.") { return false }
        let words = name.split(separator: " ")
        guard words.count <= 8 else { return false }
        // Credentials after a comma ("Brenda Goodman, MA"), not names of their own.
        if words.count == 1, credentials.contains(name.replacingAll(".", with: "", caseInsensitive: false).lowercased()) {
            return false
        }
        return name.contains(where: \.isLetter)
    }

    private static func isJobTitle(_ name: String) -> Bool {
        let words = name.lowercased().split(whereSeparator: { $0 == " " || $0 == "-" })
        return words.contains { jobWords.contains(String($0)) }
    }

    private static let jobWords: Set<String> = [
        "writer", "reporter", "correspondent", "editor", "columnist", "contributor", "producer",
        "journalist", "redakteur", "redakteurin", "korrespondent", "correspondant", "rédacteur",
        "corresponsal", "redactor", "redactora", "photographer", "staff",
    ]

    private static func isDomain(_ name: String) -> Bool {
        guard !name.contains(" "), let dot = name.lastIndex(of: ".") else { return false }
        let tld = name[name.index(after: dot)...]
        return (2...6).contains(tld.count) && tld.allSatisfy { $0.isASCII && $0.isLetter }
    }

    private static let credentials: Set<String> = [
        "ma", "ms", "msc", "mba", "md", "phd", "rn", "do", "rd", "bsc", "ba", "jr", "sr", "mph", "dds",
        "mfa", "lcsw", "cpa", "esq", "facs", "faan", "rdn", "cdn", "cde", "np", "lpn", "cfp", "cfa", "dvm",
    ]
}
