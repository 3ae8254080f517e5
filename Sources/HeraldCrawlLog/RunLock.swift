import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The lock a run of one crawl holds from its start to its end, `<log_dir>/locks/<crawl>.lock`:
/// two runs of one crawl never overlap (in one process or across processes), and whether a run
/// is still going is decided by this lock alone: the file names the run holding it, and the
/// kernel drops the lock when the holder dies (even by `kill -9`), so no process id is probed.
///
/// An open-file-description lock (`F_OFD_SETLK`) rather than `flock`: it can be tested without
/// being taken (`F_OFD_GETLK`), so `herald logs` and `herald status` asking whether a run is
/// alive never make a run that starts at that instant find its crawl busy. Thread-safe.
final class RunLock: Sendable {
    let path: String
    private let fd: Mutex<Int32>

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = Mutex(fd)
    }

    deinit { release() }

    static func path(in directory: URL, crawl: String) -> URL {
        directory.appendingPathComponent("locks").appendingPathComponent("\(RunID.safeName(crawl)).lock")
    }

    /// Takes the crawl's lock without waiting; nil when a run of the crawl holds it. Throws when
    /// the lock file cannot be created.
    static func take(in directory: URL, crawl: String) throws -> RunLock? {
        let url = path(in: directory, crawl: crawl)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(),
                                                    withIntermediateDirectories: true)
        } catch {
            throw CrawlLogError.cannotCreate(path: url.deletingLastPathComponent().path,
                                             reason: RunLog.describe(error))
        }
        let fd = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw CrawlLogError.cannotCreate(path: url.path, reason: String(cString: strerror(errno))) }
        var request = Self.range(F_WRLCK)
        guard fcntl(fd, ofdSetLock, &request) == 0 else {
            let code = errno
            close(fd)
            if code == EAGAIN || code == EACCES { return nil }
            throw CrawlLogError.cannotWrite(path: url.path, reason: String(cString: strerror(code)))
        }
        return RunLock(path: url.path, fd: fd)
    }

    /// Names the run that holds the lock, for `holder`.
    func record(runID: String) throws {
        try fd.withLock { fd in
            let id = Array(runID.utf8)
            guard ftruncate(fd, 0) == 0, pwrite(fd, id, id.count, 0) == id.count else {
                throw CrawlLogError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
            }
        }
    }

    /// The id of the run holding the crawl's lock, nil when no live process holds it.
    static func holder(in directory: URL, crawl: String) -> String? {
        let url = path(in: directory, crawl: crawl)
        let fd = open(url.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var probe = Self.range(F_WRLCK)
        guard fcntl(fd, ofdGetLock, &probe) == 0, probe.l_type != Int16(F_UNLCK) else { return nil }
        var bytes = [UInt8](repeating: 0, count: 256)
        let count = pread(fd, &bytes, bytes.count, 0)
        guard count > 0 else { return nil }
        return String(decoding: bytes[..<count], as: UTF8.self)
    }

    /// Lets the next run of the crawl start. Idempotent.
    func release() {
        fd.withLock { fd in
            guard fd >= 0 else { return }
            // Closing the descriptor drops the lock; the stale id left in the file is harmless,
            // since only a held lock makes its id count.
            close(fd)
            fd = -1
        }
    }

    // Linux's values (asm-generic/fcntl.h); Glibc hides them behind _GNU_SOURCE.
    private static let ofdGetLock: Int32 = 36
    private static let ofdSetLock: Int32 = 37

    private static func range(_ type: Int32) -> flock {
        var request = flock()
        request.l_type = Int16(type)
        request.l_whence = Int16(SEEK_SET)
        return request
    }
}
