import Foundation
import HeraldExtract
import HeraldState
import HeraldTestSupport
import Testing
@testable import HeraldSpool

/// Stops the delivery protocol after each of its steps (as `kill -9` would), lets a consumer act
/// on `new/`, restarts, and fetches the same article again: it must reach `new/` exactly once.
@Suite("Crash recovery at every step of the spool protocol")
struct CrashRecoveryTests {
    /// How far the protocol got before the crash.
    enum CrashPoint: Int, CaseIterable, CustomTestStringConvertible {
        case whileWritingTemporary, afterTemporarySynced, afterClaimCommitted, afterRename, afterConfirm
        var testDescription: String { "\(self)" }
    }

    enum Consumer: CaseIterable, CustomTestStringConvertible {
        case idle, deletesFile, movesFileToCur
        var testDescription: String { "\(self)" }
    }

    @Test(arguments: CrashPoint.allCases, Consumer.allCases)
    func articleReachesNewExactlyOnce(crash: CrashPoint, consumer: Consumer) throws {
        let f = try SpoolFixture()
        let record = SpoolFixture.record(SpoolFixture.body(crash.rawValue * 10 + 1))
        let name = "\(SpoolFixture.hex(record)).json"
        var seen = 0  // times the consumer found the article in new/

        func consume() throws {
            guard f.files(in: "new").contains(name) else { return }
            let file = f.spoolDir.appendingPathComponent("new/\(name)")
            // An idle consumer marks what it has seen (mode 0600); a file written again would be 0644.
            let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
            guard mode != 0o600 else { return }
            seen += 1
            switch consumer {
            case .idle: try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
            case .deletesFile: try FileManager.default.removeItem(at: file)
            case .movesFileToCur:
                try FileManager.default.moveItem(at: file, to: f.spoolDir.appendingPathComponent("cur/\(name):2,"))
            }
        }

        // Run the protocol up to the crash point.
        let d = f.delivery
        try d.recover()
        let hex = try ArticleDelivery.hex(of: record.contentHash)
        let attempt = try d.prepare(record, hex: hex, previousHash: nil,
                                    fingerprint: ContentFingerprint(body: record.body))
        if crash == .whileWritingTemporary {
            try attempt.json.prefix(attempt.json.count / 2)
                .write(to: d.spool.tmp.appendingPathComponent(attempt.temporaryName))
        } else {
            try d.writeTemporary(attempt)
        }
        if crash.rawValue >= CrashPoint.afterClaimCommitted.rawValue {
            #expect(try d.claim(attempt) == .claimed)
        }
        if crash.rawValue >= CrashPoint.afterRename.rawValue {
            _ = try d.publish(attempt)
        }
        if crash == .afterConfirm {
            try f.store.confirm(contentHashes: [record.contentHash])
        }
        try consume()

        // Restart; recovery runs; the crawl fetches the page again.
        try f.restart()
        try f.delivery.recover()
        #expect(f.files(in: "tmp").isEmpty, "tmp leftovers after recovery")
        #expect(try f.store.pendingDeliveries(spool: f.delivery.spool.identity).isEmpty)
        let outcome = try f.delivery.deliver(record)
        if crash.rawValue >= CrashPoint.afterRename.rawValue {
            #expect(outcome == .duplicate(ofHash: record.contentHash))
        } else {
            guard case .delivered = outcome else { Issue.record("expected delivery, got \(outcome)"); return }
        }
        try consume()
        #expect(seen == 1, "article appeared \(seen) times in new/")
        // And it stays delivered through further restarts.
        try f.restart()
        #expect(try f.delivery.deliver(record) == .duplicate(ofHash: record.contentHash))
        try consume()
        #expect(seen == 1)
        // A complete, parseable file is what the consumer got.
        let where_ = consumer == .movesFileToCur ? "cur/\(name):2," : "new/\(name)"
        if consumer != .deletesFile {
            let data = try Data(contentsOf: f.spoolDir.appendingPathComponent(where_))
            #expect(try JSONDecoder().decode(ArticleRecord.self, from: data).contentHash == record.contentHash)
        }
    }

