import HeraldXML

/// Collects `PageLinks` from a parsed HTML page in one pass over the tree. Stateless and
/// thread-safe; the document itself must be used from one task at a time.
public enum LinkExtractor {
    /// The link types of `<link rel=alternate type=...>` that announce a feed.
    public static let feedTypes: Set<String> = [
        "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
        "text/xml", "application/x.atom+xml", "application/x-atom+xml", "application/x-rss+xml",
    ]

    /// The robots meta names that address herald (the generic one and our product token).
    public static let robotsMetaNames: Set<String> = ["robots", "herald"]

    public static func extract(from document: HTMLDocument, url: CrawlURL) -> PageLinks {
        var baseHref: String?
        var hrefs: [String] = []
        hrefs.reserveCapacity(256)
        var canonicalHref: String?
        var ampHref: String?
        var feedHrefs: [String] = []
        var noFollow = false, noIndex = false

        document.root?.walk { node in
            guard node.isElement else { return true }
            if node.isElement("a") || node.isElement("area") {
                if let href = node.attribute("href") { hrefs.append(href) }
            } else if node.isElement("link") {
                guard let href = node.attribute("href"), let rel = node.attribute("rel") else { return true }
                let rels = rel.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
                if rels.contains("canonical"), canonicalHref == nil { canonicalHref = href }
                if rels.contains("amphtml"), ampHref == nil { ampHref = href }
                if rels.contains("alternate"), let type = node.attribute("type"),
                   feedTypes.contains(type.trimmingWhitespace().lowercased()) {
                    feedHrefs.append(href)
                }
            } else if node.isElement("base") {
                if baseHref == nil, let href = node.attribute("href") { baseHref = href }
            } else if node.isElement("meta") {
                // <meta http-equiv="refresh" content="0; url=/news/1">: a redirect page's target.
                if node.attribute("http-equiv")?.lowercased() == "refresh", let content = node.attribute("content"),
                   let target = LinkExtractor.refreshTarget(content) {
                    hrefs.append(target)
                }
                if let name = node.attribute("name"), robotsMetaNames.contains(name.lowercased()),
                   let content = node.attribute("content") {
                    for directive in content.lowercased().split(separator: ",") {
                        switch String(directive).trimmingWhitespace() {
                        case "nofollow": noFollow = true
                        case "noindex": noIndex = true
                        case "none": noFollow = true; noIndex = true
                        default: break
                        }
                    }
                }
            } else if node.isElement("script") || node.isElement("style") || node.isElement("template") {
                return false
            }
            return true
        }

        let base = baseHref.flatMap { CrawlURL($0, relativeTo: url) } ?? url
        var seen: Set<CrawlURL> = [url]
        var links: [CrawlURL] = []
        links.reserveCapacity(hrefs.count)
        for href in hrefs {
            guard let link = CrawlURL(href, relativeTo: base), seen.insert(link).inserted else { continue }
            links.append(link)
        }
        var feeds: [CrawlURL] = []
        for href in feedHrefs {
            if let feed = CrawlURL(href, relativeTo: base), !feeds.contains(feed) { feeds.append(feed) }
        }
        return PageLinks(
            url: url, base: base, links: links,
            canonical: canonicalHref.flatMap { CrawlURL($0, relativeTo: base) },
            ampHTML: ampHref.flatMap { CrawlURL($0, relativeTo: base) },
            feeds: feeds, noFollow: noFollow, noIndex: noIndex)
    }

    /// The URL of a refresh `content` value such as `5; URL='/next'`.
    static func refreshTarget(_ content: String) -> String? {
        guard let semicolon = content.firstIndex(where: { $0 == ";" || $0 == "," }) else { return nil }
        var rest = content[content.index(after: semicolon)...].drop { $0 == " " || $0 == "\t" }
        guard rest.lowercased().hasPrefix("url") else { return nil }
        rest = rest.dropFirst(3).drop { $0 == " " }
        guard rest.first == "=" else { return nil }
        rest = rest.dropFirst().drop { $0 == " " }
        if let quote = rest.first, quote == "'" || quote == "\"" {
            rest = rest.dropFirst()
            if let end = rest.firstIndex(of: quote) { rest = rest[..<end] }
        }
        let url = String(rest).trimmingWhitespace()
        return url.isEmpty ? nil : url
    }
}
