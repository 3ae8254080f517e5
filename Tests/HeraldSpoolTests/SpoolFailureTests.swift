import Foundation
import HeraldExtract
import HeraldState
import HeraldTestSupport
import Testing
@testable import HeraldSpool
#if canImport(Glibc)
import Glibc
#endif

/// An unwritable, broken or missing spool fails the article with `spool_error`, leaves nothing
/// partial in `new/`, does not mark the article delivered, and works again once repaired.
@Suite("Spool failures: spool_error, nothing partial, retried later")
struct SpoolFailureTests {
    static func expectSpoolError(_ f: SpoolFixture, _ record: ArticleRecord,
                                 sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(sourceLocation: sourceLocation) {
            _ = try f.delivery.deliver(record)
        } throws: { error in
            guard let spool = error as? SpoolError else { return false }
            return spool.kind == "spool_error" && !spool.message.isEmpty
        }
        #expect((try? f.store.ledgerStatus(contentHash: record.contentHash)) == .unknown,
                "a failed article must stay deliverable", sourceLocation: sourceLocation)
        #expect(f.files(in: "new").allSatisfy { !$0.hasPrefix(SpoolFixture.hex(record)) },
                sourceLocation: sourceLocation)
    }

    @Test func newDirectoryReplacedByAFile() throws {
        let f = try SpoolFixture()
        try f.delivery.recover()
        let new = f.spoolDir.appendingPathComponent("new")
        try FileManager.default.removeItem(at: new)
        try Data("not a directory".utf8).write(to: new)
        let record = SpoolFixture.record(SpoolFixture.body(201))
        Self.expectSpoolError(f, record)
        #expect(f.files(in: "tmp").isEmpty, "the temporary file is removed after the failed rename")
        #expect(try f.store.pendingDeliveries(spool: f.delivery.spool.identity).isEmpty)

        try FileManager.default.removeItem(at: new)
        try FileManager.default.createDirectory(at: new, withIntermediateDirectories: false)
        guard case .delivered = try f.delivery.deliver(record) else { Issue.record("not delivered after repair"); return }
        #expect(f.files(in: "new") == ["\(SpoolFixture.hex(record)).json"])
    }

    @Test func spoolThatCannotBeCreatedFailsEachArticleUntilItCan() throws {
        let root = TestPaths.temporaryDirectory("spool")
        let blocker = root.appendingPathComponent("mnt")
        try Data("a file where the spool's parent should be".utf8).write(to: blocker)
        let store = try SQLiteStateStore(directory: root.appendingPathComponent("state"))
        let delivery = ArticleDelivery(spool: blocker.appendingPathComponent("spool"), store: store)
        let record = SpoolFixture.record(SpoolFixture.body(202))
        #expect {
            _ = try delivery.deliver(record)
        } throws: { error in
            (error as? SpoolError)?.message.contains(blocker.path) == true
        }
        #expect(try store.ledgerStatus(contentHash: record.contentHash) == .unknown)

        try FileManager.default.removeItem(at: blocker)
        try FileManager.default.createDirectory(at: blocker, withIntermediateDirectories: false)
        guard case .delivered = try delivery.deliver(record) else { Issue.record("not delivered after repair"); return }
    }

    @Test func temporaryDirectoryUnusable() throws {
        let f = try SpoolFixture()
        try f.delivery.recover()
        let tmp = f.spoolDir.appendingPathComponent("tmp")
        try FileManager.default.removeItem(at: tmp)
        try Data("x".utf8).write(to: tmp)
        let record = SpoolFixture.record(SpoolFixture.body(203))
        Self.expectSpoolError(f, record)
        try FileManager.default.removeItem(at: tmp)
        guard case .delivered = try f.delivery.deliver(record) else { Issue.record("not delivered after repair"); return }
    }

    @Test func spoolRemovedWhileRunningIsCreatedAgain() throws {
        let f = try SpoolFixture()
        _ = try f.delivery.deliver(SpoolFixture.record(SpoolFixture.body(204)))
        try FileManager.default.removeItem(at: f.spoolDir)
        let record = SpoolFixture.record(SpoolFixture.body(205))
        guard case .delivered = try f.delivery.deliver(record) else { Issue.record("not delivered"); return }
        #expect(f.files(in: "new") == ["\(SpoolFixture.hex(record)).json"])
    }

    @Test(.enabled(if: getuid() != 0, "root ignores permission bits"))
    func readOnlySpoolDirectories() throws {
        let f = try SpoolFixture()
        try f.delivery.recover()
        let new = f.spoolDir.appendingPathComponent("new")
        let tmp = f.spoolDir.appendingPathComponent("tmp")
        let record = SpoolFixture.record(SpoolFixture.body(206))
        for dir in [new, tmp] {
            try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: dir.path)
            Self.expectSpoolError(f, record)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir.path)
            #expect(f.files(in: "tmp").isEmpty)
        }
        guard case .delivered = try f.delivery.deliver(record) else { Issue.record("not delivered after repair"); return }
    }
}
