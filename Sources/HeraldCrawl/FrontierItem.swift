import HeraldDiscover

/// One URL waiting to be fetched in a run, with what it is expected to be and how it was found.
struct FrontierItem: Sendable {
    enum Kind: Sendable {
        /// An HTML page: a link source, an article, or both.
        case page
        /// An RSS/Atom/RDF feed: its entries are candidate pages.
        case feed
        /// A sitemap or sitemap index (also gzip-compressed or plain text).
        case sitemap
    }

    var url: CrawlURL
    var kind: Kind
    /// Link hops from a start page, feed entry or sitemap entry (those are 0).
    var depth: Int
    /// One of the crawl definition's own start pages, feeds or sitemaps: if none of them can be
    /// fetched the run has failed.
    var isSeed: Bool = false
    /// The URL whose redirect to another host led here: the page is an article if that URL
    /// was one, as it would have been had the redirect been followed in one fetch.
    var redirectedFrom: CrawlURL?
}
