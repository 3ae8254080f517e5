import Foundation
import HeraldFormats
import HeraldXML

/// Parses feed bytes as fetched (gzip is inflated up to `maxBytes`) into a `Feed`. Stateless and
/// thread-safe; libxml2 runs without network access or entity expansion.
public enum FeedParser {
    /// The default cap on a (decompressed) feed.
    public static let defaultMaxBytes = 16 << 20

    public static func parse(_ bytes: [UInt8], url: CrawlURL, maxBytes: Int = defaultMaxBytes) throws -> Feed {
        let document = try XMLInput.document(bytes, url: url, maxBytes: maxBytes)
        guard let root = document.root, let feed = parse(root: root, url: url) else {
            throw DiscoveryError.notAFeed(root: document.root?.name ?? "")
        }
        return feed
    }

    /// The feed rooted at `root`, or nil when `root` is not `<rss>`, `<feed>` or `<rdf:RDF>`.
    static func parse(root: Node, url: CrawlURL) -> Feed? {
        switch root.name {
        case "rss":
            guard let channel = root.elementChildren.first(where: { $0.name == "channel" }) else {
                return Feed(format: .rss, title: nil, entries: [], skippedEntries: 0)
            }
            return collect(.rss, title: channel, items: channel.elementChildren.filter { $0.name == "item" },
                           base: url, entry: rssEntry)
        case "RDF":
            let channel = root.elementChildren.first { $0.name == "channel" }
            // RSS 1.0 puts items beside the channel; some generators nest them inside.
            var items = root.elementChildren.filter { $0.name == "item" }
            if items.isEmpty, let channel { items = channel.elementChildren.filter { $0.name == "item" } }
            return collect(.rdf, title: channel, items: items, base: url, entry: rssEntry)
        case "feed":
            let base = xmlBase(root, url)
            return collect(.atom, title: root, items: root.elementChildren.filter { $0.name == "entry" },
                           base: base, entry: atomEntry)
        default:
            return nil
        }
    }

    private static func collect(_ format: Feed.Format, title: Node?, items: [Node], base: CrawlURL,
                                entry: (Node, CrawlURL) -> FeedEntry?) -> Feed {
        var entries: [FeedEntry] = []
        var seen = Set<CrawlURL>()
        var skipped = 0
        for item in items {
            guard let e = entry(item, base) else { skipped += 1; continue }
            if seen.insert(e.url).inserted { entries.append(e) }
        }
        let feedTitle = title.flatMap { t in t.elementChildren.first { $0.name == "title" } }
            .map { $0.textContent.trimmingWhitespace() }
        return Feed(format: format, title: feedTitle?.isEmpty == false ? feedTitle : nil,
                    entries: entries, skippedEntries: skipped)
    }

    /// RSS 0.9x/2.0 and RSS 1.0 items.
    private static func rssEntry(_ item: Node, _ base: CrawlURL) -> FeedEntry? {
        var link: String?, origLink: String?, guid: String?, about = item.attribute("about")
        var title: String?, published: Date?, updated: Date?
        for child in item.elementChildren {
            switch (child.name, child.namespacePrefix ?? "") {
            case ("link", ""), ("link", "rss"):
                // Some generators write an Atom-style <link href="..."/> without the namespace.
                link = link ?? nonEmpty(child.textContent) ?? child.attribute("href").flatMap(nonEmpty)
            case ("origLink", _):
                origLink = nonEmpty(child.textContent)
            case ("guid", _):
                let permalink = child.attribute("isPermaLink")?.lowercased() != "false"
                if permalink { guid = nonEmpty(child.textContent) }
            case ("title", ""), ("title", "rss"):
                title = nonEmpty(child.textContent)
            case ("pubDate", _), ("date", _), ("published", _), ("issued", _):
                published = published ?? DateGrammar.instant(child.textContent)
            case ("updated", _), ("modified", _):
                updated = DateGrammar.instant(child.textContent) ?? updated
            default:
                break
            }
            if about == nil, child.name == "link", child.namespacePrefix == "atom",
               child.attribute("rel") ?? "alternate" == "alternate" {
                about = child.attribute("href")
            }
        }
        // FeedBurner's origLink is the publisher's URL behind a redirecting tracker link.
        for candidate in [origLink, link, guid, about] {
            if let c = candidate, let url = CrawlURL(c, relativeTo: base) {
                return FeedEntry(url: url, title: title, published: published, updated: updated)
            }
        }
        return nil
    }

    /// Atom 1.0 (and 0.3) entries.
    private static func atomEntry(_ entry: Node, _ feedBase: CrawlURL) -> FeedEntry? {
        let base = xmlBase(entry, feedBase)
        var alternate: String?, firstLink: String?, origLink: String?, id: String?
        var title: String?, published: Date?, updated: Date?
        for child in entry.elementChildren {
            switch child.name {
            case "link":
                guard let href = child.attribute("href") else { continue }
                let rel = child.attribute("rel")?.lowercased() ?? "alternate"
                if rel == "alternate" {
                    let type = child.attribute("type")?.lowercased() ?? "text/html"
                    if alternate == nil || type.contains("html") { alternate = href }
                }
                firstLink = firstLink ?? href
            case "origLink": origLink = nonEmpty(child.textContent)
            case "id": id = nonEmpty(child.textContent)
            case "title": title = nonEmpty(child.textContent)
            case "published", "issued", "created": published = published ?? DateGrammar.instant(child.textContent)
            case "updated", "modified": updated = DateGrammar.instant(child.textContent) ?? updated
            default: break
            }
        }
        for candidate in [origLink, alternate, firstLink, id] {
            if let c = candidate, let url = CrawlURL(c, relativeTo: base) {
                return FeedEntry(url: url, title: title, published: published, updated: updated)
            }
        }
        return nil
    }

    private static func xmlBase(_ node: Node, _ base: CrawlURL) -> CrawlURL {
        guard let href = node.attribute("base"), let url = CrawlURL(href, relativeTo: base) else { return base }
        return url
    }

    private static func nonEmpty(_ s: String) -> String? {
        let t = s.trimmingWhitespace()
        return t.isEmpty ? nil : t
    }
}
