import Foundation
import HeraldFormats
import HeraldXML

/// What a page's JSON-LD (schema.org) blocks say about its article: the first `NewsArticle`,
/// `Article`, `BlogPosting` ... item found in any block, `@graph` or array, with `@id`
/// references to authors and publishers resolved; `WebPage` and `WebSite` items as fall-backs.
///
/// Tolerant of what real pages ship: HTML comments or CDATA around the JSON, raw newlines in
/// strings, trailing commas, HTML entities in values, several blocks per page.
struct StructuredData {
    var headline: String?
    var alternativeHeadline: String?
    var description: String?
    var datePublished: String?
    var dateModified: String?
    var authors: [String] = []
    var publisher: String?
    var section: String?
    var keywords: [String] = []
    var image: String?
    var language: String?
    var url: String?
    var articleBody: String?
    /// The `name` of a `WebSite` item (the site name when no publisher is given).
    var websiteName: String?
    /// True when an article-typed item was found (the values above come from it).
    var hasArticle = false
    /// Names in a `BreadcrumbList`, in order ("Home", "World", "Europe", headline).
    var breadcrumb: [String] = []

    static let articleTypes: Set<String> = [
        "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
        "reviewnewsarticle", "backgroundnewsarticle", "askpublicnewsarticle", "blogposting",
        "liveblogposting", "socialmediaposting", "techarticle", "scholarlyarticle", "report",
        "satiricalarticle", "advertisercontentarticle", "medicalscholarlyarticle", "discussionforumposting",
    ]
    static let pageTypes: Set<String> = ["webpage", "itempage", "collectionpage", "aboutpage", "profilepage"]

    init() {}

    init(blocks: [String]) {
        var items: [[String: Any]] = []
        var byID: [String: [String: Any]] = [:]
        for block in blocks {
            guard let json = StructuredData.parseLenient(block) else { continue }
            StructuredData.collectItems(json, into: &items)
            StructuredData.indexIDs(json, into: &byID, depth: 0)
        }
        guard !items.isEmpty else { return }
        let article = items.first { StructuredData.types(of: $0).contains(where: StructuredData.articleTypes.contains) }
        let page = items.first { StructuredData.types(of: $0).contains(where: StructuredData.pageTypes.contains) }
        if let list = items.first(where: { StructuredData.types(of: $0).contains("breadcrumblist") }) {
            let elements = (list["itemListElement"] as? [Any] ?? []).compactMap { $0 as? [String: Any] }
            let ordered = elements.sorted {
                (Int(StructuredData.string($0["position"]) ?? "") ?? 0) < (Int(StructuredData.string($1["position"]) ?? "") ?? 0)
            }
            breadcrumb = ordered.compactMap { element in
                StructuredData.string(element["name"])
                    ?? (element["item"] as? [String: Any]).flatMap { StructuredData.string($0["name"]) }
            }
        }
        if let website = items.first(where: { StructuredData.types(of: $0).contains("website") }) {
            websiteName = StructuredData.string(website["name"])
        }
        if let item = article ?? page {
            hasArticle = article != nil
            fill(from: item, byID: byID)
        }
        // A WebPage next to the article may carry what the article item lacks.
        if article != nil, let page {
            var fallback = StructuredData()
            fallback.fill(from: page, byID: byID)
            datePublished = datePublished ?? fallback.datePublished
            dateModified = dateModified ?? fallback.dateModified
            if authors.isEmpty { authors = fallback.authors }
            language = language ?? fallback.language
            publisher = publisher ?? fallback.publisher
        }
    }

