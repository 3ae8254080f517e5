import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// An advisory lock on a file, held until `release()` or deinit. Locks conflict between
/// processes and between separate opens in one process, and the kernel drops them when the
/// holder dies (even by `kill -9`), so a stale lock never blocks the next run. Thread-safe.
public final class FileLock: Sendable {
    public let path: String
    public let kind: Kind
    private let fd: Mutex<Int32>

    private init(path: String, kind: Kind, fd: Int32) {
        self.path = path
        self.kind = kind
        self.fd = Mutex(fd)
    }

    deinit { release() }

    /// Shared locks coexist with each other; an exclusive lock excludes every other lock.
    public enum Mode: Sendable { case shared, exclusive }

    /// Which of the kernel's lock families. The two never conflict with each other, so every
    /// user of one lock file must use the same kind (older herald versions included: the
    /// spool and delivery locks stay `flock`).
    public enum Kind: Sendable {
        /// `flock(2)`.
        case flock
        /// Open-file-description record locks (`F_OFD_SETLK`): unlike `flock`, they can be
        /// tested without being taken (`holder`), so a probe never makes a taker fail.
        case openFileDescription
    }

    /// Opens (creating it and its directory) the lock file and tries to take the lock without
    /// waiting: nil when another holder has a conflicting lock. Throws when the file cannot be
    /// opened or the lock fails for another reason than a conflict.
    public static func tryLock(_ url: URL, _ mode: Mode, kind: Kind = .flock) throws(FileError) -> FileLock? {
        let fd = try open(url)
        if apply(mode, kind: kind, to: fd, wait: false) != 0 {
            let code = errno
            close(fd)
            if code == EWOULDBLOCK || code == EAGAIN || code == EACCES { return nil }
            throw FileError("cannot lock \(url.path): \(String(cString: strerror(code)))")
        }
        return FileLock(path: url.path, kind: kind, fd: fd)
    }

    /// Takes the lock, waiting as long as it takes (blocking the calling thread: keep it off
    /// the cooperative pool unless the wait is known to be short).
    public static func lock(_ url: URL, _ mode: Mode, kind: Kind = .flock) throws(FileError) -> FileLock {
        let fd = try open(url)
        while apply(mode, kind: kind, to: fd, wait: true) != 0 {
            if errno == EINTR { continue }
            let reason = FileError.reason()
            close(fd)
            throw FileError("cannot lock \(url.path): \(reason)")
        }
        return FileLock(path: url.path, kind: kind, fd: fd)
    }

    /// Turns an exclusive lock into a shared one (others may then take shared locks too).
    public func downgrade() {
        fd.withLock { fd in
            guard fd >= 0 else { return }
            while Self.apply(.shared, kind: kind, to: fd, wait: true) != 0, errno == EINTR {}
        }
    }

    /// Replaces the lock file's contents with `text` (who holds it, for `holder`).
    public func write(_ text: String) throws(FileError) {
        try fd.withLock { (fd: inout Int32) throws(FileError) in
            let bytes = Array(text.utf8)
            guard ftruncate(fd, 0) == 0, pwrite(fd, bytes, bytes.count, 0) == bytes.count else {
                throw FileError("cannot write \(path): \(FileError.reason())")
            }
        }
    }

    /// The contents of an `openFileDescription` lock file while someone (this process
    /// included) holds it; nil when nobody does or the file does not exist. Never takes the lock.
    public static func holder(of url: URL) -> String? {
        let fd = Glibc.open(url.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var probe = range(F_WRLCK)
        guard fcntl(fd, ofdGetLock, &probe) == 0, probe.l_type != Int16(F_UNLCK) else { return nil }
        var bytes = [UInt8](repeating: 0, count: 256)
        let count = pread(fd, &bytes, bytes.count, 0)
        guard count > 0 else { return nil }
        return String(decoding: bytes[..<count], as: UTF8.self)
    }

    /// Gives the lock up now rather than at deinit. Idempotent.
    public func release() {
        fd.withLock { fd in
            guard fd >= 0 else { return }
            // Closing the descriptor drops either kind of lock (the explicit unlock also covers a
            // forked child still sharing the descriptor); contents left in the file are
            // harmless, since only a held lock makes them count.
            if kind == .flock { _ = flock(fd, LOCK_UN) }
            close(fd)
            fd = -1
        }
    }

    private static func apply(_ mode: Mode, kind: Kind, to fd: Int32, wait: Bool) -> Int32 {
        switch kind {
        case .flock:
            return flock(fd, (mode == .exclusive ? LOCK_EX : LOCK_SH) | (wait ? 0 : LOCK_NB))
        case .openFileDescription:
            var request = range(mode == .exclusive ? F_WRLCK : F_RDLCK)
            return fcntl(fd, wait ? ofdSetLockWait : ofdSetLock, &request)
        }
    }

    // Linux's values (asm-generic/fcntl.h); Glibc hides them behind _GNU_SOURCE.
    private static let ofdGetLock: Int32 = 36
    private static let ofdSetLock: Int32 = 37
    private static let ofdSetLockWait: Int32 = 38

    /// The whole file, as a record lock of `type`.
    private static func range(_ type: Int32) -> flock {
        var request = flock()
        request.l_type = Int16(type)
        request.l_whence = Int16(SEEK_SET)
        return request
    }

    private static func open(_ url: URL) throws(FileError) -> Int32 {
        let directory = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw FileError("cannot create \(directory.path): \(FileError.reason(of: error))")
        }
        let fd = Glibc.open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileError("cannot open lock file \(url.path): \(FileError.reason())") }
        return fd
    }
}
