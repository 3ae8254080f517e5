#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import HeraldFiles

/// The maildir-style spool on disk (`tmp/`, `new/`, `cur/` under one root) and the file steps
/// of a delivery: create and sync a file in `tmp/`, rename it into `new/`, sync directories.
///
/// Every method either completes its step or throws `SpoolError` naming the path and the
/// system's reason; a failed temporary write removes its own partial file. Methods touch
/// distinct files per call and are safe to call from several threads.
public struct SpoolDirectory: Sendable {
    public let root: URL
    public var tmp: URL { root.appendingPathComponent("tmp") }
    public var new: URL { root.appendingPathComponent("new") }
    public var cur: URL { root.appendingPathComponent("cur") }

    /// Identifies this spool in the delivery ledger: the absolute path.
    public var identity: String { root.standardizedFileURL.path }

    public init(root: URL) {
        self.root = root
    }

    /// Creates `tmp/`, `new/` and `cur/` (and the root) where missing.
    public func createDirectories() throws {
        for dir in [tmp, new, cur] {
            do {
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            } catch {
                throw SpoolError("cannot create spool directory \(dir.path): \(Self.reason(error))")
            }
        }
    }

    /// The path of the delivered file for a hash hex.
    public func deliveredFile(hex: String) -> URL {
        new.appendingPathComponent("\(hex).json")
    }

    /// Writes `data` to a new file `tmp/<name>`, fsyncs it and `tmp/`. On failure no file is left.
    func writeTemporary(_ data: Data, name: String) throws {
        let path = tmp.appendingPathComponent(name).path
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw SpoolError("cannot create \(path): \(Self.errnoReason())")
        }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        do {
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try handle.close()
        } catch {
            try? handle.close()
            unlink(path)
            throw SpoolError("cannot write \(path): \(Self.reason(error))")
        }
        do {
            try Self.syncDirectory(tmp)
        } catch {
            unlink(path)
            throw error
        }
    }

    /// Renames `tmp/<name>` to `new/<hex>.json`. Atomic: a reader sees the whole file or none.
    func rename(temporary name: String, hex: String) throws -> URL {
        let from = tmp.appendingPathComponent(name).path
        let to = deliveredFile(hex: hex)
        #if canImport(Glibc)
        let result = Glibc.rename(from, to.path)
        #else
        let result = Darwin.rename(from, to.path)
        #endif
        guard result == 0 else {
            throw SpoolError("cannot move \(from) to \(to.path): \(Self.errnoReason())")
        }
        return to
    }

    /// Makes the directory's entries (a new or renamed file) durable.
    static func syncDirectory(_ dir: URL) throws {
        do throws(FileError) { try DirectorySync.sync(dir) } catch { throw SpoolError(error.message) }
    }

    /// Whether `tmp/<name>` exists (a pending delivery's rename has not happened).
    func temporaryExists(_ name: String) -> Bool {
        var info = stat()
        return lstat(tmp.appendingPathComponent(name).path, &info) == 0
    }

    /// Removes `tmp/<name>`; a missing file is fine.
    func removeTemporary(_ name: String) {
        unlink(tmp.appendingPathComponent(name).path)
    }

    /// Names of all entries in `tmp/`.
    func temporaryNames() throws -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: tmp.path)
        } catch {
            throw SpoolError("cannot list \(tmp.path): \(Self.reason(error))")
        }
    }

    static func errnoReason() -> String {
        String(cString: strerror(errno))
    }

    static func reason(_ error: any Error) -> String {
        (error as? SpoolError)?.message ?? FileError.reason(of: error)
    }
}
