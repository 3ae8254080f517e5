import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Makes a directory's entries durable: after a file is created or renamed into a directory,
/// only an fsync of the directory itself guarantees the name survives a crash or power loss.
public enum DirectorySync {
    /// fsyncs `directory`; throws when it cannot be opened or the sync fails (the disk's
    /// error, e.g. EIO, means earlier writes may be lost).
    public static func sync(_ directory: URL) throws(FileError) {
        let fd = open(directory.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw FileError("cannot open \(directory.path): \(FileError.reason())") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw FileError("cannot sync \(directory.path): \(FileError.reason())") }
    }
}
