import Foundation

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
