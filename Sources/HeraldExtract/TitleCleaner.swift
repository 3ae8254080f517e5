import Foundation

/// Removes the site name (and section) that pages put around an article's title:
/// "Putin gives ... | LBCI Lebanon", "Obama admits ... - BBC News", "Spiegel: ...".
///
/// A segment is only dropped when there is evidence it is not the headline: it matches the site
/// name or the host name, or a page heading equals the remaining part. Pure functions.
enum TitleCleaner {
    /// Separators between a headline and a site or section name, most specific first.
    static let separators = [" | ", " || ", " – ", " — ", " - ", " · ", " :: ", " » ", " « ", " • ", " ~ ", " / ", " // "]
    /// Characters that may separate a heading from the rest of the title when it is matched
    /// directly (also covers titles without spaces around the separator, e.g. `标题_科技_腾讯网`).
    static let separatorCharacters: Set<Character> = ["|", "-", "–", "—", "·", ":", "_", "»", "«", "•", "~", "/", "\\"]

    /// `title` without the site name, section or author segments around it. `fromDocumentTitle`
    /// allows one more guess for `<title>` text: a short trailing segment (at most three words)
    /// after a separator goes when at least four words remain.
    static func clean(_ title: String, siteName: String?, host: String?, headings: [String],
                      authors: [String] = [], fromDocumentTitle: Bool = false) -> String {
        let t = title.collapsingWhitespace()
        guard !t.isEmpty else { return t }
        // A visible heading that is the title minus its surroundings; a heading at the start
        // first, since site and section names usually trail.
        // A one- or two-word heading ("Politics", "Opinion") is more often a section label
        // than the headline, so it needs three words or twelve characters to count.
        let usable = headings.map { $0.collapsingWhitespace() }
            .filter { ($0.split(separator: " ").count >= 3 || $0.count >= 12) && $0.count < t.count
                && !namesSite($0, siteName: siteName, host: host) }
        for h in usable {
            if let rest = t.strippingPrefix(h), startsWithSeparator(rest) { return h }
        }
        for h in usable {
            if let rest = t.strippingSuffix(h), endsWithSeparator(rest) { return h }
        }
        var result = t
        for _ in 0..<3 {
            if let stripped = stripSiteSegment(result, siteName: siteName, host: host)
                ?? stripAuthorSegment(result, authors: authors) {
                result = stripped
            } else if fromDocumentTitle, let stripped = stripShortTrailingSegment(result) {
                result = stripped
            } else {
                break
            }
        }
        return result
    }

    /// "Title | Jane Doe": the author's name is not part of the headline.
    static func stripAuthorSegment(_ t: String, authors: [String]) -> String? {
        guard !authors.isEmpty else { return nil }
        let keys = Set(authors.map(squash))
        for sep in separators where t.contains(sep) {
            let parts = t.components(separatedBy: sep)
            if parts.count >= 2, keys.contains(squash(parts.last!)) {
                let rest = parts.dropLast().joined(separator: sep).collapsingWhitespace()
                if rest.count >= 3 { return rest }
            }
        }
        return nil
    }

    static func stripShortTrailingSegment(_ t: String) -> String? {
        for sep in separators where t.contains(sep) {
            let parts = t.components(separatedBy: sep)
            guard parts.count >= 2 else { continue }
            let last = parts.last!.collapsingWhitespace()
            let rest = parts.dropLast().joined(separator: sep).collapsingWhitespace()
            if !last.isEmpty, last.split(separator: " ").count <= 3, rest.split(separator: " ").count >= 4 {
                return rest
            }
        }
        return nil
    }

