import Foundation

/// A parsed sitemap: either an index of further sitemaps or a list of page URLs (a `urlset`,
/// possibly with Google News data; a plain-text sitemap; or a feed used as a sitemap).
public struct Sitemap: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        /// `<sitemapindex>`: only `sitemaps` is filled.
        case index
        /// `<urlset>`, with or without `news:` data.
        case urlset
        /// One URL per line (sitemaps.org text format).
        case text
        /// An RSS, Atom or RDF feed given as a sitemap (allowed by sitemaps.org).
        case feed
    }
    public var kind: Kind
    /// Child sitemaps of an index, in document order.
    public var sitemaps: [SitemapReference]
    /// Page URLs, in document order, each URL once.
    public var entries: [SitemapEntry]
    /// Entries dropped: no usable http(s) `<loc>`, or beyond `maxEntries`.
    public var skippedEntries: Int
}

/// A child sitemap listed in a sitemap index.
public struct SitemapReference: Sendable, Equatable {
    public var url: CrawlURL
    /// `<lastmod>`: when the child last changed; skip it if older than the last successful run.
    public var lastModified: Date?
}

/// A page listed in a sitemap.
public struct SitemapEntry: Sendable, Equatable {
    public var url: CrawlURL
    /// `<lastmod>`.
    public var lastModified: Date?
    /// `<news:publication_date>` of a Google News sitemap.
    public var publicationDate: Date?
    /// `<news:title>` of a Google News sitemap.
    public var newsTitle: String?
    /// `<news:language>` of the `<news:publication>`.
    public var newsLanguage: String?

    /// The latest date given for the page, to compare with the last successful run; nil when
    /// the sitemap gives none.
    public var lastChanged: Date? {
        switch (lastModified, publicationDate) {
        case let (m?, p?): return max(m, p)
        case let (m, p): return m ?? p
        }
    }

    public init(url: CrawlURL, lastModified: Date? = nil, publicationDate: Date? = nil,
                newsTitle: String? = nil, newsLanguage: String? = nil) {
        self.url = url
        self.lastModified = lastModified
        self.publicationDate = publicationDate
        self.newsTitle = newsTitle
        self.newsLanguage = newsLanguage
    }
}
