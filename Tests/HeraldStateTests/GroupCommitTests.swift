import Foundation
import HeraldState
import HeraldTestSupport
import Synchronization
import Testing

/// Claims made at the same moment from many threads are committed in batches; each must still
/// get the answer it would get alone, in some order: one winner per content hash, near-copies
/// held back, everything durable.
@Suite struct GroupCommitTests {
    /// Distinct story bodies (different words, so no two are near-duplicates).
    static func body(_ i: Int) -> String {
        (0..<60).map { "w\(i)x\($0)" }.joined(separator: " ")
    }

    @Test func concurrentClaimsHaveOneWinnerPerHashAndAreDurable() throws {
        let dir = TestPaths.temporaryDirectory("group-commit")
        let store = try SQLiteStateStore(directory: dir)
        let stories = 40
        let attempts = stories * 3      // every hash claimed by three threads at once
        let results = ResultBox(count: attempts)
        DispatchQueue.concurrentPerform(iterations: attempts) { n in
            let story = n % stories
            let claim = DeliveryClaim(
                contentHash: "sha256:\(story)", canonicalURL: "https://news.example/\(story)", previousHash: nil,
                fingerprint: ContentFingerprint(body: Self.body(story)), temporaryName: "t\(n)",
                spool: "/spool", nearDuplicateSimilarity: 0.6)
            results.set(n, Result { try store.claim(claim) })
        }
        let all = results.all
        for story in 0..<stories {
            let answers = stride(from: story, to: attempts, by: stories).map { try? all[$0]?.get() }
            #expect(answers.filter { $0 == .claimed }.count == 1, "story \(story): \(answers)")
            #expect(answers.filter { $0 == .duplicate }.count == 2, "story \(story): \(answers)")
        }
        try store.close()
        let reopened = try SQLiteStateStore(directory: dir)
        #expect(try reopened.pendingDeliveries(spool: "/spool").count == stories)
        for story in 0..<stories {
            #expect(try reopened.ledgerStatus(contentHash: "sha256:\(story)") == .delivered)
        }
    }

    @Test func nearCopiesClaimedTogetherHoldBackAllButOne() throws {
        let store = try SQLiteStateStore(directory: TestPaths.temporaryDirectory("group-commit-near"))
        let base = Self.body(7)
        let results = ResultBox(count: 8)
        DispatchQueue.concurrentPerform(iterations: 8) { n in
            // The same story with a different last word: distinct hashes, near-duplicate bodies.
            let claim = DeliveryClaim(
                contentHash: "sha256:near\(n)", canonicalURL: "https://news.example/near\(n)", previousHash: nil,
                fingerprint: ContentFingerprint(body: base + " end\(n)"), temporaryName: "n\(n)",
                spool: "/spool", nearDuplicateSimilarity: 0.6)
            results.set(n, Result { try store.claim(claim) })
        }
        let answers = results.all.map { try? $0?.get() }
        #expect(answers.filter { $0 == .claimed }.count == 1, "\(answers)")
        #expect(answers.filter { if case .nearDuplicate = $0 { true } else { false } }.count == 7, "\(answers)")
    }
}

final class ResultBox: Sendable {
    private let items: Mutex<[Result<ClaimResult, any Error>?]>
    init(count: Int) { items = Mutex(Array(repeating: nil, count: count)) }
    func set(_ i: Int, _ r: Result<ClaimResult, any Error>) { items.withLock { $0[i] = r } }
    var all: [Result<ClaimResult, any Error>?] { items.withLock { $0 } }
}
