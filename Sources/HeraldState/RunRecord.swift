import Foundation

/// How a crawl run ended. `running` is the state between `startRun` and `finishRun`; a run
/// still `running` when a new process starts was cut short and is closed as `interrupted`.
public enum RunOutcome: String, Sendable, Equatable, CaseIterable {
    case running, ok, failed, interrupted
}

/// One crawl run in the history: when it ran, how it ended and its counters (pages, new
/// articles, duplicates and errors by kind; names are free-form, e.g. `pages`, `new`,
/// `duplicate`, `http_4xx`).
public struct RunRecord: Sendable, Equatable {
    public var id: Int64
    public var crawl: String
    public var startedAt: Date
    public var finishedAt: Date?
    public var outcome: RunOutcome
    /// Why a run failed or was interrupted (nil for successful runs).
    public var message: String?
    public var counters: [String: Int]

    public init(id: Int64, crawl: String, startedAt: Date, finishedAt: Date? = nil,
                outcome: RunOutcome, message: String? = nil, counters: [String: Int] = [:]) {
        self.id = id
        self.crawl = crawl
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.outcome = outcome
        self.message = message
        self.counters = counters
    }
}
