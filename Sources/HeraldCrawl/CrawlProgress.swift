import HeraldFormats

/// A snapshot of a running crawl for a progress display (the terminal line of `herald crawl`,
/// the daemon's status): counts so far and how much is still queued.
public struct CrawlProgress: Sendable, Equatable {
    public var crawl: String
    public var runID: String
    /// Fetches finished (robots.txt, feeds and sitemaps included).
    public var pages: Int
    /// Articles delivered to the spool.
    public var new: Int
    public var duplicates: Int
    public var errors: Int
    /// URLs waiting in the frontier (including those waiting for their host's robots.txt).
    public var queued: Int
    /// Fetches running or waiting for their host's turn.
    public var inFlight: Int
    public var elapsed: Duration

    public init(crawl: String, runID: String, pages: Int, new: Int, duplicates: Int, errors: Int,
                queued: Int, inFlight: Int, elapsed: Duration) {
        self.crawl = crawl
        self.runID = runID
        self.pages = pages
        self.new = new
        self.duplicates = duplicates
        self.errors = errors
        self.queued = queued
        self.inFlight = inFlight
        self.elapsed = elapsed
    }

    /// One line for a terminal, e.g. `lbci: 120 pages, 45 new, 3 dup, 2 errors, 310 queued, 12s`.
    public var line: String {
        "\(crawl): \(pages) pages, \(new) new, \(duplicates) dup, \(errors) errors, \(queued) queued, "
            + DurationSyntax.elapsed(elapsed.timeInterval, tenths: true)
    }
}
