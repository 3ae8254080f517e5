/// What a fetched HTML page offers the crawler: its outgoing links and the `<head>` links that
/// matter for discovery and deduplication. All URLs are absolute and normalized.
public struct PageLinks: Sendable, Equatable {
    /// The page's own URL (the final URL after redirects).
    public var url: CrawlURL
    /// The URL relative links were resolved against: `<base href>` if present, else `url`.
    public var base: CrawlURL
    /// `<a href>` and `<area href>` targets and a `<meta http-equiv=refresh>` target, http(s)
    /// only, each once, in document order, without links back to the page itself.
    public var links: [CrawlURL]
    /// `<link rel=canonical>`, if present and valid.
    public var canonical: CrawlURL?
    /// `<link rel=amphtml>`: the AMP twin of this page.
    public var ampHTML: CrawlURL?
    /// Feeds announced with `<link rel=alternate>` of an RSS, Atom or RDF type.
    public var feeds: [CrawlURL]
    /// `<meta name=robots>` (or `name=herald`) says `nofollow`/`none`: do not queue `links`.
    public var noFollow: Bool
    /// `<meta name=robots>` (or `name=herald`) says `noindex`/`none`: do not deliver as article.
    public var noIndex: Bool
}
