import Foundation
import HeraldFetch
import HeraldTestSupport
import Testing

/// A policy for tests: loopback allowed, short timeouts, no politeness waits unless asked.
func testPolicy(_ change: (inout FetchPolicy) -> Void = { _ in }) -> FetchPolicy {
    var policy = FetchPolicy(
        userAgent: "herald-test/1.0 (+tests)", connectTimeout: .seconds(2), timeout: .seconds(2),
        lowSpeedLimit: 1, lowSpeedTime: .seconds(2), maxBodyBytes: 1_000_000, maxRedirects: 5,
        allowPrivateNetworks: true,
        retry: RetryPolicy(maxRetries: 0, baseDelay: .milliseconds(50), maxDelay: .milliseconds(400)),
        perHostConcurrency: 8, perHostDelay: .zero)
    change(&policy)
    return policy
}

extension Result {
    var response: Success? { if case .success(let s) = self { s } else { nil } }
    var failure: Failure? { if case .failure(let f) = self { f } else { nil } }
}
