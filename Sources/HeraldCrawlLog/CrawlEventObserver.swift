import Foundation

/// Hears every event a run log records, as it is recorded: the one place where what a crawl
/// does is counted (the run's counters, and through an observer the process's metrics), so
/// that the log and anything derived from it can never disagree.
///
/// Called on the recording task, synchronously, once per event (the run-start event included,
/// and the run-end event with the final counters); it must be cheap and must not block.
public protocol CrawlEventObserver: Sendable {
    /// `event` of the run `run` of `crawl` (started at `runStart`) happened at `time`.
    func observe(_ event: CrawlEvent, crawl: String, runStart: Date, at time: Date)
}
