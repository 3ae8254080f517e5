import HeraldCrawlLog

/// Watches the crawls of one `CrawlEnvironment`: every event its runs log (through the crawl
/// log, see `CrawlEventObserver`) and every progress snapshot of a running crawl (the queue,
/// which no event carries). The process's metrics are one.
public protocol CrawlObserver: CrawlEventObserver {
    /// A running crawl's snapshot, after each fetch; called on the run's task, must be cheap.
    func progressed(_ progress: CrawlProgress)
}
