import HeraldFetch
import Testing

@Suite("RetryPolicy")
struct RetryPolicyTests {
    @Test func backoffDoublesWithinJitterBoundsAndIsCapped() {
        let policy = RetryPolicy(maxRetries: 5, baseDelay: .seconds(1), maxDelay: .seconds(10))
        #expect(policy.backoff(retry: 1, jitter: 0) == .milliseconds(500))
        #expect(policy.backoff(retry: 1, jitter: 1) == .seconds(1))
        #expect(policy.backoff(retry: 3, jitter: 1) == .seconds(4))
        #expect(policy.backoff(retry: 3, jitter: 0) == .seconds(2))
        #expect(policy.backoff(retry: 9, jitter: 1) == .seconds(10))
        let random = (0..<50).map { _ in policy.backoff(retry: 2) }
        #expect(random.allSatisfy { $0 >= .seconds(1) && $0 <= .seconds(2) })
        #expect(Set(random).count > 1)
    }

    @Test func retriesOnlyTransientOutcomes() {
        let policy = RetryPolicy()
        #expect(policy.isRetryable(status: 500) && policy.isRetryable(status: 503) && policy.isRetryable(status: 429))
        #expect(!policy.isRetryable(status: 404) && !policy.isRetryable(status: 403) && !policy.isRetryable(status: 200))
        #expect(policy.isRetryable(kind: "timeout") && policy.isRetryable(kind: "connection_reset"))
        #expect(!policy.isRetryable(kind: "redirect_refused") && !policy.isRetryable(kind: "too_large"))
    }

    @Test func retryAfterIsCapped() {
        let policy = RetryPolicy(maxRetryAfter: .seconds(60))
        #expect(policy.wait(retryAfter: 2) == .seconds(2))
        #expect(policy.wait(retryAfter: 61) == nil)
    }
}
