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

    public static func parse(_ bytes: [UInt8], url: CrawlURL, maxBytes: Int = defaultMaxBytes,
                             maxEntries: Int = defaultMaxEntries) throws -> Sitemap {
        let plain = try XMLInput.inflate(bytes, maxBytes: maxBytes)
        if !looksLikeXML(plain) {
            return text(plain, url: url, maxEntries: maxEntries)
        }
        let document = try XMLInput.parse(plain, url: url)
        guard let root = document.root else { throw DiscoveryError.notASitemap(root: "") }
        switch root.name {
        case "sitemapindex":
            var refs: [SitemapReference] = []
            var seen = Set<CrawlURL>()
            var skipped = 0
            for node in root.elementChildren where node.name == "sitemap" {
                let fields = locAndLastmod(node)
                guard refs.count < maxEntries, let loc = fields.loc, let u = CrawlURL(loc, relativeTo: url) else {
                    skipped += 1
                    continue
                }
                if seen.insert(u).inserted { refs.append(SitemapReference(url: u, lastModified: fields.lastmod)) }
            }
            return Sitemap(kind: .index, sitemaps: refs, entries: [], skippedEntries: skipped)
        case "urlset":
            var entries: [SitemapEntry] = []
            var seen = Set<CrawlURL>()
            var skipped = 0
            for node in root.elementChildren where node.name == "url" {
                guard entries.count < maxEntries, let entry = urlEntry(node, base: url) else {
                    skipped += 1
                    continue
                }
                if seen.insert(entry.url).inserted { entries.append(entry) }
            }
            return Sitemap(kind: .urlset, sitemaps: [], entries: entries, skippedEntries: skipped)
        default:
            guard let feed = FeedParser.parse(root: root, url: url) else {
                throw DiscoveryError.notASitemap(root: root.name)
            }
            let entries = feed.entries.prefix(maxEntries).map {
                SitemapEntry(url: $0.url, lastModified: $0.lastChanged, newsTitle: $0.title)
            }
            return Sitemap(kind: .feed, sitemaps: [], entries: Array(entries),
                           skippedEntries: feed.skippedEntries + feed.entries.count - entries.count)
        }
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
    private static func text(_ bytes: [UInt8], url: CrawlURL, maxEntries: Int) -> Sitemap {
        var entries: [SitemapEntry] = []
        var seen = Set<CrawlURL>()
        var skipped = 0
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes.dropFirst(3) : bytes[...]
        for line in body.split(whereSeparator: { $0 == 0x0A || $0 == 0x0D }) {
            let s = String(decoding: line, as: UTF8.self).trimmingWhitespace()
            guard !s.isEmpty else { continue }
            guard entries.count < maxEntries, s.lowercased().hasPrefix("http"), let u = CrawlURL(s) else {
                skipped += 1
                continue
            }
            if seen.insert(u).inserted { entries.append(SitemapEntry(url: u)) }
        }
        return Sitemap(kind: .text, sitemaps: [], entries: entries, skippedEntries: skipped)
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
