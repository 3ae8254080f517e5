import Foundation
import HeraldConfig
import HeraldCrawlLog
import HeraldFetch
import HeraldFiles
import HeraldSpool
import HeraldState
import Synchronization

/// What every crawl run of one process shares, built once from the configuration: the state
/// store, the spool delivery (recovered at start-up), the crawl log and one `Fetcher` whose
/// connection cache, transfer limit and per-host politeness span all crawls. The daemon keeps
/// one for its lifetime; `herald crawl` makes one for its single run. Thread-safe.
///
/// Several processes may share a state directory and spool (the daemon and a foreground
/// `herald crawl` of another site): each holds a shared lock on `<state_dir>/locks/delivery.lock`,
/// and only a process that finds no other holder repairs what a crashed predecessor left (spool
/// `tmp/` leftovers), since those could be another live process's work in progress.
public final class CrawlEnvironment: Sendable {
    public let configuration: HeraldConfiguration
    public let store: SQLiteStateStore
    public let delivery: ArticleDelivery
    public let log: CrawlLog
    public let fetcher: Fetcher
    /// Hears the events and progress of every run (metrics), if anything listens.
    public let observer: (any CrawlObserver)?
    private let deliveryLock: FileLock
    /// The background pruning of the state, while one runs (cancelled by `shutdown`).
    private let pruning = Mutex<Task<Void, Never>?>(nil)

    /// - Parameter observer: hears every run's events and progress (the metrics).
    public init(configuration: HeraldConfiguration, observer: (any CrawlObserver)? = nil) throws(CrawlSetupError) {
        self.configuration = configuration
        self.observer = observer
        let lockFile = configuration.stateDirectory.appendingPathComponent("locks/delivery.lock")
        let alone: Bool
        do {
            if let exclusive = try FileLock.tryLock(lockFile, .exclusive) {
                deliveryLock = exclusive
                alone = true
            } else {
                // Another process is crawling; its recovery (if any) takes milliseconds.
                deliveryLock = try FileLock.lock(lockFile, .shared)
                alone = false
            }
        } catch {
            throw CrawlSetupError(error.message)
        }
        do {
            store = try SQLiteStateStore(directory: configuration.stateDirectory)
        } catch {
            throw CrawlSetupError("\(error)")
        }
        delivery = ArticleDelivery(spool: configuration.spoolDirectory, store: store)
        let log = CrawlLog(directory: configuration.logDirectory, retention: configuration.logRetention,
                           observer: observer)
        self.log = log
        do {
            // Another process may be an older herald still writing the state's own history.
            if alone { try store.moveLegacyRuns { try Self.importRuns($0, into: log) } }
            // Resolves the spool's crash leftovers only when no other writer holds the spool
            // (ArticleDelivery's own lock); otherwise just joins it.
            try delivery.recover()
        } catch {
            throw CrawlSetupError("\(error)")
        }
        if alone { deliveryLock.downgrade() }
        // Runs whose process died get their run-end event; live ones (holding their lock) are kept.
        _ = try? log.closeAbandonedRuns()
        fetcher = Fetcher(policy: Self.fetchPolicy(configuration),
                          maxConcurrentTransfers: configuration.concurrency)
    }

    /// Stops the fetcher (in-flight transfers fail as cancelled) and writes outstanding
    /// delivery confirmations. Call once, when no run is active any more.
    public func shutdown() {
        pruning.withLock { $0?.cancel() }
        fetcher.shutdown()
        try? delivery.flush()
        try? store.checkpoint()
        deliveryLock.release()
    }

    /// Starts keeping the state inside `state_retention`: a pass now, then one every
    /// `interval`, at background priority and in small batches beside the crawls (see
    /// `StatePruner`). `report` hears of each pass that forgot something and of failures.
    public func startPruning(every interval: Duration = .seconds(3600),
                             report: @escaping @Sendable (Result<StatePruner.Pass, any Error>) -> Void) {
        let pruner = StatePruner(store: store, retention: configuration.stateRetention)
        // Unstructured, since it lives as long as the environment, not as any one run.
        let task = Task.detached(priority: .background) { await pruner.run(every: interval, report: report) }
        pruning.withLock {
            $0?.cancel()
            $0 = task
        }
    }

    /// The fetch policy the configuration describes (global politeness; crawls override it
    /// per host through the fetcher's throttle).
    public static func fetchPolicy(_ c: HeraldConfiguration) -> FetchPolicy {
        FetchPolicy(
            userAgent: c.userAgent, connectTimeout: c.connectTimeout, timeout: c.timeout,
            maxBodyBytes: c.maxBodyBytes, maxRedirects: c.maxRedirects,
            allowPrivateNetworks: c.allowPrivateNetworks,
            retry: RetryPolicy(maxRetries: c.retries, maxRetryAfter: c.maxRetryAfter),
            perHostConcurrency: c.perHostConcurrency, perHostDelay: c.perHostDelay)
    }

    /// Adds the state file's run history of earlier versions to the crawl log.
    static func importRuns(_ runs: [LegacyRun], into log: CrawlLog) throws {
        for run in runs {
            var counters = RunCounters(pages: run.counters["pages"] ?? 0, new: run.counters["new"] ?? 0,
                                       duplicates: run.counters["duplicates"] ?? 0, errors: run.counters["errors"] ?? 0)
            for (name, count) in run.counters where name.hasPrefix("kind.") {
                counters.kinds[OutcomeKind(String(name.dropFirst(5)))] = count
            }
            try log.importRun(crawl: run.crawl, start: run.startedAt, end: run.finishedAt,
                              outcome: RunOutcome(rawValue: run.outcome) ?? .failed, counters: counters,
                              message: run.message)
        }
    }
}
