import Foundation
import HeraldXML

/// A parsed RSS, Atom or RDF feed: the article links it lists, with their dates.
public struct Feed: Sendable, Equatable {
    public enum Format: String, Sendable, Equatable {
        case rss, atom, rdf
    }
    public var format: Format
    /// The feed's own title, if it has one.
    public var title: String?
    /// Entries with a usable http(s) link, in feed order, each URL once.
    public var entries: [FeedEntry]
    /// Entries dropped because they had no usable link (for the crawl log).
    public var skippedEntries: Int
}

/// One feed item: where the article is and when it was published or changed.
public struct FeedEntry: Sendable, Equatable {
    /// The article URL, normalized and resolved against the feed URL (or `xml:base`).
    public var url: CrawlURL
    public var title: String?
    /// RSS `pubDate`, Atom `published`, `dc:date`.
    public var published: Date?
    /// Atom `updated`, `dc:modified`, `atom:updated` in RSS.
    public var updated: Date?

    /// The latest date the feed gives for this entry: compare it with the last successful run
    /// to skip entries that cannot be new. Nil when the feed gives none (fetch it then).
    public var lastChanged: Date? {
        switch (published, updated) {
        case let (p?, u?): return max(p, u)
        case let (p, u): return u ?? p
        }
    }

    public init(url: CrawlURL, title: String? = nil, published: Date? = nil, updated: Date? = nil) {
        self.url = url
        self.title = title
        self.published = published
        self.updated = updated
    }
}

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
                link = link ?? nonEmpty(child.textContent)
            case ("origLink", _):
                origLink = nonEmpty(child.textContent)
            case ("guid", _):
                let permalink = child.attribute("isPermaLink")?.lowercased() != "false"
                if permalink { guid = nonEmpty(child.textContent) }
            case ("title", ""), ("title", "rss"):
                title = nonEmpty(child.textContent)
            case ("pubDate", _), ("date", _), ("published", _), ("issued", _):
                published = published ?? FeedDate.parse(child.textContent)
            case ("updated", _), ("modified", _):
                updated = FeedDate.parse(child.textContent) ?? updated
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
            case "published", "issued", "created": published = published ?? FeedDate.parse(child.textContent)
            case "updated", "modified": updated = FeedDate.parse(child.textContent) ?? updated
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

/// The shared front end of feed and sitemap parsing: size cap, gzip, XML.
enum XMLInput {
    static func inflate(_ bytes: [UInt8], maxBytes: Int) throws -> [UInt8] {
        guard !bytes.isEmpty else { throw DiscoveryError.empty }
        if Gzip.isCompressed(bytes) {
            let inflated: [UInt8]
            do {
                inflated = try Gzip.decompress(bytes, limit: maxBytes)
            } catch Gzip.Failure.tooLarge(let limit) {
                throw DiscoveryError.tooLarge(limit: limit)
            } catch {
                throw DiscoveryError.corruptGzip("\(error)")
            }
            guard !inflated.isEmpty else { throw DiscoveryError.corruptGzip("no data inflated") }
            return inflated
        }
        guard bytes.count <= maxBytes else { throw DiscoveryError.tooLarge(limit: maxBytes) }
        return bytes
    }

    static func document(_ bytes: [UInt8], url: CrawlURL, maxBytes: Int) throws -> XMLDocument {
        let plain = try inflate(bytes, maxBytes: maxBytes)
        do {
            return try XMLDocument(bytes: plain, url: url.string)
        } catch let error as XMLError {
            if error == .empty { throw DiscoveryError.empty }
            throw DiscoveryError.unparsable(error.description)
        }
    }
}
