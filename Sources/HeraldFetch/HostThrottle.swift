/// Per-host politeness shared by all fetches of one `Fetcher`: at most `concurrency` requests
/// to a host at a time, request starts to one host at least `delay` apart (start to start), and
/// a host can be paused (after `Retry-After`) or given its own delay (robots.txt Crawl-delay).
///
/// Several crawls in one process may each set their limits for a host (`setLimits(_:forHost:
/// owner:)`): every request to the host, from any crawl, then obeys the strictest of the limits
/// in force (fewest at once, longest delay), so crawls of one host together never exceed what
/// any of them promised; a crawl's limits go when it removes them. An actor, so any task may
/// use it; waiting requests get the host in arrival order.
public actor HostThrottle {
    public let concurrency: Int
    public let delay: Duration

    private struct HostState {
        var active = 0
        var nextStart: ContinuousClock.Instant
        var delay: Duration?
        var concurrency: Int?
        /// Limits set by each owner (a crawl run) still going.
        var owned: [String: HostLimits] = [:]
        var waiters: [CheckedContinuation<Void, Never>] = []

        func effectiveConcurrency(_ fallback: Int) -> Int {
            owned.values.map(\.concurrency).min() ?? concurrency ?? fallback
        }

        func effectiveDelay(_ fallback: Duration) -> Duration {
            owned.values.map(\.delay).max() ?? delay ?? fallback
        }
    }
    private var hosts: [String: HostState] = [:]

    public init(concurrency: Int, delay: Duration) {
        self.concurrency = max(1, concurrency)
        self.delay = max(delay, .zero)
    }

    /// Sets a host-specific spacing (e.g. robots.txt `Crawl-delay`), replacing `delay` for it.
    public func setDelay(_ delay: Duration, forHost host: String) {
        let key = host.lowercased()
        hosts[key, default: HostState(nextStart: .now)].delay = max(delay, .zero)
    }

    /// Sets a host-specific limit on requests at once (a crawl's politeness override),
    /// replacing `concurrency` for it.
    public func setConcurrency(_ concurrency: Int, forHost host: String) {
        let key = host.lowercased()
        hosts[key, default: HostState(nextStart: .now)].concurrency = max(1, concurrency)
        wakeWaiters(key)
    }

    /// Sets `owner`'s limits for `host` (replacing its earlier ones); requests from everyone
    /// obey the strictest limits of all owners.
    public func setLimits(_ limits: HostLimits, forHost host: String, owner: String) {
        let key = host.lowercased()
        hosts[key, default: HostState(nextStart: .now)].owned[owner] = limits
        wakeWaiters(key)
    }

    /// Drops every limit `owner` set (its crawl ended); the others' stay in force.
    public func removeLimits(owner: String) {
        for key in hosts.keys where hosts[key]?.owned[owner] != nil {
            hosts[key]?.owned[owner] = nil
            wakeWaiters(key)
        }
    }

    /// Holds back every request to `host` until `duration` from now (e.g. `Retry-After`).
    public func pause(host: String, for duration: Duration) {
        let key = host.lowercased()
        let until = ContinuousClock.now + duration
        var state = hosts[key, default: HostState(nextStart: .now)]
        if until > state.nextStart { state.nextStart = until }
        hosts[key] = state
    }

    /// Waits until a request to `host` may start, then counts it as running. Every `acquire`
    /// must be paired with one `release`. A cancelled task gets its slot without waiting for
    /// the delay, so that it can fail fast.
    public func acquire(host: String) async {
        let key = host.lowercased()
        while true {
            var state = hosts[key] ?? HostState(nextStart: .now)
            if state.active >= state.effectiveConcurrency(concurrency) {
                await withCheckedContinuation { continuation in
                    hosts[key, default: HostState(nextStart: .now)].waiters.append(continuation)
                }
                continue
            }
            let now = ContinuousClock.now
            if now < state.nextStart && !Task.isCancelled {
                try? await Task.sleep(until: state.nextStart, clock: .continuous)
                continue                       // others may have started meanwhile
            }
            state.active += 1
            state.nextStart = max(state.nextStart, now + state.effectiveDelay(delay))
            hosts[key] = state
            return
        }
    }

    /// Marks a request to `host` finished and lets the next waiting one try.
    public func release(host: String) {
        let key = host.lowercased()
        guard var state = hosts[key] else { return }
        state.active = max(0, state.active - 1)
        if !state.waiters.isEmpty {
            state.waiters.removeFirst().resume()
        }
        if state.active == 0, state.waiters.isEmpty, state.delay == nil, state.concurrency == nil,
           state.owned.isEmpty, state.nextStart <= .now {
            hosts[key] = nil                   // forget idle hosts so the table stays small
        } else {
            hosts[key] = state
        }
    }

    /// After a limit was raised, lets as many waiters try as may now run (they re-check).
    private func wakeWaiters(_ key: String) {
        guard var state = hosts[key] else { return }
        let free = state.effectiveConcurrency(concurrency) - state.active
        guard free > 0, !state.waiters.isEmpty else { return }
        let woken = state.waiters.prefix(free)
        state.waiters.removeFirst(woken.count)
        hosts[key] = state
        for waiter in woken { waiter.resume() }
    }

    /// Requests to `host` running right now.
    public func running(host: String) -> Int { hosts[host.lowercased()]?.active ?? 0 }

    /// Requests to `host` waiting for a free slot right now.
    public func waiting(host: String) -> Int { hosts[host.lowercased()]?.waiters.count ?? 0 }

    /// The earliest moment a request to `host` may start (a pause or the delay); in the past
    /// when nothing holds the host back.
    public func earliestStart(host: String) -> ContinuousClock.Instant {
        hosts[host.lowercased()]?.nextStart ?? .now
    }
}

/// One crawl's politeness for one host: requests at once, and the spacing of their starts.
public struct HostLimits: Sendable, Equatable {
    public var concurrency: Int
    public var delay: Duration

    public init(concurrency: Int, delay: Duration) {
        self.concurrency = max(1, concurrency)
        self.delay = max(delay, .zero)
    }
}
