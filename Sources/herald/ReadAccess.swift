import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Whether this user may read what a command needs (a log, spool or state directory), so that
/// a refusal is reported as one (path, owning group, what to do) instead of being mistaken for
/// "nothing there yet": `fileExists` answers false for a path behind a directory the user may
/// not enter.
enum ReadAccess {
    /// Nil when `url` may be read (or, with `write`, written: a crawl writes its directories,
    /// and connecting to a Unix socket needs write permission on it), or does not exist, which callers report their own way;
    /// otherwise the message for the user.
    static func refusal(_ url: URL, what: String, write: Bool = false) -> String? {
        let path = url.standardizedFileURL.path
        var info = stat()
        if stat(path, &info) != 0 {
            guard errno == EACCES else { return nil }
            // Which ancestor shuts the way: the deepest one that exists and may not be entered.
            var blocker = url.standardizedFileURL.deletingLastPathComponent()
            while blocker.path != "/", stat(blocker.path, &info) != 0 {
                blocker = blocker.deletingLastPathComponent()
            }
            return message(path, what: what, write: write, blocker: blocker.path, group: info.st_gid)
        }
        let isDirectory = (info.st_mode & S_IFMT) == S_IFDIR
        let mode = (write ? W_OK : R_OK) | (isDirectory ? X_OK : 0)
        guard access(path, mode) != 0, errno == EACCES else { return nil }
        return message(path, what: what, write: write, blocker: path, group: info.st_gid)
    }

    private static func message(_ path: String, what: String, write: Bool, blocker: String, group gid: gid_t) -> String {
        let group = getgrgid(gid).map { String(cString: $0.pointee.gr_name) } ?? "\(gid)"
        let place = blocker == path ? "" : " (\(blocker) may not be entered)"
        return "cannot \(write ? "use" : "read") \(what) \(path): permission denied\(place); it belongs to group \"\(group)\": "
            + "join it (sudo usermod -aG \(group) $USER, then log in again) or run as root"
    }
}
