import Foundation
import HeraldExtract
import HeraldState
import HeraldTestSupport
import Testing
@testable import HeraldSpool

@Suite("Delivering articles into the spool")
struct ArticleDeliveryTests {
    @Test func recordAppearsInNewNamedByHashAsParseableSortedJSON() throws {
        let f = try SpoolFixture()
        let record = SpoolFixture.record(SpoolFixture.body(1), url: "https://news.example/a/b?x=1")
        let outcome = try f.delivery.deliver(record)
        let file = f.spoolDir.appendingPathComponent("new/\(SpoolFixture.hex(record)).json")
        #expect(outcome == .delivered(file: file, previousHash: nil))
        #expect(outcome.kind == "ok")
        #expect(f.files(in: "new") == ["\(SpoolFixture.hex(record)).json"])
        #expect(f.files(in: "tmp").isEmpty)
        #expect(f.files(in: "cur").isEmpty)

        let data = try Data(contentsOf: file)
        let decoded = try JSONDecoder().decode(ArticleRecord.self, from: data)
        #expect(decoded == record)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"url\":\"https://news.example/a/b?x=1\""), "slashes unescaped")
        #expect(text.contains("\"previous_hash\":null"), "null fields are written, not omitted")
        #expect(text.hasSuffix("}\n"))
        let keys = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any]).keys
        #expect(keys.count == 21)
        // Sorted keys: "authors" comes before "body" in the file.
        #expect(text.range(of: "\"authors\"")!.lowerBound < text.range(of: "\"body\"")!.lowerBound)
    }

    @Test func sameContentIsDeliveredOnceAcrossSitesRestartsAndConsumerDeletes() throws {
        let f = try SpoolFixture()
        let body = SpoolFixture.body(2)
        let first = SpoolFixture.record(body, url: "https://a.example/x")
        guard case .delivered(let file, _) = try f.delivery.deliver(first) else { Issue.record("not delivered"); return }
        // Another site publishes the identical text.
        #expect(try f.delivery.deliver(SpoolFixture.record(body, url: "https://b.example/y"))
                == .duplicate(ofHash: first.contentHash))
        // The consumer takes the file, herald restarts, the page is fetched again.
        try FileManager.default.removeItem(at: file)
        try f.restart()
        let again = try f.delivery.deliver(first)
        #expect(again == .duplicate(ofHash: first.contentHash))
        #expect(again.kind == "duplicate")
        #expect(f.files(in: "new").isEmpty)
    }

    @Test func changedBodyAtSameCanonicalURLCarriesPreviousHash() throws {
        let f = try SpoolFixture()
        let url = "https://news.example/live"
        let v1 = SpoolFixture.record(SpoolFixture.body(3), url: url)
        let v2 = SpoolFixture.record(SpoolFixture.body(4), url: url + "?amp=1", canonical: url)
        #expect(try f.delivery.deliver(v1) == .delivered(file: f.spoolDir.appendingPathComponent("new/\(SpoolFixture.hex(v1)).json"), previousHash: nil))
        try f.restart()
        guard case let .delivered(file, previous) = try f.delivery.deliver(v2) else { Issue.record("v2 not delivered"); return }
        #expect(previous == v1.contentHash)
        let written = try JSONDecoder().decode(ArticleRecord.self, from: Data(contentsOf: file))
        #expect(written.previousHash == v1.contentHash)
        // A third version points at the second, not the first.
        let v3 = SpoolFixture.record(SpoolFixture.body(5), url: url)
        guard case let .delivered(_, previous3) = try f.delivery.deliver(v3) else { Issue.record("v3 not delivered"); return }
        #expect(previous3 == v2.contentHash)
        // Content of another URL never carries a previous hash.
        guard case let .delivered(_, other) = try f.delivery.deliver(SpoolFixture.record(SpoolFixture.body(6), url: "https://news.example/other"))
        else { Issue.record("other not delivered"); return }
        #expect(other == nil)
    }

    @Test func nearCopyIsHeldBackAndRemembered() throws {
        let f = try SpoolFixture()
        let body = SpoolFixture.body(7)
        let original = SpoolFixture.record(body, url: "https://a.example/story")
        _ = try f.delivery.deliver(original)
        let syndicated = SpoolFixture.record("By Omar Haddad, Associated Press\n\n" + body
                                             + "\n\nShare this article: Facebook Twitter Email",
                                             url: "https://b.example/wire/story")
        #expect(try f.delivery.deliver(syndicated) == .nearDuplicate(of: original.contentHash))
        #expect(f.files(in: "new").count == 1)
        #expect(f.files(in: "tmp").isEmpty)
        try f.restart()
        #expect(try f.store.ledgerStatus(contentHash: syndicated.contentHash) == .nearDuplicate(of: original.contentHash))
        #expect(try f.delivery.deliver(syndicated) == .nearDuplicate(of: original.contentHash))
    }

    @Test func nearDuplicateCheckCanBeTurnedOff() throws {
        let f = try SpoolFixture()
        let delivery = ArticleDelivery(spool: f.spoolDir, store: f.store, nearDuplicateSimilarity: nil)
        let body = SpoolFixture.body(8)
        _ = try delivery.deliver(SpoolFixture.record(body, url: "https://a.example/1"))
        guard case .delivered = try delivery.deliver(SpoolFixture.record(body + " Advertisement.", url: "https://b.example/1"))
        else { Issue.record("not delivered"); return }
        #expect(f.files(in: "new").count == 2)
    }

    @Test func invalidContentHashIsRefused() throws {
        let f = try SpoolFixture()
        var record = SpoolFixture.record(SpoolFixture.body(9))
        record.contentHash = "sha256:../../etc/passwd"
        #expect(throws: SpoolError.self) { try f.delivery.deliver(record) }
        record.contentHash = ""
        #expect(throws: SpoolError.self) { try f.delivery.deliver(record) }
        #expect(f.files(in: "new").isEmpty)
    }

    @Test func concurrentDeliveriesWriteEachContentExactlyOnce() async throws {
        let f = try SpoolFixture()
        let delivery = f.delivery
        // 8 tasks, each delivering the same 40 records in a different order.
        let records = (0..<40).map { SpoolFixture.record(SpoolFixture.body(100 + $0), url: "https://c.example/\($0)") }
        let delivered = try await withThrowingTaskGroup(of: Int.self) { group in
            for t in 0..<8 {
                group.addTask {
                    var count = 0
                    for i in 0..<records.count {
                        if case .delivered = try delivery.deliver(records[(i * 7 + t * 5) % records.count]) { count += 1 }
                    }
                    return count
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(delivered == 40)
        #expect(f.files(in: "new") == records.map { "\(SpoolFixture.hex($0)).json" }.sorted())
        #expect(f.files(in: "tmp").isEmpty)
        try delivery.flush()
        #expect(try f.store.pendingDeliveries(spool: delivery.spool.identity).isEmpty)
    }
    @Test func concurrentVersionsOfOneURLFormOneChainOfPreviousHashes() async throws {
        let f = try SpoolFixture()
        let delivery = f.delivery
        let versions = (0..<12).map { SpoolFixture.record(SpoolFixture.body(300 + $0), url: "https://news.example/live") }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for v in versions {
                group.addTask { _ = try delivery.deliver(v) }
            }
            try await group.waitForAll()
        }
        var previous = [String: String?]()
        for name in f.files(in: "new") {
            let r = try JSONDecoder().decode(ArticleRecord.self, from: Data(contentsOf: f.spoolDir.appendingPathComponent("new/\(name)")))
            previous[r.contentHash] = r.previousHash
        }
        #expect(previous.count == versions.count)
        // Exactly one first version; every other points at a distinct delivered version.
        #expect(previous.values.filter { $0 == nil }.count == 1)
        let targets = previous.values.compactMap { $0 }
        #expect(Set(targets).count == versions.count - 1)
        #expect(targets.allSatisfy { previous[$0] != nil })
    }
}
