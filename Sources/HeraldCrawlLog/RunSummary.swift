import Foundation

/// One run as the index knows it: the row of `herald logs`. `end` and `outcome` are nil while
/// the run is going (or if its process died before the run-end event).
public struct RunSummary: Sendable, Equatable, Codable {
    public var id: String
    public var crawl: String
    public var start: Date
    public var end: Date?
    public var counters: RunCounters
    public var outcome: RunOutcome?
    /// The run file, relative to the log directory.
    public var file: String

    /// Seconds from start to end, nil while running.
    public var duration: TimeInterval? { end.map { $0.timeIntervalSince(start) } }
}
