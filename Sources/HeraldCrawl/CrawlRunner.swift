import Foundation
import HeraldConfig
import HeraldCrawlLog
import HeraldDiscover
import HeraldExtract
import HeraldFetch
import HeraldFiles
import HeraldState

/// Runs crawls: one call of `run` is one crawl run from the definition's start pages, feeds and
/// sitemaps through discovery, fetching, extraction, dedupe and spool delivery, logged event by
/// event in the crawl log and recorded in the state's run history.
///
/// A run takes an exclusive lock on `<state_dir>/locks/<crawl>.lock` for its whole duration, so
/// two runs of one crawl never overlap, in one process or across processes. Cancelling the
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
        func early(_ outcome: CrawlRunResult.Outcome, _ message: String) -> CrawlRunResult {
            CrawlRunResult(crawl: definition.name, runID: nil, outcome: outcome, counters: RunCounters(),
                           duration: clock.now - started, message: message)
        }

        let lockFile = environment.lockDirectory.appendingPathComponent("\(RunID.safeName(definition.name)).lock")
        var runLock: FileLock?
        do {
            while true {
                runLock = try FileLock.tryLock(lockFile, .exclusive)
                if runLock != nil || !waitForLock || Task.isCancelled { break }
                try? await Task.sleep(for: .milliseconds(250))
            }
        } catch {
            return early(.failed, "\(error)")
        }
        guard let runLock else {
            if Task.isCancelled { return early(.interrupted, "interrupted while waiting for the running crawl") }
            return early(.busy, "crawl \(definition.name) is already running (lock \(lockFile.path) is held); "
                         + "two runs of one crawl never overlap")
        }
        defer { runLock.release() }

        let store = environment.store
        let startDate = Date()
        var skipBefore: Date?
        if definition.skipOlderThanLastRun {
            skipBefore = Self.skipEntriesBefore(crawl: definition.name, store: store)
        }
        let runLog: RunLog
        do {
            runLog = try environment.log.startRun(crawl: definition.name, configDigest: definition.sourceDigest,
                                                  at: startDate)
        } catch {
            return early(.failed, "cannot write the crawl log: \(error)")
        }
        let stateRun: Int64?
        do {
            stateRun = try store.startRun(crawl: definition.name, at: startDate)
        } catch {
            let message = "state unusable: \(error)"
            let summary = try? runLog.finish(outcome: .failed, message: message)
            return CrawlRunResult(crawl: definition.name, runID: runLog.id, outcome: .failed,
                                  counters: summary?.counters ?? runLog.counters,
                                  duration: clock.now - started, message: message)
        }

        let context = RunContext(
            definition: definition, fetcher: environment.fetcher, store: store,
            delivery: environment.delivery, runLog: runLog,
            extractor: ArticleExtractor(overrides: definition.extract),
            minBodyWords: environment.configuration.minBodyWords,
            skipEntriesBefore: skipBefore, scope: CrawlDefinition.LinkScope(definition))
        let session = CrawlSession(
            context: context, configuration: environment.configuration,
            maxPages: maxPages ?? definition.limits.maxPages, progress: progress)
        let end = await session.run(started: started)

        try? environment.delivery.flush()
        let finished = Date()
        var message = end.message
        let summary: RunSummary?
        do {
            summary = try runLog.finish(outcome: end.logOutcome, message: message, at: finished)
        } catch {
            summary = nil
            message = [message, "crawl log incomplete: \(error)"].compactMap { $0 }.joined(separator: "; ")
        }
        let counters = summary?.counters ?? runLog.counters
        if let stateRun {
            try? store.finishRun(stateRun, outcome: end.stateOutcome, counters: Self.counterMap(counters),
                                 message: message, at: finished)
        }
        return CrawlRunResult(crawl: definition.name, runID: runLog.id, outcome: end.outcome,
                              counters: counters, duration: clock.now - started, message: message)
    }

    /// The cut-off for `skip_older_than_last_run`: the start of the newest run that ended ok
    /// and delivered every article it extracted. A run in which the spool or the state refused
    /// articles (full disk, say) does not count: those articles are dated before it, and
    /// skipping them would break the promise that a failed article is retried next run.
    static func skipEntriesBefore(crawl: String, store: any CrawlStateStore) -> Date? {
        let failedDeliveries = ["kind." + OutcomeKind.spoolError.rawValue, "kind.state_error"]
        let runs = (try? store.runs(crawl: crawl, limit: 500)) ?? []
        return runs.first { run in
            run.outcome == .ok && failedDeliveries.allSatisfy { (run.counters[$0] ?? 0) == 0 }
        }?.startedAt
    }

    static func counterMap(_ c: RunCounters) -> [String: Int] {
        var map = ["pages": c.pages, "new": c.new, "duplicates": c.duplicates, "errors": c.errors]
        for (kind, count) in c.kinds { map["kind." + kind.rawValue] = count }
        return map
    }
}

/// How a session ended, in the three vocabularies that record it.
struct SessionEnd {
    var outcome: CrawlRunResult.Outcome
    var message: String?

    var logOutcome: RunLog.Outcome {
        switch outcome {
        case .ok: .ok
        case .interrupted: .interrupted
        case .failed, .busy: .failed
        }
    }

    var stateOutcome: RunOutcome {
        switch outcome {
        case .ok: .ok
        case .interrupted: .interrupted
        case .failed, .busy: .failed
        }
    }
}
