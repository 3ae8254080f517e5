/// Why the state store cannot be used; each case names the file and what to do about it.
///
/// The store never deletes or replaces a state file it cannot read: these errors stop the
/// caller (exit status 1 for a crawl) and leave the file for the operator to inspect.
public enum StateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file exists but is not a readable SQLite database (garbage, truncated, damaged).
    case corrupt(path: String, detail: String)
    /// The file was written by a newer herald (unknown migrations or a higher schema version).
    case newerVersion(path: String, found: Int, supported: Int, unknownMigrations: [String])
    /// The state directory or file cannot be created or opened (permissions, missing parent).
    case unavailable(path: String, detail: String)
    /// A query failed at run time (disk full, I/O error, lock timeout).
    case database(detail: String)

    public var description: String {
        switch self {
        case let .corrupt(path, detail):
            return "state file \(path) is corrupt or not a herald state database (\(detail)); "
                + "it was left untouched: move it away to start with empty state"
        case let .newerVersion(path, found, supported, unknown):
            let names = unknown.isEmpty ? "" : " (unknown migrations: \(unknown.joined(separator: ", ")))"
            return "state file \(path) has schema version \(found), newer than the \(supported) this "
                + "herald understands\(names); upgrade herald or point state_dir elsewhere"
        case let .unavailable(path, detail):
            return "state file \(path) cannot be opened: \(detail)"
        case let .database(detail):
            return "state database error: \(detail)"
        }
    }
}
