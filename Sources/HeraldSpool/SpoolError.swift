/// An article could not be written to the spool (full disk, unwritable or missing directory):
/// crawl-log kind `spool_error`. The article was not marked delivered, so the next run retries
/// it, and no partial file is left in `new/`.
public struct SpoolError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The crawl-log outcome kind for this failure.
    public static let kind = "spool_error"

    /// What failed, naming the path and the system's reason.
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var kind: String { Self.kind }
    public var description: String { "spool_error: \(message)" }
}
