import Foundation
import Synchronization

/// Fans one running crawl's progress and final report out to everyone following it (the
/// `herald crawl` clients that handed the run to the daemon). Thread-safe: the crawl engine
/// publishes from its own tasks while control connections subscribe and leave at any time.
/// A follower that joins late first gets the latest progress, and one that joins after the end
/// gets the report at once.
public final class RunBroadcast: Sendable {
    /// What a follower receives.
    public enum Event: Sendable, Equatable {
        case progress(RunProgress)
        case finished(RunReport)
    }

    private struct State {
        var followers: [UUID: AsyncStream<Event>.Continuation] = [:]
        var latest: RunProgress?
        var report: RunReport?
    }

    private let state = Mutex(State())

    public init() {}

    /// The newest progress published, if any.
    public var latestProgress: RunProgress? { state.withLock { $0.latest } }

    /// Sends a progress update to every follower (ignored after the end).
    public func publish(_ progress: RunProgress) {
        let targets = state.withLock { state -> [AsyncStream<Event>.Continuation] in
            guard state.report == nil else { return [] }
            state.latest = progress
            return Array(state.followers.values)
        }
        for target in targets { target.yield(.progress(progress)) }
    }

    /// Sends the report to every follower and ends their streams.
    public func finish(_ final: RunReport) {
        let targets = state.withLock { state -> [AsyncStream<Event>.Continuation] in
            guard state.report == nil else { return [] }
            state.report = final
            defer { state.followers.removeAll() }
            return Array(state.followers.values)
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
            _ = self?.state.withLock { $0.followers.removeValue(forKey: id) }
        }
        let ended = state.withLock { state -> Bool in
            // Inside the lock, so no update published meanwhile can overtake the current one.
            if let report = state.report {
                continuation.yield(.finished(report))
                return true
            }
            if let latest = state.latest { continuation.yield(.progress(latest)) }
            state.followers[id] = continuation
            return false
        }
        // Outside the lock: finishing runs onTermination, which takes it.
        if ended { continuation.finish() }
        return stream
    }
}