    /// The title without one leading or trailing segment naming the site; nil when none does.
    static func stripSiteSegment(_ t: String, siteName: String?, host: String?) -> String? {
        for sep in separators {
            guard t.contains(sep) else { continue }
            let parts = t.components(separatedBy: sep)
            guard parts.count >= 2 else { continue }
            let last = parts.last!, first = parts.first!
            if namesSite(last, siteName: siteName, host: host) {
                let rest = parts.dropLast().joined(separator: sep).collapsingWhitespace()
                if rest.count >= 3 { return rest }
            }
            if namesSite(first, siteName: siteName, host: host) {
                let rest = parts.dropFirst().joined(separator: sep).collapsingWhitespace()
                if rest.count >= 3 { return rest }
            }
        }
        // "Site: headline" with a colon only when the site name says so.
        if let siteName, let rest = t.strippingPrefix(siteName), rest.hasPrefix(":") {
            let r = String(rest.dropFirst()).collapsingWhitespace()
            if r.count >= 3 { return r }
        }
        return nil
    }

    /// True when a title segment is the site's name: equal to the declared site name (or one
    /// contains the other: "BBC" / "BBC News"), or the host name spelled out ("Wikipedia" for
    /// en.wikipedia.org), or ends with one of those in brackets.
    static func namesSite(_ segment: String, siteName: String?, host: String?) -> Bool {
        // "My Hero Academia [Archive of Our Own]": a section with the site's name in brackets.
        if let close = segment.last, close == "]" || close == ")",
           let open = segment.lastIndex(of: close == "]" ? "[" : "("), open != segment.startIndex {
            let inner = String(segment[segment.index(after: open)..<segment.index(before: segment.endIndex)])
            if namesSite(inner, siteName: siteName, host: host) { return true }
        }
        let seg = squash(segment)
        guard !seg.isEmpty, segment.split(separator: " ").count <= 6 else { return false }
        if let siteName {
            let site = squash(siteName)
            if !site.isEmpty, seg == site || (site.count >= 3 && seg.contains(site) && seg.count <= site.count + 8)
                || (seg.count >= 3 && site.contains(seg) && site.count <= seg.count + 8) {
                return true
            }
        }
        if let host {
            let labels = host.lowercased().split(separator: ".").filter {
                !["www", "com", "org", "net", "co", "uk", "de", "fr", "es", "it", "news", "m", "amp", "en"].contains($0)
            }
            for label in labels where label.count >= 3 {
                let l = squash(String(label))
                if seg == l || (seg.count >= 4 && l.contains(seg)) || (seg.contains(l) && seg.count <= l.count + 8) { return true }
            }
        }
        return false
    }

    /// Lower-case letters and digits only, for comparing names written differently.
    static func squash(_ s: String) -> String {
        String(String.UnicodeScalarView(s.lowercased().unicodeScalars.filter {
            $0.value < 0x80 ? (($0.value >= 97 && $0.value <= 122) || ($0.value >= 48 && $0.value <= 57))
                : $0.properties.isAlphabetic
        }))
    }

    static func fold(_ s: String) -> String { squash(s) }

    /// The words of a title, squashed, for comparing wordings of one headline.
    static func words(_ s: String) -> [String] {
        s.split(whereSeparator: { $0.isWhitespace || $0.isPunctuation }).map { squash(String($0)) }.filter { !$0.isEmpty }
    }

    /// True when `long` is `short` plus whole separator-delimited segments at one end.
    /// Both strings must already be lower-cased.
    static func isSegment(_ short: String, of long: String) -> Bool {
        guard short.utf8.count >= 2, long.utf8.count > short.utf8.count else { return false }
        if long.hasPrefix(short), startsWithSeparator(long.dropFirst(short.count)) { return true }
        if long.hasSuffix(short), endsWithSeparator(long.dropLast(short.count)) { return true }
        return false
    }

    private static func startsWithSeparator(_ rest: Substring) -> Bool {
        guard let c = rest.first(where: { !$0.isWhitespace }) else { return false }
        return separatorCharacters.contains(c)
    }

    private static func endsWithSeparator(_ rest: Substring) -> Bool {
        guard let c = rest.last(where: { !$0.isWhitespace }) else { return false }
        return separatorCharacters.contains(c)
    }
}
