import CoreMetrics
import Foundation
import HeraldConfig
import HeraldCrawl
import HeraldCrawlLog
import Prometheus
import Synchronization

/// herald's Prometheus metrics: what the crawls do, counted from the events the crawl log
/// records (so `herald logs` and the metrics never disagree), plus gauges read when scraped.
/// Recorded through swift-metrics; the process's `MetricsSystem` is bootstrapped once, with a
/// Prometheus registry, the first time a `CrawlMetrics` is made.
///
/// Every metric and its labels (README, "Metrics", lists them with their meaning):
/// - `herald_fetches_total{crawl,kind}`, `herald_fetch_bytes_total{crawl}`,
///   `herald_fetch_duration_seconds{crawl}` (histogram): HTTP requests by outcome kind.
/// - `herald_errors_total{crawl,kind}`: every failure a run counts as an error.
/// - `herald_articles_delivered_total`, `herald_articles_duplicate_total`,
///   `herald_articles_near_duplicate_total` (each `{crawl}`).
/// - `herald_runs_total{crawl,outcome}`, `herald_run_duration_seconds{crawl}` (histogram),
///   `herald_last_run_timestamp_seconds{crawl}`, `herald_last_success_timestamp_seconds{crawl}`
///   (from the crawl log's history at start, then from each run's end).
/// - `herald_crawl_schedule_period_seconds{crawl}`: the longest gap the schedule allows.
/// - `herald_queue_length{crawl}`: URLs waiting in a running crawl's frontier.
/// - `herald_spool_backlog_files`, `herald_state_size_bytes`, `herald_start_time_seconds`.
///
/// Thread-safe; `observe` and `progressed` are cheap (a registry lookup and an atomic add).
public final class CrawlMetrics: CrawlObserver {
    /// The process's one registry, behind the one `MetricsSystem.bootstrap`.
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // Fetches take milliseconds to the 30 s timeout; runs seconds to hours.
        factory.durationHistogramBuckets = [
            Name.fetchDuration: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30].map(CrawlMetrics.seconds),
            Name.runDuration: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200].map(CrawlMetrics.seconds),
        ]
        MetricsSystem.bootstrap(factory)
        return registry
    }()

    /// The metric names, kept in one place for the recorder, the tests' readers and the README.
    public enum Name {
        public static let fetches = "herald_fetches_total"
        public static let fetchBytes = "herald_fetch_bytes_total"
        public static let fetchDuration = "herald_fetch_duration_seconds"
        public static let errors = "herald_errors_total"
        public static let delivered = "herald_articles_delivered_total"
        public static let duplicates = "herald_articles_duplicate_total"
        public static let nearDuplicates = "herald_articles_near_duplicate_total"
        public static let runs = "herald_runs_total"
        public static let runDuration = "herald_run_duration_seconds"
        public static let lastRun = "herald_last_run_timestamp_seconds"
        public static let lastSuccess = "herald_last_success_timestamp_seconds"
        public static let schedulePeriod = "herald_crawl_schedule_period_seconds"
        public static let queueLength = "herald_queue_length"
        public static let spoolBacklog = "herald_spool_backlog_files"
        public static let stateSize = "herald_state_size_bytes"
        public static let startTime = "herald_start_time_seconds"
    }

    private struct Watched {
        var spoolNew: URL
        var stateDirectory: URL
        /// Crawls with a schedule period exported (their gauges go when the crawl does).
        var scheduled: Set<String> = []
    }

    private let watched: Mutex<Watched>

    /// Metrics for the spool and state `configuration` names (read when scraped).
    public init(configuration: HeraldConfiguration, startedAt: Date = Date()) {
        _ = Self.registry
        watched = Mutex(Watched(spoolNew: configuration.spoolDirectory.appendingPathComponent("new"),
                                stateDirectory: configuration.stateDirectory))
        CoreMetrics.Gauge(label: Name.startTime).record(startedAt.timeIntervalSince1970)
        // Present from the first scrape, so a dashboard shows 0 rather than no data.
        CoreMetrics.Gauge(label: Name.spoolBacklog).record(0)
        CoreMetrics.Gauge(label: Name.stateSize).record(0)
    }

    /// Follows a reload that moved the spool or the state.
    public func watch(_ configuration: HeraldConfiguration) {
        watched.withLock {
            $0.spoolNew = configuration.spoolDirectory.appendingPathComponent("new")
            $0.stateDirectory = configuration.stateDirectory
        }
    }

    // MARK: What the crawls report

    public func observe(_ event: CrawlEvent, crawl: String, runStart: Date, at time: Date) {
        let byCrawl = [("crawl", crawl)]
        switch event {
        case let .fetch(_, _, bytes, ms, kind):
            CoreMetrics.Counter(label: Name.fetches, dimensions: byCrawl + [("kind", kind.rawValue)]).increment()
            CoreMetrics.Counter(label: Name.fetchBytes, dimensions: byCrawl).increment(by: bytes)
            CoreMetrics.Timer(label: Name.fetchDuration, dimensions: byCrawl).recordMilliseconds(ms)
            if kind.isError { countError(crawl, kind) }
        case .article:
            CoreMetrics.Counter(label: Name.delivered, dimensions: byCrawl).increment()
        case let .heldBack(_, kind, _, _):
            if kind == .duplicate { CoreMetrics.Counter(label: Name.duplicates, dimensions: byCrawl).increment() }
            if kind == .nearDuplicate { CoreMetrics.Counter(label: Name.nearDuplicates, dimensions: byCrawl).increment() }
            if kind.isError { countError(crawl, kind) }
        case let .error(_, kind, _):
            countError(crawl, kind)
        case .runStart:
            CoreMetrics.Gauge(label: Name.queueLength, dimensions: byCrawl).record(0)
        case let .runEnd(_, outcome, _):
            CoreMetrics.Counter(label: Name.runs, dimensions: byCrawl + [("outcome", outcome.rawValue)]).increment()
            CoreMetrics.Timer(label: Name.runDuration, dimensions: byCrawl)
                .recordNanoseconds(Int64(max(0, time.timeIntervalSince(runStart)) * 1e9))
            CoreMetrics.Gauge(label: Name.lastRun, dimensions: byCrawl).record(time.timeIntervalSince1970)
            if outcome == .ok { CoreMetrics.Gauge(label: Name.lastSuccess, dimensions: byCrawl).record(time.timeIntervalSince1970) }
            CoreMetrics.Gauge(label: Name.queueLength, dimensions: byCrawl).record(0)
        }
    }

    public func progressed(_ progress: CrawlProgress) {
        CoreMetrics.Gauge(label: Name.queueLength, dimensions: [("crawl", progress.crawl)]).record(progress.queued)
    }

    private func countError(_ crawl: String, _ kind: OutcomeKind) {
        CoreMetrics.Counter(label: Name.errors, dimensions: [("crawl", crawl), ("kind", kind.rawValue)]).increment()
    }

    // MARK: What the daemon knows

    /// The last run and last successful run of every crawl in the crawl log's history, so the
    /// "stale" alert holds across restarts. Newer runs of this process update them as they end.
    public func recordHistory(from log: CrawlLog) throws {
        for run in try log.latestRuns() {
            if let end = run.end { CoreMetrics.Gauge(label: Name.lastRun, dimensions: [("crawl", run.crawl)]).record(end.timeIntervalSince1970) }
        }
        for run in try log.latestRuns(outcome: .ok) {
            if let end = run.end { CoreMetrics.Gauge(label: Name.lastSuccess, dimensions: [("crawl", run.crawl)]).record(end.timeIntervalSince1970) }
        }
    }

    /// Exports each scheduled crawl's period; crawls no longer scheduled lose their period and
    /// last-success gauges, so a removed crawl never looks stale.
    public func scheduled(_ definitions: [CrawlDefinition], now: Date = Date()) {
        let names = Set(definitions.map(\.name))
        let gone = watched.withLock { watched in
            defer { watched.scheduled = names }
            return watched.scheduled.subtracting(names)
        }
        for definition in definitions {
            CoreMetrics.Gauge(label: Name.schedulePeriod, dimensions: [("crawl", definition.name)])
                .record(Self.seconds(definition.schedule.period(after: now)))
        }
        for name in gone {
            for label in [Name.schedulePeriod, Name.lastSuccess, Name.lastRun] {
                CoreMetrics.Gauge(label: label, dimensions: [("crawl", name)]).destroy()
            }
        }
    }

    // MARK: Scraping

    /// The exposition text (Prometheus text format 0.0.4), with the gauges that are read from
    /// disk (spool backlog, state size) read now.
    public func exposition() -> [UInt8] {
        let (spoolNew, stateDirectory) = watched.withLock { ($0.spoolNew, $0.stateDirectory) }
        CoreMetrics.Gauge(label: Name.spoolBacklog).record(DiskReadings.entries(in: spoolNew))
        CoreMetrics.Gauge(label: Name.stateSize).record(DiskReadings.stateBytes(in: stateDirectory))
        var buffer: [UInt8] = []
        buffer.reserveCapacity(8192)
        Self.registry.emit(into: &buffer)
        return buffer
    }

    private static func seconds(_ value: Double) -> Duration {
        .milliseconds(Int64(value * 1000))
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
