import Foundation
import GRDB
import HeraldTestSupport
import Testing
@testable import HeraldState

/// The state stays bounded: a state holding several simulated years forgets what is older than
/// its windows, a batch at a time, and nothing inside them; the file gives pages back.
@Suite("State pruning")
struct StatePruningTests {
    static let now = Date(timeIntervalSince1970: 1_796_000_000)
    static let day = 86_400.0

    @Test func yearsOfStateShrinkToTheWindowsAndKeepEverythingInside() throws {
        let dir = TestPaths.temporaryDirectory("state-prune")
        let store = try SQLiteStateStore(directory: dir)
        #expect(try store.pool.read { db in try Int.fetchOne(db, sql: "PRAGMA auto_vacuum") } == 2)
        // Three years of deliveries, ten a day, with fingerprints; URLs fetched over the same span.
        var articles: [DeliveredArticle] = []
        var urls: [URLState] = []
        for n in 0..<10_950 {
            let age = Double(n / 10) * Self.day + 3600
            let body = "story \(n) about the harbour, the council and the ferry timetable, day \(n / 10)"
            articles.append(DeliveredArticle(contentHash: "sha256:\(n)", canonicalURL: "https://news.example/\(n)",
                                             fingerprint: ContentFingerprint(body: body),
                                             deliveredAt: Self.now.addingTimeInterval(-age)))
            urls.append(URLState(url: "https://news.example/\(n)", etag: "\"\(n)\"",
                                 lastFetchedAt: Self.now.addingTimeInterval(-age), httpStatus: 200,
                                 contentHash: "sha256:\(n)"))
        }
        try store.importDelivered(articles)
        try store.saveURLStates(urls)
        // An old delivery still pending (its rename not confirmed) must survive any pruning.
        let pendingAge = Self.now.addingTimeInterval(-500 * Self.day)
        try store.pool.write { db in
            try db.execute(sql: "INSERT INTO pending_deliveries (content_hash, temporary_name, spool, created_at) VALUES (?, 'x.json', '/spool', ?)",
                           arguments: ["sha256:5000", pendingAge.timeIntervalSince1970])
        }
        try store.checkpoint()
        let before = store.fileSize()

        let deliveredBefore = Self.now.addingTimeInterval(-365 * Self.day)
        let fetchedBefore = Self.now.addingTimeInterval(-90 * Self.day)
        var rounds = 0, forgotten = PruneResult()
        repeat {
            let r = try store.prune(deliveredBefore: deliveredBefore, fetchedBefore: fetchedBefore, now: Self.now, batch: 2000)
            forgotten.articles += r.articles
            forgotten.urls += r.urls
            forgotten.more = r.more
            rounds += 1
        } while forgotten.more
        #expect(rounds > 1)   // in batches, not one long transaction
        #expect(forgotten.articles == 10_950 - 3650 - 1 && forgotten.urls == 10_950 - 900)

        // Inside the window: every hash still deduplicates, every validator is still there.
        for n in stride(from: 0, to: 3650, by: 7) {
            #expect(try store.ledgerStatus(contentHash: "sha256:\(n)") == .delivered)
        }
        for n in stride(from: 0, to: 900, by: 7) { #expect(try store.urlState("https://news.example/\(n)") != nil) }
        #expect(try store.ledgerStatus(contentHash: "sha256:3650") == .unknown)
        #expect(try store.urlState("https://news.example/900") == nil)
        #expect(try store.ledgerStatus(contentHash: "sha256:5000") == .delivered)   // pending: kept
        // Near-duplicate lookups still find recent stories, never forgotten ones.
        let recent = ContentFingerprint(body: "story 12 about the harbour, the council and the ferry timetable, day 1")
        #expect(try store.nearDuplicate(of: recent, minimumSimilarity: 0.9) == "sha256:12")
        let bands = try store.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(DISTINCT article_id) FROM fingerprint_bands") }
        #expect(bands == 3650 + 1)

        try store.releaseFreePages(100_000)
        try store.checkpoint()
        #expect(store.fileSize() < before * 2 / 3, "\(before) -> \(store.fileSize())")
    }
}
