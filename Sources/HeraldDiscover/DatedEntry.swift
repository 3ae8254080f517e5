import Foundation

/// A page listed by a feed or sitemap, with the latest date the listing gives for it: what the
/// crawl engine needs to skip entries that cannot have changed since its last successful run.
public protocol DatedEntry: Sendable {
    var url: CrawlURL { get }
    /// The newest date the listing gives for the entry; nil when it gives none.
    var lastChanged: Date? { get }
}

extension DatedEntry {
    /// False only when the entry is dated and that date is before `lastRun`: an undated entry,
    /// or any entry when there was no previous run, may be new and should be fetched.
    public func mayBeNew(since lastRun: Date?) -> Bool {
        guard let lastRun, let changed = lastChanged else { return true }
        return changed >= lastRun
    }
}

extension FeedEntry: DatedEntry {}
extension SitemapEntry: DatedEntry {}
extension SitemapReference: DatedEntry {
    public var lastChanged: Date? { lastModified }
}
