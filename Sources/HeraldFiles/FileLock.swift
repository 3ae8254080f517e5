import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An advisory `flock(2)` lock on a file, held until `release()` or deinit. Locks conflict
/// between processes and between separate opens in one process, and the kernel drops them when
/// the holder dies (even by `kill -9`), so a stale lock never blocks the next run.
/// One owner at a time: `downgrade` and `release` must not race each other.
public final class FileLock: @unchecked Sendable {
    public let path: String
    private var fd: Int32

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    deinit { release() }

    /// Shared locks coexist with each other; an exclusive lock excludes every other lock.
    public enum Mode: Sendable { case shared, exclusive }

    /// Opens (creating it and its directory) the lock file and tries to take the lock without
    /// waiting: nil when another holder has a conflicting lock. Throws when the file cannot be
    /// opened at all.
    public static func tryLock(_ url: URL, _ mode: Mode) throws(FileError) -> FileLock? {
        let fd = try open(url)
        if flock(fd, (mode == .exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0 {
            close(fd)
            return nil
        }
        return FileLock(path: url.path, fd: fd)
    }

    /// Takes the lock, waiting as long as it takes (blocking the calling thread: keep it off
    /// the cooperative pool unless the wait is known to be short).
    public static func lock(_ url: URL, _ mode: Mode) throws(FileError) -> FileLock {
        let fd = try open(url)
        while flock(fd, mode == .exclusive ? LOCK_EX : LOCK_SH) != 0 {
            if errno == EINTR { continue }
            let reason = FileError.reason()
            close(fd)
            throw FileError("cannot lock \(url.path): \(reason)")
        }
        return FileLock(path: url.path, fd: fd)
    }

    /// Turns an exclusive lock into a shared one (others may then take shared locks too).
    public func downgrade() {
        guard fd >= 0 else { return }
        while flock(fd, LOCK_SH) != 0, errno == EINTR {}
    }

    /// Gives the lock up now rather than at deinit.
    public func release() {
        guard fd >= 0 else { return }
        _ = flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }

    private static func open(_ url: URL) throws(FileError) -> Int32 {
        let directory = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw FileError("cannot create \(directory.path): \(error.localizedDescription)")
        }
        let fd = Glibc.open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileError("cannot open lock file \(url.path): \(FileError.reason())") }
        return fd
    }
}

extension FileError {
    /// The system's words for the current `errno`.
    static func reason() -> String { String(cString: strerror(errno)) }
}
