import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An advisory `flock(2)` lock on a file, held until `release()` or deinit. Locks conflict
/// between processes and between separate opens in one process, and the kernel drops them when
/// the holder dies (even by `kill -9`), so a stale lock never blocks the next run.
final class FileLock: @unchecked Sendable {
    let path: String
    private var fd: Int32

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    deinit { release() }

    enum Mode { case shared, exclusive }

    /// Opens (creating it and its directory) the lock file and tries to take the lock without
    /// waiting: nil when another holder has a conflicting lock. Throws when the file cannot be
    /// opened at all.
    static func tryLock(_ url: URL, _ mode: Mode) throws -> FileLock? {
        let fd = try open(url)
        if flock(fd, (mode == .exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0 {
            close(fd)
            return nil
        }
        return FileLock(path: url.path, fd: fd)
    }

    /// Takes the lock, waiting as long as it takes (blocking the calling thread: keep it off
    /// the cooperative pool unless the wait is known to be short).
    static func lock(_ url: URL, _ mode: Mode) throws -> FileLock {
        let fd = try open(url)
        while flock(fd, mode == .exclusive ? LOCK_EX : LOCK_SH) != 0 {
            if errno == EINTR { continue }
            let reason = String(cString: strerror(errno))
            close(fd)
            throw CrawlSetupError("cannot lock \(url.path): \(reason)")
        }
        return FileLock(path: url.path, fd: fd)
    }

    /// Turns an exclusive lock into a shared one (others may then take shared locks too).
    func downgrade() {
        guard fd >= 0 else { return }
        while flock(fd, LOCK_SH) != 0, errno == EINTR {}
    }

    func release() {
        guard fd >= 0 else { return }
        _ = flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }

    private static func open(_ url: URL) throws -> Int32 {
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(),
                                                    withIntermediateDirectories: true)
        } catch {
            throw CrawlSetupError("cannot create \(url.deletingLastPathComponent().path): \(error.localizedDescription)")
        }
        let fd = Glibc.open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw CrawlSetupError("cannot open lock file \(url.path): \(String(cString: strerror(errno)))")
        }
        return fd
    }
}
