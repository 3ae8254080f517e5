import Foundation

/// Fans one running crawl's progress and final report out to everyone following it (the
/// `herald crawl` clients that handed the run to the daemon). Thread-safe: the crawl engine
/// publishes from its own tasks while control connections subscribe and leave at any time.
/// A follower that joins late first gets the latest progress, and one that joins after the end
/// gets the report at once.
public final class RunBroadcast: @unchecked Sendable {
    /// What a follower receives.
    public enum Event: Sendable, Equatable {
        case progress(RunProgress)
        case finished(RunReport)
    }

    private let lock = NSLock()
    private var followers: [UUID: AsyncStream<Event>.Continuation] = [:]
    private var latest: RunProgress?
    private var report: RunReport?

    public init() {}

    /// The newest progress published, if any.
    public var latestProgress: RunProgress? { lock.withLock { latest } }

    /// The report, once the run has ended.
    public var finalReport: RunReport? { lock.withLock { report } }

    /// Sends a progress update to every follower (ignored after the end).
    public func publish(_ progress: RunProgress) {
        let targets: [AsyncStream<Event>.Continuation] = lock.withLock {
            guard report == nil else { return [] }
            latest = progress
            return Array(followers.values)
        }
        for target in targets { target.yield(.progress(progress)) }
    }

    /// Sends the report to every follower and ends their streams.
    public func finish(_ final: RunReport) {
        let targets: [AsyncStream<Event>.Continuation] = lock.withLock {
            guard report == nil else { return [] }
            report = final
            defer { followers.removeAll() }
            return Array(followers.values)
        }
        for target in targets {
            target.yield(.finished(final))
            target.finish()
        }
    }

    /// A stream of this run's events from now on, ending with `.finished`. A follower more than
    /// 64 updates behind loses the oldest progress updates, never the report.
    public func follow() -> AsyncStream<Event> {
        let (stream, continuation) = AsyncStream<Event>.makeStream(bufferingPolicy: .bufferingNewest(64))
        let id = UUID()
        continuation.onTermination = { [weak self] _ in
            guard let self else { return }
            _ = self.lock.withLock { self.followers.removeValue(forKey: id) }
        }
        let ended: Bool = lock.withLock {
            // Inside the lock, so no update published meanwhile can overtake the current one.
            if let report {
                continuation.yield(.finished(report))
                return true
            }
            if let latest { continuation.yield(.progress(latest)) }
            followers[id] = continuation
            return false
        }
        // Outside the lock: finishing runs onTermination, which takes it.
        if ended { continuation.finish() }
        return stream
    }
}
