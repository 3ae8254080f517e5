import Foundation
import HeraldConfig
import HeraldCrawlLog
import HeraldDiscover
import HeraldExtract
import HeraldFetch

/// Runs crawls: one call of `run` is one crawl run from the definition's start pages, feeds and
/// sitemaps through discovery, fetching, extraction, dedupe and spool delivery, logged event by
/// event in the crawl log, the one run history.
///
/// A run holds its crawl's lock in the crawl log (`<log_dir>/locks/<crawl>.lock`) for its whole
/// duration, so two runs of one crawl never overlap, in one process or across processes. Cancelling the
/// calling task stops the run: no new URLs are taken, transfers in flight are dropped (a page
/// not delivered is simply fetched again next run), logs and state are flushed, and the run
/// ends `interrupted`. Any number of runs of different crawls may go on at once.
public struct CrawlRunner: Sendable {
    public let environment: CrawlEnvironment

    public init(environment: CrawlEnvironment) {
        self.environment = environment
    }

    /// Runs `definition` once. `maxPages` (the `--max-pages` flag) replaces `limits.max_pages`.
    /// With `waitForLock` a run of the same crawl in progress is waited for; otherwise the
    /// result is `busy` at once. `progress` is called from the run's task after every fetch.
    public func run(_ definition: CrawlDefinition, maxPages: Int? = nil, waitForLock: Bool = false,
                    progress: (@Sendable (CrawlProgress) -> Void)? = nil) async -> CrawlRunResult {
        let clock = ContinuousClock()
        let started = clock.now
        func early(_ outcome: RunOutcome, _ message: String) -> CrawlRunResult {
            CrawlRunResult(crawl: definition.name, runID: nil, outcome: outcome, counters: RunCounters(),
                           duration: clock.now - started, message: message)
        }

        let startDate = Date()
        let runLog: RunLog
        while true {
            do {
                runLog = try environment.log.startRun(crawl: definition.name, configDigest: definition.sourceDigest,
                                                      at: startDate)
                break
            } catch let CrawlLogError.busy(crawl, lock) {
                if Task.isCancelled { return early(.interrupted, "interrupted while waiting for the running crawl") }
                guard waitForLock else { return early(.busy, "\(CrawlLogError.busy(crawl: crawl, lock: lock))") }
                try? await Task.sleep(for: .milliseconds(250))
            } catch {
                return early(.failed, "cannot write the crawl log: \(error)")
            }
        }

        let skipBefore = definition.skipOlderThanLastRun
            ? Self.skipEntriesBefore(crawl: definition.name, log: environment.log) : nil
        let context = RunContext(
            definition: definition, fetcher: environment.fetcher, store: environment.store,
            delivery: environment.delivery, runLog: runLog,
            extractor: ArticleExtractor(overrides: definition.extract),
            minBodyWords: environment.configuration.minBodyWords,
            skipEntriesBefore: skipBefore, scope: CrawlDefinition.LinkScope(definition))
        var reporting = progress
        if let observer = environment.observer {
            reporting = { snapshot in
                observer.progressed(snapshot)
                progress?(snapshot)
            }
        }
        let session = CrawlSession(
            context: context, configuration: environment.configuration,
            maxPages: maxPages ?? definition.limits.maxPages, progress: reporting)
        var (outcome, message) = await session.run(started: started)

        try? environment.delivery.flush()
        let summary: RunSummary?
        do {
            summary = try runLog.finish(outcome: outcome, message: message)
        } catch {
            summary = nil
            message = [message, "crawl log incomplete: \(error)"].compactMap { $0 }.joined(separator: "; ")
        }
        return CrawlRunResult(crawl: definition.name, runID: runLog.id, outcome: outcome,
                              counters: summary?.counters ?? runLog.counters, duration: clock.now - started,
                              message: message)
    }

    /// The cut-off for `skip_older_than_last_run`: the start of the newest run that ended ok
    /// and delivered every article it extracted. A run in which the spool or the state refused
    /// articles (full disk, say) does not count: those articles are dated before it, and
    /// skipping them would break the promise that a failed article is retried next run.
    static func skipEntriesBefore(crawl: String, log: CrawlLog) -> Date? {
        let runs = (try? log.runs(crawl: crawl, limit: 500)) ?? []
        return runs.last { run in
            run.outcome == .ok && [OutcomeKind.spoolError, .stateError].allSatisfy { run.counters.kinds[$0, default: 0] == 0 }
        }?.start
    }
}
