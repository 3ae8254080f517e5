import Foundation
import Testing
@testable import HeraldDiscover
import HeraldFormats

@Suite("DatedEntry: skipping entries older than the last run")
struct DatedEntryTests {
    static let url = CrawlURL("https://example.com/a")!
    static let lastRun = DateGrammar.instant("2024-11-28T10:00:00Z")!

    @Test("dated entries before the last run are skipped; undated ones and first runs are not")
    func mayBeNew() {
        let old = FeedEntry(url: Self.url, published: DateGrammar.instant("2024-11-28T09:59:59Z"))
        let updatedSince = FeedEntry(url: Self.url, published: DateGrammar.instant("2024-11-27T00:00:00Z"),
                                     updated: DateGrammar.instant("2024-11-28T10:30:00Z"))
        let undated = FeedEntry(url: Self.url)
        #expect(!old.mayBeNew(since: Self.lastRun))
        #expect(old.mayBeNew(since: nil))
        #expect(updatedSince.mayBeNew(since: Self.lastRun))
        #expect(undated.mayBeNew(since: Self.lastRun))

        let news = SitemapEntry(url: Self.url, publicationDate: DateGrammar.instant("2024-11-28T10:00:00Z"))
        #expect(news.mayBeNew(since: Self.lastRun), "exactly at the last run start counts as new")
        let child = SitemapReference(url: Self.url, lastModified: DateGrammar.instant("2024-11-01"))
        #expect(!child.mayBeNew(since: Self.lastRun))
    }
}
