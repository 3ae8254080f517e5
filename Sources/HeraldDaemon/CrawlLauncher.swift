import Foundation
import HeraldConfig
import HeraldCrawlLog

/// Runs one crawl for the daemon: the seam between scheduling and the crawl engine
/// (`EngineLauncher` drives the real `CrawlRunner`). Implementations must be safe to call from
/// several tasks at once (runs of different crawls overlap) and must end a run promptly, as
/// `interrupted`, when the calling task is cancelled. A class, so the daemon can tell the
/// launcher of an old configuration (still finishing runs after a reload) from the current one.
public protocol CrawlLauncher: AnyObject, Sendable {
    /// Runs `definition` to its end, reporting progress as it goes.
    func run(_ definition: CrawlDefinition, maxPages: Int?,
             progress: @escaping @Sendable (RunProgress) -> Void) async -> RunReport

    /// Releases what the launcher holds (connections, locks) and flushes state; called once,
    /// when none of its runs is active any more (or the daemon exits).
    func shutdown()
}

/// A progress update of a running crawl, as `herald crawl` shows it while following a run the
/// daemon executes.
public struct RunProgress: Sendable, Equatable, Codable {
    /// The run's id in the crawl log (once the run has started its log).
    public var runID: String?
    public var pages: Int
    public var new: Int
    public var duplicates: Int
    public var errors: Int
    /// The one-line progress text the foreground crawl would print.
    public var line: String

    public init(runID: String?, pages: Int, new: Int, duplicates: Int, errors: Int, line: String) {
        self.runID = runID
        self.pages = pages
        self.new = new
        self.duplicates = duplicates
        self.errors = errors
        self.line = line
    }

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", pages, new, duplicates, errors, line
    }
}

/// How a run ended.
public struct RunReport: Sendable, Equatable, Codable {
    /// `ok`, `failed`, `interrupted`, or `busy` (not started: the crawl was already running,
    /// e.g. in a foreground `herald crawl`).
    public var outcome: RunOutcome
    /// The run's id in the crawl log (nil if the run could not even start its log).
    public var runID: String?
    /// What `herald crawl` exits with for this run (0 ok, 1 failed or interrupted).
    public var exitStatus: Int32
    /// The summary the foreground crawl prints (pages, new, duplicates, errors by kind,
    /// duration), possibly several lines.
    public var summary: String
    /// Why the run failed, if it did.
    public var message: String?
    public var pages: Int
    public var new: Int
    public var duplicates: Int
    public var errors: Int

    public init(outcome: RunOutcome, runID: String?, exitStatus: Int32, summary: String, message: String? = nil,
                pages: Int = 0, new: Int = 0, duplicates: Int = 0, errors: Int = 0) {
        self.outcome = outcome
        self.runID = runID
        self.exitStatus = exitStatus
        self.summary = summary
        self.message = message
        self.pages = pages
        self.new = new
        self.duplicates = duplicates
        self.errors = errors
    }

    enum CodingKeys: String, CodingKey {
        case outcome, runID = "run_id", exitStatus = "exit_status", summary, message
        case pages, new, duplicates, errors
    }
}
