/// Why a feed, sitemap or robots.txt body could not be used; the description names the
/// document kind and what was found instead, for the crawl log.
public enum DiscoveryError: Error, Equatable, CustomStringConvertible {
    /// The body was empty.
    case empty
    /// libxml2 could not build a tree.
    case unparsable(String)
    /// Well-formed XML, but not a feed: the root element found.
    case notAFeed(root: String)
    /// Well-formed XML, but not a sitemap or feed: the root element found.
    case notASitemap(root: String)
    /// The (decompressed) body exceeds the limit in bytes.
    case tooLarge(limit: Int)
    /// A gzip body that does not inflate.
    case corruptGzip(String)

    public var description: String {
        switch self {
        case .empty: return "empty document"
        case .unparsable(let why): return "not parsable as XML: \(why)"
        case .notAFeed(let root): return "expected an RSS, Atom or RDF feed, found <\(root)>"
        case .notASitemap(let root): return "expected a sitemap (<urlset> or <sitemapindex>) or a feed, found <\(root)>"
        case .tooLarge(let limit): return "document larger than \(limit) bytes"
        case .corruptGzip(let why): return "corrupt gzip data: \(why)"
        }
    }
}