    @Test func crashDuringRecoveryBetweenAbandonAndDelete() throws {
        let f = try SpoolFixture()
        let record = SpoolFixture.record(SpoolFixture.body(61))
        let d = f.delivery
        try d.recover()
        let attempt = try d.prepare(record, hex: SpoolFixture.hex(record), previousHash: nil,
                                    fingerprint: ContentFingerprint(body: record.body))
        try d.writeTemporary(attempt)
        #expect(try d.claim(attempt) == .claimed)
        // Crash; the next start's recovery commits the abandon and dies before deleting tmp.
        try f.restart()
        try f.store.abandon(contentHash: record.contentHash)
        try f.restart()
        try f.delivery.recover()
        #expect(f.files(in: "tmp").isEmpty)
        guard case .delivered = try f.delivery.deliver(record) else { Issue.record("not delivered"); return }
        #expect(f.files(in: "new").count == 1)
    }

    @Test func recoveryRemovesStrayTemporariesAndNeverTouchesNew() throws {
        let f = try SpoolFixture()
        let kept = SpoolFixture.record(SpoolFixture.body(71))
        _ = try f.delivery.deliver(kept)
        try Data("{\"half\":".utf8).write(to: f.spoolDir.appendingPathComponent("tmp/1732900000.123.host"))
        try Data("junk".utf8).write(to: f.spoolDir.appendingPathComponent("tmp/other.tmp"))
        let before = try Data(contentsOf: f.spoolDir.appendingPathComponent("new/\(SpoolFixture.hex(kept)).json"))
        try f.restart()
        try f.delivery.recover()
        #expect(f.files(in: "tmp").isEmpty)
        #expect(f.files(in: "new") == ["\(SpoolFixture.hex(kept)).json"])
        #expect(try Data(contentsOf: f.spoolDir.appendingPathComponent("new/\(SpoolFixture.hex(kept)).json")) == before)
    }

    @Test func abandonNeverForgetsADeliveredArticle() throws {
        let f = try SpoolFixture()
        let record = SpoolFixture.record(SpoolFixture.body(81))
        _ = try f.delivery.deliver(record)
        try f.delivery.flush()
        try f.store.abandon(contentHash: record.contentHash)
        #expect(try f.store.ledgerStatus(contentHash: record.contentHash) == .delivered)
    }
}

@Suite("Several writers on one spool")
struct SharedSpoolTests {
    @Test func secondWriterDoesNotTreatTheFirstsFilesAsLeftovers() throws {
        let f = try SpoolFixture()
        let first = f.delivery
        try first.recover()
        let record = SpoolFixture.record(SpoolFixture.body(91), url: "https://a.example/91")
        let attempt = try first.prepare(record, hex: SpoolFixture.hex(record), previousHash: nil,
                                        fingerprint: ContentFingerprint(body: record.body))
        try first.writeTemporary(attempt)

        // A second writer (another crawl's delivery) starts while the first is mid-delivery.
        let second = ArticleDelivery(spool: f.spoolDir, store: f.store)
        guard case .delivered = try second.deliver(SpoolFixture.record(SpoolFixture.body(92), url: "https://b.example/92")) else {
            Issue.record("second writer did not deliver"); return
        }
        #expect(f.files(in: "tmp") == [attempt.temporaryName], "in-flight file was treated as a leftover")
        #expect(try first.claim(attempt) == .claimed)
        _ = try first.publish(attempt)
        #expect(f.files(in: "new").count == 2)

        // Once every writer is gone, the next one recovers again.
        try first.close()
        try second.close()
        try Data("stale".utf8).write(to: f.spoolDir.appendingPathComponent("tmp/stale"))
        let third = ArticleDelivery(spool: f.spoolDir, store: f.store)
        try third.recover()
        #expect(f.files(in: "tmp").isEmpty)
    }
}
