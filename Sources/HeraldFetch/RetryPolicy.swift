/// When and after how long a failed fetch is tried again: only for timeouts, dropped
/// connections, 5xx and 429, never for other 4xx or refusals; exponential backoff with jitter,
/// or the server's `Retry-After` when it sends one (up to `maxRetryAfter`).
public struct RetryPolicy: Sendable, Equatable {
    /// Retries after the first attempt (config `retries`); 0 disables retrying.
    public var maxRetries: Int
    /// Backoff before the first retry; doubled for each further retry, capped at `maxDelay`.
    public var baseDelay: Duration
    public var maxDelay: Duration
    /// A longer `Retry-After` is not waited for: the 429/503 response is returned as is.
    public var maxRetryAfter: Duration

    public init(maxRetries: Int = 2, baseDelay: Duration = .seconds(1),
                maxDelay: Duration = .seconds(30), maxRetryAfter: Duration = .seconds(120)) {
        self.maxRetries = maxRetries
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
    }

    /// Whether an answer with this status may succeed when asked again.
    public func isRetryable(status: Int) -> Bool {
        status == 429 || (500...599).contains(status)
    }

    /// Whether a failure of this kind (see `FetchFailure`) may succeed when tried again.
    public func isRetryable(kind: String) -> Bool {
        kind == "timeout" || kind == "connection_reset" || kind == "truncated"
    }

    /// The wait before retry number `retry` (1 for the first retry): `baseDelay * 2^(retry-1)`
    /// capped at `maxDelay`, scaled by a random factor in [0.5, 1] ("equal jitter") so that
    /// many clients do not retry in lockstep. `jitter` in [0, 1] picks the factor.
    public func backoff(retry: Int, jitter: Double = Double.random(in: 0...1)) -> Duration {
        let exponent = min(max(retry - 1, 0), 30)
        let full = min(baseDelay.seconds * Double(1 << exponent), maxDelay.seconds)
        let factor = 0.5 + 0.5 * min(max(jitter, 0), 1)
        return .milliseconds(Int((full * factor * 1000).rounded()))
    }

    /// The wait before retrying an answer that carried `Retry-After: seconds`, or nil when the
    /// server asks for longer than `maxRetryAfter` (then we give up instead of blocking).
    public func wait(retryAfter seconds: Double) -> Duration? {
        guard seconds <= maxRetryAfter.seconds else { return nil }
        return .milliseconds(Int((max(seconds, 0) * 1000).rounded()))
    }
}
