import Foundation
import GRDB
import HeraldTestSupport
import Testing
@testable import HeraldState

@Suite("SQLite state store: opening, migrations, refusing bad files")
struct SQLiteStateStoreTests {
    @Test func freshDirectoryGetsMigratedWALDatabase() throws {
        let dir = TestPaths.temporaryDirectory("state").appendingPathComponent("nested/state")
        let store = try SQLiteStateStore(directory: dir)
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("herald.sqlite").path))
        let (version, mode, tables) = try store.pool.read { db in
            (try Int.fetchOne(db, sql: "PRAGMA user_version"),
             try String.fetchOne(db, sql: "PRAGMA journal_mode"),
             try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"))
        }
        #expect(version == StateSchema.version)
        #expect(mode == "wal")
        for table in ["articles", "fingerprint_bands", "near_duplicates", "pending_deliveries", "robots", "urls"] {
            #expect(tables.contains(table), "missing table \(table)")
        }
        // The run history is the crawl log's; a fresh file has nothing of its own to move.
        try store.moveLegacyRuns { #expect($0.isEmpty) }
        #expect(try store.pool.read { db in try db.tableExists("legacy_runs") } == false)
    }

    @Test func reopeningKeepsDataAndDoesNotMigrateAgain() throws {
        let dir = TestPaths.temporaryDirectory("state")
        let store = try SQLiteStateStore(directory: dir)
        try store.saveURLState(URLState(url: "https://example.com/a", etag: "\"x\""))
        try store.close()
        let again = try SQLiteStateStore(directory: dir)
        #expect(try again.urlState("https://example.com/a")?.etag == "\"x\"")
        let applied = try again.pool.read { db in try StateSchema.migrator.appliedIdentifiers(db) }
        #expect(applied == ["v1", "v2", "v3"])
    }

    @Test func garbageFileIsReportedAsCorruptAndLeftUntouched() throws {
        let dir = TestPaths.temporaryDirectory("state")
        let file = dir.appendingPathComponent(SQLiteStateStore.fileName)
        let garbage = Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ 13) })
        try garbage.write(to: file)
        #expect {
            _ = try SQLiteStateStore(directory: dir)
        } throws: { error in
            guard case let .corrupt(path, _) = error as? StateError else { return false }
            return path == file.path && "\(error)".contains("corrupt")
        }
        #expect(try Data(contentsOf: file) == garbage)
    }

    @Test func fileFromNewerHeraldIsRefused() throws {
        let dir = TestPaths.temporaryDirectory("state")
        let store = try SQLiteStateStore(directory: dir)
        try store.saveURLState(URLState(url: "https://example.com/kept"))
        try store.pool.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9-from-the-future')")
            try db.execute(sql: "PRAGMA user_version = 9")
        }
        try store.close()
        #expect {
            _ = try SQLiteStateStore(directory: dir)
        } throws: { error in
            guard case let .newerVersion(_, found, supported, unknown) = error as? StateError else { return false }
            return found == 9 && supported == StateSchema.version && unknown == ["v9-from-the-future"]
                && "\(error)".contains("newer")
        }
        // Still the same file with the same data: nothing was replaced.
        let queue = try DatabaseQueue(path: dir.appendingPathComponent(SQLiteStateStore.fileName).path)
        #expect(try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM urls") } == 1)
    }

    @Test func higherUserVersionAloneIsRefused() throws {
        let dir = TestPaths.temporaryDirectory("state")
        let store = try SQLiteStateStore(directory: dir)
        try store.pool.write { db in try db.execute(sql: "PRAGMA user_version = 7") }
        try store.close()
        #expect(throws: StateError.self) { _ = try SQLiteStateStore(directory: dir) }
    }

    @Test func unusableDirectoryIsAClearError() throws {
        let parent = TestPaths.temporaryDirectory("state")
        let blocker = parent.appendingPathComponent("file")
        try Data("x".utf8).write(to: blocker)
        #expect {
            _ = try SQLiteStateStore(directory: blocker.appendingPathComponent("state"))
        } throws: { error in
            guard case .unavailable = error as? StateError else { return false }
            return true
        }
    }
}

@Suite("Damaged state files")
struct DamagedStateFileTests {
    @Test func truncatedFileGivesCorruptErrorNotWrongAnswers() throws {
        let dir = TestPaths.temporaryDirectory("state")
        let store = try SQLiteStateStore(directory: dir)
        try store.saveURLStates((0..<3000).map { URLState(url: "https://news.example/\($0)", etag: String(repeating: "e", count: 100)) })
        try store.checkpoint()
        try store.close()
        let file = dir.appendingPathComponent(SQLiteStateStore.fileName)
        let data = try Data(contentsOf: file)
        try data.prefix(data.count / 2).write(to: file)

        #expect {
            let reopened = try SQLiteStateStore(directory: dir)
            for i in stride(from: 0, to: 3000, by: 100) { _ = try reopened.urlState("https://news.example/\(i)") }
        } throws: { error in
            guard case .corrupt = error as? StateError else { return false }
            return true
        }
    }
}
