import Foundation

/// A run from the history that herald's state file kept before the crawl log became the only
/// run history; `SQLiteStateStore.moveLegacyRuns` hands these over once. `outcome` is `ok`,
/// `failed` or `interrupted`; counters are named `pages`, `new`, `duplicates`, `errors` and
/// `kind.<kind>`.
public struct LegacyRun: Sendable, Equatable {
    public var crawl: String
    public var startedAt: Date
    public var finishedAt: Date
    public var outcome: String
    public var message: String?
    public var counters: [String: Int]
}

/// What one `SQLiteStateStore.prune` call forgot, by kind; `more` when a kind filled its batch.
public struct PruneResult: Sendable, Equatable {
    public var articles = 0
    public var nearDuplicates = 0
    public var urls = 0
    public var robots = 0
    public var more = false

    public init() {}
}
