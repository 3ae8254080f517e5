import Foundation
import HeraldFiles
import Testing

/// Locks of both kinds between separate opens of one file, as two processes would hold them.
@Suite("File locks")
struct FileLockTests {
    let file: URL

    init() {
        file = FileManager.default.temporaryDirectory
            .appendingPathComponent("herald-filelock-\(UUID().uuidString)/sub/x.lock")
    }

    @Test("an exclusive lock excludes every other open; release frees it",
          arguments: [FileLock.Kind.flock, .openFileDescription])
    func exclusiveConflicts(kind: FileLock.Kind) throws {
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent().deletingLastPathComponent()) }
        let first = try #require(try FileLock.tryLock(file, .exclusive, kind: kind))
        #expect(try FileLock.tryLock(file, .exclusive, kind: kind) == nil)
        #expect(try FileLock.tryLock(file, .shared, kind: kind) == nil)
        first.release()
        #expect(try FileLock.tryLock(file, .exclusive, kind: kind) != nil)
    }

    @Test("shared locks coexist and keep an exclusive one out; a downgrade lets readers in",
          arguments: [FileLock.Kind.flock, .openFileDescription])
    func sharedAndDowngrade(kind: FileLock.Kind) throws {
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent().deletingLastPathComponent()) }
        let writer = try #require(try FileLock.tryLock(file, .exclusive, kind: kind))
        #expect(try FileLock.tryLock(file, .shared, kind: kind) == nil)
        writer.downgrade()
        let reader = try #require(try FileLock.tryLock(file, .shared, kind: kind))
        let writerWhileRead = try FileLock.tryLock(file, .exclusive, kind: kind)
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

    @Test("an open-file-description lock names its holder while held, and a probe never takes it")
    func holder() throws {
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent().deletingLastPathComponent()) }
        #expect(FileLock.holder(of: file) == nil)
        let lock = try #require(try FileLock.tryLock(file, .exclusive, kind: .openFileDescription))
        try lock.write("run-1")
        #expect(FileLock.holder(of: file) == "run-1")
        try lock.write("run-2")
        #expect(FileLock.holder(of: file) == "run-2")
        lock.release()
        // The name stays in the file, but only a held lock makes it count.
        #expect(FileLock.holder(of: file) == nil)
        let next = try #require(try FileLock.tryLock(file, .exclusive, kind: .openFileDescription))
        try next.write("run-3")
        #expect(FileLock.holder(of: file) == "run-3")
        withExtendedLifetime(next) {}
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
