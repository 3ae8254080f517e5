import Foundation
import HeraldFormats
import HeraldXML

/// Parses feed bytes as fetched (gzip is inflated up to `maxBytes`) into a `Feed`. Stateless and
/// thread-safe; libxml2 runs without network access or entity expansion.
public enum FeedParser {
    /// The default cap on a (decompressed) feed.
    public static let defaultMaxBytes = 16 << 20

    public static func parse(_ bytes: [UInt8], url: CrawlURL, maxBytes: Int = defaultMaxBytes) throws -> Feed {
        var reader: FeedReader?
        var rootName = ""
        try XMLInput.elements(try XMLInput.inflate(bytes, maxBytes: maxBytes), url: url) { element in
            if element.depth == 0 {
                rootName = element.node.name
                reader = FeedReader(root: element.node, url: url)
                if reader == nil { throw DiscoveryError.notAFeed(root: rootName) }
            }
            return reader!.visit(element)
        }
        guard let reader else { throw DiscoveryError.notAFeed(root: rootName) }
        return reader.feed
    }

    /// Collects a feed from a stream of elements, one item's subtree at a time: `visit` is
    /// given every element the stream reaches (the root first) and says what to skip.
    struct FeedReader {
        let format: Feed.Format
        let base: CrawlURL
        private var title: String?
        private var entries = Entries()
        /// RSS 1.0 items nested inside the channel, used only when none stand beside it.
        private var nestedEntries = Entries()
        private var channels = 0

        private struct Entries {
            var list: [FeedEntry] = []
            var seen = Set<String>() // CrawlURL equality is its string; the set shares the buffers
            var skipped = 0
            mutating func add(_ entry: FeedEntry?) {
                guard let entry else { skipped += 1; return }
                if seen.insert(entry.url.string).inserted { list.append(entry) }
            }
        }

        /// A reader for the feed rooted at `root`, or nil when `root` is not `<rss>`, `<feed>`
        /// or `<rdf:RDF>`.
        init?(root: Node, url: CrawlURL) {
            switch root.name {
            case "rss": format = .rss; base = url
            case "RDF": format = .rdf; base = url
            case "feed": format = .atom; base = FeedParser.xmlBase(root, url)
            default: return nil
            }
        }

        mutating func visit(_ element: XMLStream.Element) -> XMLStream.Step {
            let name = element.node.name
            switch (format, element.depth) {
            case (_, 0):
                return .descend
            case (.atom, 1) where name == "entry":
                entries.add(element.subtree().flatMap { FeedParser.atomEntry($0, base) })
            case (.atom, 1) where name == "title":
                readTitle(element)
            case (.rss, 1) where name == "channel", (.rdf, 1) where name == "channel":
                channels += 1
                return channels == 1 ? .descend : .skipChildren
            case (.rdf, 1) where name == "item":
                entries.add(element.subtree().flatMap { FeedParser.rssEntry($0, base) })
            case (.rss, 2) where name == "item":
                entries.add(element.subtree().flatMap { FeedParser.rssEntry($0, base) })
            case (.rdf, 2) where name == "item":
                // Some RSS 1.0 generators nest the items inside the channel.
                nestedEntries.add(element.subtree().flatMap { FeedParser.rssEntry($0, base) })
            case (.rss, 2) where name == "title", (.rdf, 2) where name == "title":
                readTitle(element)
            default:
                break
            }
            return .skipChildren
        }

        private mutating func readTitle(_ element: XMLStream.Element) {
            guard title == nil else { return }
            title = element.subtree()?.textContent.trimmingWhitespace() ?? ""
        }

        var feed: Feed {
            let chosen = format == .rdf && entries.list.isEmpty && entries.skipped == 0 ? nestedEntries : entries
            return Feed(format: format, title: title?.isEmpty == false ? title : nil,
                        entries: chosen.list, skippedEntries: chosen.skipped)
        }
    }

    /// RSS 0.9x/2.0 and RSS 1.0 items.
    static func rssEntry(_ item: Node, _ base: CrawlURL) -> FeedEntry? {
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
    static func atomEntry(_ entry: Node, _ feedBase: CrawlURL) -> FeedEntry? {
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

    static func xmlBase(_ node: Node, _ base: CrawlURL) -> CrawlURL {
        guard let href = node.attribute("base"), let url = CrawlURL(href, relativeTo: base) else { return base }
        return url
    }

    private static func nonEmpty(_ s: String) -> String? {
        let t = s.trimmingWhitespace()
        return t.isEmpty ? nil : t
    }
}