    private mutating func fill(from item: [String: Any], byID: [String: [String: Any]]) {
        headline = StructuredData.string(item["headline"]) ?? StructuredData.string(item["name"])
        alternativeHeadline = StructuredData.string(item["name"])
        description = StructuredData.string(item["description"])
        datePublished = StructuredData.string(item["datePublished"]) ?? StructuredData.string(item["dateCreated"])
        dateModified = StructuredData.string(item["dateModified"])
        authors = StructuredData.names(item["author"] ?? item["creator"], byID: byID)
        publisher = StructuredData.names(item["publisher"] ?? item["sourceOrganization"], byID: byID).first
        section = StructuredData.strings(item["articleSection"]).first
        keywords = StructuredData.strings(item["keywords"]).flatMap { value in
            value.split(separator: ",").map { String($0).collapsingWhitespace() }
        }.filter { !$0.isEmpty }
        image = StructuredData.url(item["image"] ?? item["thumbnailUrl"], byID: byID)
        language = StructuredData.string(item["inLanguage"])
            ?? (item["inLanguage"] as? [String: Any]).flatMap { StructuredData.string($0["alternateName"] ?? $0["name"]) }
        url = StructuredData.string(item["url"])
            ?? StructuredData.string(item["mainEntityOfPage"])
            ?? (item["mainEntityOfPage"] as? [String: Any]).flatMap { StructuredData.string($0["@id"] ?? $0["url"]) }
        if let body = item["articleBody"] as? String {
            let text = StructuredData.plainText(body)
            if !text.isEmpty { articleBody = text }
        }
    }

    /// `articleBody` as plain text: some sites put HTML in it; paragraphs then become
    /// blank-line-separated text like the extracted body.
    static func plainText(_ body: String) -> String {
        guard body.contains("</") || body.contains("<br") || body.contains("<p") else {
            return HTMLEntities.decode(body).trimmingWhitespace()
        }
        guard let doc = try? HTMLDocument(html: "<html><body>" + body + "</body></html>") else { return "" }
        var paragraphs: [String] = []
        var current = ""
        doc.body?.walk { node in
            if node.isText {
                current += node.text
                return false
            }
            if node.isElement("script") || node.isElement("style") { return false }
            if node.isElement("br") || ["p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr"].contains(node.name) {
                let t = current.collapsingWhitespace()
                if !t.isEmpty { paragraphs.append(t) }
                current = ""
            }
            return true
        }
        let t = current.collapsingWhitespace()
        if !t.isEmpty { paragraphs.append(t) }
        return paragraphs.joined(separator: "\n\n")
    }

