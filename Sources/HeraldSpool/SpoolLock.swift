#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// An advisory lock on `<spool>/.herald-lock` that keeps crash recovery away from live writers:
/// every `ArticleDelivery` holds it shared while it may write, and recovery (which deletes files
/// in `tmp/`) runs only under the exclusive lock, i.e. when no other writer in any process is
/// alive. The kernel drops the lock when its holder dies, `kill -9` included.
final class SpoolLock: @unchecked Sendable {
    static let fileName = ".herald-lock"
    private let fd: Int32

    /// Opens (creating) the lock file; holds no lock yet.
    init(spool: SpoolDirectory) throws {
        let path = spool.root.appendingPathComponent(Self.fileName).path
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SpoolError("cannot open \(path): \(SpoolDirectory.errnoReason())") }
    }

    /// Takes the exclusive lock if no one else holds the file; false if another writer is alive.
    func tryExclusive() -> Bool {
        flock(fd, LOCK_EX | LOCK_NB) == 0
    }

    /// Takes (or converts to) the shared lock, waiting while someone recovers.
    func shared() throws {
        while flock(fd, LOCK_SH) != 0 {
            guard errno == EINTR else { throw SpoolError("cannot lock the spool: \(SpoolDirectory.errnoReason())") }
        }
    }

    deinit {
        close(fd)
    }
}
