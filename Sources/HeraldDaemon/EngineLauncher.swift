import Foundation
import HeraldConfig
import HeraldCrawl

/// The daemon's `CrawlLauncher` over the real crawl engine: one `CrawlEnvironment` (state
/// store, spool recovery, crawl log, shared fetcher) built from a configuration and shared by all
/// runs, so global transfer limits and per-host politeness span every crawl. Thread-safe.
public final class EngineLauncher: CrawlLauncher {
    public let environment: CrawlEnvironment
    private let runner: CrawlRunner

    /// Builds the environment (recovering the spool and state if no other herald process is
    /// using them) and starts pruning the state in the background, telling `pruned` of each
    /// pass; throws when the state, spool or log directory is unusable. `observer` hears every
    /// run's events and progress (the daemon's metrics).
    public init(configuration: HeraldConfiguration, observer: (any CrawlObserver)? = nil,
                pruned: @escaping @Sendable (Result<StatePruner.Pass, any Error>) -> Void = { _ in }) throws(CrawlSetupError) {
        environment = try CrawlEnvironment(configuration: configuration, observer: observer)
        runner = CrawlRunner(environment: environment)
        environment.startPruning(report: pruned)
    }

    public func run(_ definition: CrawlDefinition, maxPages: Int?,
                    progress: @escaping @Sendable (RunProgress) -> Void) async -> RunReport {
        // No waiting for the per-crawl lock: a run of this crawl elsewhere (a foreground
        // `herald crawl`) makes this one `busy`, and the schedule moves on to the next slot.
        let result = await runner.run(definition, maxPages: maxPages, waitForLock: false) { update in
            progress(RunProgress(runID: update.runID, pages: update.pages, new: update.new,
                                 duplicates: update.duplicates, errors: update.errors, line: update.line))
        }
        return RunReport(outcome: result.outcome, runID: result.runID, exitStatus: result.exitStatus,
                         summary: result.summary, message: result.message,
                         pages: result.counters.pages, new: result.counters.new,
                         duplicates: result.counters.duplicates, errors: result.counters.errors)
    }

    public func shutdown() {
        environment.shutdown()
    }
}