    /// The string value of `"key": "..."` in raw JSON-LD text, for blocks too broken for the
    /// lenient parser (an unbalanced brace loses the whole article item otherwise).
    static func rawValue(of key: String, in blocks: [String]) -> String? {
        let needle = "\"" + key + "\""
        for block in blocks {
            guard let keyRange = block.range(of: needle), parseLenient(block) == nil else { continue }
            var rest = block[keyRange.upperBound...].drop(while: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" })
            guard rest.first == ":" else { continue }
            rest = rest.dropFirst().drop(while: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" })
            guard rest.first == "\"" else { continue }
            rest = rest.dropFirst()
            guard let end = rest.firstIndex(of: "\""), rest.distance(from: rest.startIndex, to: end) < 80 else { continue }
            return String(rest[..<end])
        }
        return nil
    }

    // MARK: JSON handling

    /// Parses a script block's JSON, repairing the common breakages when the plain parse fails.
    static func parseLenient(_ raw: String) -> Any? {
        var text = raw.trimmingWhitespace()
        for (open, close) in [("<!--", "-->"), ("<![CDATA[", "]]>"), ("//<![CDATA[", "//]]>")] {
            if text.hasPrefix(open) { text.removeFirst(open.count) }
            if text.hasSuffix(close) { text.removeLast(close.count) }
        }
        text = text.trimmingWhitespace()
        while text.hasSuffix(";") { text.removeLast() }
        if let json = decode(text) { return json }
        // JavaScript line comments ("// will be empty ...") on lines of their own.
        if text.contains("//") {
            text = text.split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !$0.drop(while: { $0 == " " || $0 == "\t" }).hasPrefix("//") }
                .joined(separator: "\n")
            if let json = decode(text) { return json }
        }
        // Raw control characters inside strings (newlines, tabs) are invalid JSON but common.
        var repaired = String(String.UnicodeScalarView(text.unicodeScalars.map { $0.value < 0x20 ? " " : $0 }))
        if let json = decode(repaired) { return json }
        repaired = removingTrailingCommas(repaired)
        if let json = decode(repaired) { return json }
        if repaired.contains("'") {
            repaired = doubleQuotingSingleQuotedStrings(repaired)
            if let json = decode(repaired) { return json }
        }
        if repaired.contains("&quot;") || repaired.contains("&#") {
            if let json = decode(HTMLEntities.decode(repaired)) { return json }
        }
        // Several objects back to back: wrap them into an array.
        if let json = decode("[" + separatingConcatenatedObjects(repaired) + "]") {
            return json
        }
        return nil
    }

    private static func decode(_ text: String) -> Any? {
        guard let data = text.data(using: .utf8) else { return nil }
        return try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    }

    /// Drops commas that directly precede `}` or `]` outside strings.
    static func removingTrailingCommas(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var inString = false, escaped = false
        var pendingComma = false
        var whitespace: [UInt8] = []
        for b in text.utf8 {
            if inString {
                out.append(b)
                if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == UInt8(ascii: "\"") { inString = false }
                continue
            }
            if pendingComma {
                if b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { whitespace.append(b); continue }
                if b != UInt8(ascii: "}") && b != UInt8(ascii: "]") { out.append(UInt8(ascii: ",")) }
                out.append(contentsOf: whitespace)
                whitespace.removeAll()
                pendingComma = false
            }
            if b == UInt8(ascii: ",") { pendingComma = true; continue }
            if b == UInt8(ascii: "\"") { inString = true }
            out.append(b)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Puts a comma between objects written back to back (`{...} {...}`), outside strings.
    static func separatingConcatenatedObjects(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 8)
        var inString = false, escaped = false, afterClose = false
        for b in text.utf8 {
            if inString {
                out.append(b)
                if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == UInt8(ascii: "\"") { inString = false }
                continue
            }
            let isSpace = b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09
            if afterClose, b == UInt8(ascii: "{") { out.append(UInt8(ascii: ",")) }
            if !isSpace { afterClose = b == UInt8(ascii: "}") }
            if b == UInt8(ascii: "\"") { inString = true }
            out.append(b)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Turns JavaScript-style 'single-quoted' strings (outside double-quoted ones) into JSON
    /// strings.
    static func doubleQuotingSingleQuotedStrings(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 16)
        var inDouble = false, inSingle = false, escaped = false
        for b in text.utf8 {
            if inDouble {
                out.append(b)
                if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == UInt8(ascii: "\"") { inDouble = false }
                continue
            }
            if inSingle {
                if escaped {
                    escaped = false
                    if b == UInt8(ascii: "'") { out.append(b) } else { out.append(UInt8(ascii: "\\")); out.append(b) }
                } else if b == UInt8(ascii: "\\") {
                    escaped = true
                } else if b == UInt8(ascii: "'") {
                    out.append(UInt8(ascii: "\""))
                    inSingle = false
                } else if b == UInt8(ascii: "\"") {
                    out.append(UInt8(ascii: "\\"))
                    out.append(b)
                } else {
                    out.append(b)
                }
                continue
            }
            if b == UInt8(ascii: "\"") { inDouble = true; out.append(b) }
            else if b == UInt8(ascii: "'") { inSingle = true; out.append(UInt8(ascii: "\"")) }
            else { out.append(b) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Top-level items, array members and `@graph` members, recursively (not nested values).
    private static func collectItems(_ json: Any, into items: inout [[String: Any]]) {
        if let array = json as? [Any] {
            for element in array { collectItems(element, into: &items) }
        } else if let object = json as? [String: Any] {
            if object["@type"] != nil { items.append(object) }
            if let graph = object["@graph"] { collectItems(graph, into: &items) }
            // A WebPage whose main entity is the article.
            if let main = object["mainEntity"] as? [String: Any], main["@type"] != nil { items.append(main) }
        }
    }

    private static func indexIDs(_ json: Any, into map: inout [String: [String: Any]], depth: Int) {
        guard depth < 8 else { return }
        if let array = json as? [Any] {
            for element in array { indexIDs(element, into: &map, depth: depth + 1) }
        } else if let object = json as? [String: Any] {
            if let id = object["@id"] as? String, object.count > 1, map[id] == nil { map[id] = object }
            for (key, value) in object where key != "articleBody" && key != "text" {
                if value is [Any] || value is [String: Any] { indexIDs(value, into: &map, depth: depth + 1) }
            }
        }
    }

    /// The `@type` values of an item, lower-cased, without a `schema:` / URL prefix.
    static func types(of item: [String: Any]) -> [String] {
        let raw: [String]
        if let s = item["@type"] as? String { raw = [s] } else { raw = item["@type"] as? [String] ?? [] }
        return raw.map { type in
            var t = type.lowercased()
            if let slash = t.lastIndex(where: { $0 == "/" || $0 == ":" }) { t = String(t[t.index(after: slash)...]) }
            return t
        }
    }

    /// A text value: strings as they are (entities decoded, whitespace collapsed), numbers as
    /// text, `{"@value": ...}` unwrapped, arrays by their first text.
    static func string(_ value: Any?) -> String? {
        switch value {
        case let s as String:
            let text = HTMLEntities.decode(s).collapsingWhitespace()
            return text.isEmpty ? nil : text
        case let n as NSNumber:
            return n.stringValue
        case let object as [String: Any]:
            return string(object["@value"])
        case let array as [Any]:
            for element in array { if let s = string(element) { return s } }
            return nil
        default:
            return nil
        }
    }

    static func strings(_ value: Any?) -> [String] {
        if let array = value as? [Any] { return array.compactMap { string($0) } }
        return string(value).map { [$0] } ?? []
    }

    /// Names of people or organizations: strings, `{"name": ...}` objects, `@id` references,
    /// arrays of those. URLs are not names.
    static func names(_ value: Any?, byID: [String: [String: Any]], depth: Int = 0) -> [String] {
        guard depth < 4 else { return [] }
        switch value {
        case let s as String:
            let name = HTMLEntities.decode(s).collapsingWhitespace()
            return name.isEmpty || name.hasPrefix("http") ? [] : [name]
        case let array as [Any]:
            return array.flatMap { names($0, byID: byID, depth: depth + 1) }
        case let object as [String: Any]:
            if let name = string(object["name"]), !name.hasPrefix("http") { return [name] }
            let given = string(object["givenName"]), family = string(object["familyName"])
            if given != nil || family != nil { return [[given, family].compactMap { $0 }.joined(separator: " ")] }
            if let id = object["@id"] as? String, let target = byID[id], target.count > 1,
               target["@id"] as? String == id, !(target as NSDictionary).isEqual(to: object) {
                return names(target, byID: byID, depth: depth + 1)
            }
            return []
        default:
            return []
        }
    }

    /// An image (or page) URL from a string, `ImageObject`, `@id` reference or array.
    static func url(_ value: Any?, byID: [String: [String: Any]], depth: Int = 0) -> String? {
        guard depth < 4 else { return nil }
        switch value {
        case let s as String:
            let u = s.trimmingWhitespace()
            return u.isEmpty ? nil : u
        case let array as [Any]:
            for element in array { if let u = url(element, byID: byID, depth: depth + 1) { return u } }
            return nil
        case let object as [String: Any]:
            if let u = string(object["url"]) ?? string(object["contentUrl"]) { return u }
            if let id = object["@id"] as? String, let target = byID[id], target.count > 1,
               !(target as NSDictionary).isEqual(to: object) {
                return url(target, byID: byID, depth: depth + 1)
            }
            return nil
        default:
            return nil
        }
    }
}
