import Foundation
import HeraldTestSupport
import Testing
import HeraldState

/// The ledger contract the spool's exactly-once argument relies on (any `CrawlStateStore`
/// backend must pass the same checks).
@Suite("Delivery ledger: claims, pending entries, confirm and abandon")
struct DeliveryLedgerTests {
    static func claim(_ hash: String, canonical: String? = "https://news.example/a", previous: String? = nil,
                      body: String? = nil, tmp: String = "t1") -> DeliveryClaim {
        DeliveryClaim(contentHash: hash, canonicalURL: canonical, previousHash: previous,
                      fingerprint: body.map(ContentFingerprint.init(body:)), temporaryName: tmp,
                      spool: "/var/spool/herald", nearDuplicateSimilarity: 0.6)
    }

    @Test func claimIsExclusiveAndPendingUntilConfirmedAcrossRestarts() throws {
        let dir = TestPaths.temporaryDirectory("ledger")
        let store = try SQLiteStateStore(directory: dir)
        #expect(try store.ledgerStatus(contentHash: "sha256:1") == .unknown)
        #expect(try store.claim(Self.claim("sha256:1")) == .claimed)
        #expect(try store.claim(Self.claim("sha256:1", tmp: "t2")) == .duplicate)
        #expect(try store.pendingDeliveries(spool: "/var/spool/herald")
                == [PendingDelivery(contentHash: "sha256:1", temporaryName: "t1", spool: "/var/spool/herald")])
        #expect(try store.pendingDeliveries(spool: "/other/spool").isEmpty)
        try store.close()

        let restarted = try SQLiteStateStore(directory: dir)
        #expect(try restarted.pendingDeliveries(spool: "/var/spool/herald").count == 1)
        try restarted.confirm(contentHashes: ["sha256:1"])
        try restarted.confirm(contentHashes: ["sha256:1"])  // idempotent
        #expect(try restarted.pendingDeliveries(spool: "/var/spool/herald").isEmpty)
        #expect(try restarted.ledgerStatus(contentHash: "sha256:1") == .delivered)
        // A confirmed delivery cannot be abandoned.
        try restarted.abandon(contentHash: "sha256:1")
        #expect(try restarted.ledgerStatus(contentHash: "sha256:1") == .delivered)
    }

    @Test func abandonedClaimMakesTheHashDeliverableAgain() throws {
        let store = try SQLiteStateStore(directory: TestPaths.temporaryDirectory("ledger"))
        let body = String(repeating: "the harbour council voted on the budget for the new bridge ", count: 5)
        #expect(try store.claim(Self.claim("sha256:1", body: body)) == .claimed)
        try store.abandon(contentHash: "sha256:1")
        #expect(try store.ledgerStatus(contentHash: "sha256:1") == .unknown)
        #expect(try store.latestHash(canonicalURL: "https://news.example/a") == nil)
        // Its fingerprint is gone too: the same body is not a near-duplicate of a ghost.
        #expect(try store.nearDuplicate(of: ContentFingerprint(body: body), minimumSimilarity: 0.6) == nil)
        #expect(try store.claim(Self.claim("sha256:1", body: body, tmp: "t2")) == .claimed)
    }

    @Test func claimChecksThePreviousHashOfTheCanonicalURL() throws {
        let store = try SQLiteStateStore(directory: TestPaths.temporaryDirectory("ledger"))
        #expect(try store.claim(Self.claim("sha256:1")) == .claimed)
        #expect(try store.claim(Self.claim("sha256:2")) == .previousHashChanged(to: "sha256:1"))
        #expect(try store.claim(Self.claim("sha256:2", previous: "sha256:1")) == .claimed)
        #expect(try store.latestHash(canonicalURL: "https://news.example/a") == "sha256:2")
        #expect(try store.claim(Self.claim("sha256:3", canonical: nil)) == .claimed)
    }

    @Test func nearDuplicateClaimIsRecordedAndStable() throws {
        let store = try SQLiteStateStore(directory: TestPaths.temporaryDirectory("ledger"))
        let body = String(repeating: "the harbour council voted on the budget for the new bridge ", count: 5)
            + "after a long debate about costs and the river crossing"
        #expect(try store.claim(Self.claim("sha256:1", body: body)) == .claimed)
        let copy = Self.claim("sha256:2", canonical: "https://mirror.example/a", body: body + " Advertisement")
        #expect(try store.claim(copy) == .nearDuplicate(of: "sha256:1"))
        #expect(try store.ledgerStatus(contentHash: "sha256:2") == .nearDuplicate(of: "sha256:1"))
        #expect(try store.pendingDeliveries(spool: "/var/spool/herald").map(\.contentHash) == ["sha256:1"])
    }
}
