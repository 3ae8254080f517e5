/// Why crawling cannot start at all: the state store, spool, log directory or a lock file is
/// unusable. The message names the path and the cause; `herald crawl` exits 1 with it.
public struct CrawlSetupError: Error, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
