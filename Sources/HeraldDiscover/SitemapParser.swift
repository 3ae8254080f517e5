import Foundation
import HeraldFormats
import HeraldXML

/// Parses sitemap bytes as fetched (`.xml.gz` is inflated up to `maxBytes`). Elements are
/// matched by local name, so sitemaps with a missing or wrong namespace still work; a feed is
/// accepted too (sitemaps.org allows it), as is the one-URL-per-line text format. Stateless
/// and thread-safe.
public enum SitemapParser {
    /// sitemaps.org caps a sitemap at 50 MB uncompressed and 50,000 URLs.
    public static let defaultMaxBytes = 50 << 20
    public static let defaultMaxEntries = 50_000

    /// The whole sitemap as a value, entries included.
    public static func parse(_ bytes: [UInt8], url: CrawlURL, maxBytes: Int = defaultMaxBytes,
                             maxEntries: Int = defaultMaxEntries) throws -> Sitemap {
        var entries: [SitemapEntry] = []
        var sitemap = try read(bytes, url: url, maxBytes: maxBytes, maxEntries: maxEntries) { entries.append($0) }
        sitemap.entries = entries
        return sitemap
    }

    /// Streams the sitemap: each page entry goes to `entry` as soon as it is read (each URL
    /// once, at most `maxEntries`), so a 50,000-URL sitemap never exists as a tree or a list;
    /// the returned value has the kind, the child sitemaps of an index and the skipped count,
    /// and no entries. With `allowText` false, a body that is not XML throws
    /// `DiscoveryError.notASitemap` (a feed URL answering with plain text is not a sitemap).
    /// Nothing reaches `entry` before the root element has been recognized, so a throw
    /// never follows delivered entries.
    public static func read(_ bytes: [UInt8], url: CrawlURL, maxBytes: Int = defaultMaxBytes,
                            maxEntries: Int = defaultMaxEntries, allowText: Bool = true,
                            entry deliver: (SitemapEntry) -> Void) throws -> Sitemap {
        let plain = try XMLInput.inflate(bytes, maxBytes: maxBytes)
        var kept = 0
        var seen = Set<String>() // CrawlURL equality is its string; the set shares the buffers
        var skipped = 0
        func offer(_ entry: SitemapEntry?) {
            guard kept < maxEntries, let entry else { skipped += 1; return }
            if seen.insert(entry.url.string).inserted {
                kept += 1
                deliver(entry)
            }
        }
        if !looksLikeXML(plain) {
            guard allowText else { throw DiscoveryError.notASitemap(root: "plain text") }
            text(plain, offer)
            return Sitemap(kind: .text, sitemaps: [], entries: [], skippedEntries: skipped)
        }
        var kind = Sitemap.Kind.urlset
        var feed: FeedParser.FeedReader?
        var refs: [SitemapReference] = []
        try XMLInput.elements(plain, url: url) { element in
            if element.depth == 0 {
                switch element.node.name {
                case "sitemapindex": kind = .index
                case "urlset": kind = .urlset
                default:
                    guard let reader = FeedParser.FeedReader(root: element.node, url: url) else {
                        throw DiscoveryError.notASitemap(root: element.node.name)
                    }
                    kind = .feed
                    feed = reader
                }
            }
            if feed != nil { return feed!.visit(element) }
            guard element.depth == 1 else { return element.depth == 0 ? .descend : .skipChildren }
            switch (kind, element.node.name) {
            case (.index, "sitemap"):
                let fields = element.subtree().map(locAndLastmod)
                guard refs.count < maxEntries, let loc = fields?.loc, let u = CrawlURL(loc, relativeTo: url) else {
                    skipped += 1
                    break
                }
                if seen.insert(u.string).inserted { refs.append(SitemapReference(url: u, lastModified: fields?.lastmod)) }
            case (.urlset, "url"):
                offer(element.subtree().flatMap { urlEntry($0, base: url) })
            default:
                break
            }
            return .skipChildren
        }
        if let feed = feed?.feed {
            skipped += feed.skippedEntries
            for e in feed.entries { offer(SitemapEntry(url: e.url, lastModified: e.lastChanged, newsTitle: e.title)) }
        }
        return Sitemap(kind: kind, sitemaps: refs, entries: [], skippedEntries: skipped)
    }

    private static func urlEntry(_ node: Node, base: CrawlURL) -> SitemapEntry? {
        let fields = locAndLastmod(node)
        guard let loc = fields.loc, let url = CrawlURL(loc, relativeTo: base) else { return nil }
        var entry = SitemapEntry(url: url, lastModified: fields.lastmod)
        for news in node.elementChildren where news.name == "news" {
            for child in news.elementChildren {
                switch child.name {
                case "publication_date": entry.publicationDate = DateGrammar.instant(child.textContent)
                case "title": entry.newsTitle = nonEmpty(child.textContent)
                case "publication":
                    for p in child.elementChildren where p.name == "language" {
                        entry.newsLanguage = nonEmpty(p.textContent)
                    }
                default: break
                }
            }
        }
        return entry
    }

    private static func locAndLastmod(_ node: Node) -> (loc: String?, lastmod: Date?) {
        var loc: String?, lastmod: Date?
        for child in node.elementChildren {
            if child.name == "loc", loc == nil {
                loc = nonEmpty(child.textContent)
            } else if child.name == "lastmod" {
                lastmod = DateGrammar.instant(child.textContent)
            }
        }
        return (loc, lastmod)
    }

    /// Plain-text sitemap: one absolute URL per line; other lines ignored.
    private static func text(_ bytes: [UInt8], _ offer: (SitemapEntry?) -> Void) {
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes.dropFirst(3) : bytes[...]
        for line in body.split(whereSeparator: { $0 == 0x0A || $0 == 0x0D }) {
            let s = String(decoding: line, as: UTF8.self).trimmingWhitespace()
            guard !s.isEmpty else { continue }
            offer(s.lowercased().hasPrefix("http") ? CrawlURL(s).map { SitemapEntry(url: $0) } : nil)
        }
    }

    /// The first non-blank byte (after a UTF-8 BOM) is `<`.
    private static func looksLikeXML(_ bytes: [UInt8]) -> Bool {
        var i = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
        while i < bytes.count, bytes[i] <= 0x20 { i += 1 }
        return i < bytes.count && bytes[i] == UInt8(ascii: "<")
    }

    private static func nonEmpty(_ s: String) -> String? {
        let t = s.trimmingWhitespace()
        return t.isEmpty ? nil : t
    }
}
