import Foundation
import HeraldCrawlLog
import HeraldFormats

/// How one crawl run ended, for the command's summary and exit status and for the daemon.
public struct CrawlRunResult: Sendable {
    public var crawl: String
    /// The run's id in the crawl log (`herald logs --run ID`); nil when no run was started.
    public var runID: String?
    public var outcome: RunOutcome
    public var counters: RunCounters
    public var duration: Duration
    /// Why the run failed, was interrupted or stopped early; nil for a complete run.
    public var message: String?

    public init(crawl: String, runID: String?, outcome: RunOutcome, counters: RunCounters,
                duration: Duration, message: String?) {
        self.crawl = crawl
        self.runID = runID
        self.outcome = outcome
        self.counters = counters
        self.duration = duration
        self.message = message
    }

    /// SPEC exit status: 0 for a run that did its work, 1 for one that failed, was
    /// interrupted or could not start.
    public var exitStatus: Int32 { outcome.exitStatus }

    /// The end-of-run summary: outcome, pages fetched, articles new, duplicates, errors by
    /// kind and duration, plus the reason when there is one.
    public var summary: String {
        var lines: [String] = []
        let id = runID.map { " (run \($0))" } ?? ""
        lines.append("\(crawl)\(id): \(outcome.rawValue) in \(DurationSyntax.elapsed(duration.timeInterval, tenths: true))")
        if outcome != .busy {
            var errors = "errors \(counters.errors)"
            let kinds = counters.errorKinds
            if !kinds.isEmpty {
                errors += " (" + kinds.map { "\($0.kind) \($0.count)" }.joined(separator: ", ") + ")"
            }
            lines.append("pages fetched \(counters.pages), articles new \(counters.new), "
                         + "duplicates \(counters.duplicates), \(errors)")
        }
        if let message { lines.append(message) }
        return lines.joined(separator: "\n")
    }

}
