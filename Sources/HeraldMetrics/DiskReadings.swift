import Foundation
import HeraldState
#if canImport(Glibc)
import Glibc
#endif

/// The gauges read from disk at each scrape, kept cheap: a `readdir` of the spool's `new/`
/// (no `stat` per file) and a `stat` of each file of the state's SQLite database.
enum DiskReadings {
    /// Files waiting in a spool directory for their consumer (dot files excluded); 0 when the
    /// directory cannot be read (it may not exist before the first delivery).
    static func entries(in directory: URL) -> Int {
        guard let dir = opendir(directory.path) else { return 0 }
        defer { closedir(dir) }
        var count = 0
        while let entry = readdir(dir) {
            let first = withUnsafeBytes(of: entry.pointee.d_name) { $0.first ?? 0 }
            if first != UInt8(ascii: ".") { count += 1 }
        }
        return count
    }

    /// Bytes the state database takes: the SQLite file with its write-ahead log and shared-memory
    /// index (`herald.sqlite`, `-wal`, `-shm`), which together are what the disk holds.
    static func stateBytes(in directory: URL, fileName: String = SQLiteStateStore.fileName) -> Int {
        [fileName, fileName + "-wal", fileName + "-shm"].reduce(0) { total, name in
            var info = stat()
            guard stat(directory.appendingPathComponent(name).path, &info) == 0 else { return total }
            return total + Int(info.st_size)
        }
    }
}
