import Foundation
import HeraldFiles
import Testing

/// flock locks between separate opens of one file, as two processes would hold them.
@Suite("File locks")
struct FileLockTests {
    let file: URL

    init() {
        file = FileManager.default.temporaryDirectory
            .appendingPathComponent("herald-filelock-\(UUID().uuidString)/sub/x.lock")
    }

    @Test("an exclusive lock excludes every other open; release frees it")
    func exclusiveConflicts() throws {
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent().deletingLastPathComponent()) }
        let first = try #require(try FileLock.tryLock(file, .exclusive))
        #expect(try FileLock.tryLock(file, .exclusive) == nil)
        #expect(try FileLock.tryLock(file, .shared) == nil)
        first.release()
        #expect(try FileLock.tryLock(file, .exclusive) != nil)
    }

    @Test("shared locks coexist and keep an exclusive one out; a downgrade lets readers in")
    func sharedAndDowngrade() throws {
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent().deletingLastPathComponent()) }
        let writer = try #require(try FileLock.tryLock(file, .exclusive))
        #expect(try FileLock.tryLock(file, .shared) == nil)
        writer.downgrade()
        let reader = try #require(try FileLock.tryLock(file, .shared))
        let writerWhileRead = try FileLock.tryLock(file, .exclusive)
        withExtendedLifetime((writer, reader)) {}
        #expect(writerWhileRead == nil)
    }

    @Test("dropping the last reference releases the lock, as the kernel does when a holder dies")
    func deinitReleases() throws {
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent().deletingLastPathComponent()) }
        var holder: FileLock? = try FileLock.lock(file, .exclusive)
        #expect(try FileLock.tryLock(file, .shared) == nil)
        holder = nil
        #expect(holder == nil)
        #expect(try FileLock.tryLock(file, .shared) != nil)
    }

    @Test("a lock file that cannot be created is an error naming the path")
    func unopenable() {
        let bad = URL(fileURLWithPath: "/proc/herald-no-such-dir/x.lock")
        #expect { _ = try FileLock.tryLock(bad, .exclusive) } throws: { error in
            "\(error)".contains("/proc/herald-no-such-dir")
        }
    }

    @Test("directory sync succeeds on a directory and reports a missing one")
    func directorySync() throws {
        let dir = FileManager.default.temporaryDirectory
        try DirectorySync.sync(dir)
        #expect(throws: FileError.self) { try DirectorySync.sync(dir.appendingPathComponent("herald-missing-\(UUID().uuidString)")) }
    }
}
