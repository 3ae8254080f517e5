import Foundation
import HeraldFetch
import HeraldTestSupport
import Testing

// Serialized: these tests measure timing on the server side, which the others would disturb.
@Suite("Fetcher: per-host politeness and retries", .serialized)
struct PolitenessTests {
    @Test func neverExceedsThePerHostConcurrency() async throws {
        let site = try await TestSite.start()
        let fetcher = Fetcher(policy: testPolicy { $0.perHostConcurrency = 2 }, maxConcurrentTransfers: 16)
        let urls = (0..<6).flatMap { i in
            [site.url("/slow?ms=300&i=\(i)"), site.url("/slow?ms=300&i=\(i)", host: "localhost")]
        }
        await withTaskGroup(of: Void.self) { group in
            for url in urls { group.addTask { _ = await fetcher.fetch(FetchRequest(url: url)) } }
        }
        let log = await site.requestLog()
        #expect(log.count == 12)
        let byHost = Dictionary(grouping: log, by: { $0.host.split(separator: ":")[0] })
        #expect(byHost.count == 2)
        for (_, requests) in byHost {
            #expect(requests.maxConcurrency() == 2)
        }
        #expect(log.maxConcurrency() > 2)           // the two hosts do not wait for each other
    }

    @Test func spacesRequestStartsToOneHost() async throws {
        let site = try await TestSite.start()
        let fetcher = Fetcher(policy: testPolicy { $0.perHostConcurrency = 4; $0.perHostDelay = .milliseconds(500) })
        _ = await fetcher.fetchOnce(FetchRequest(url: site.url("/status/200?warm-up")))   // not throttled
        await withTaskGroup(of: Void.self) { group in
            for i in 0..<3 { group.addTask { _ = await fetcher.fetch(FetchRequest(url: site.url("/status/200?i=\(i)"))) } }
        }
        let starts = await site.requestLog().filter { $0.query != "warm-up" }.map(\.start).sorted()
        #expect(starts.count == 3)
        // The server sees the spacing give or take its own scheduling jitter on a busy machine
        // (measured up to ~0.2 s with the whole suite running on 2 cores).
        for (a, b) in zip(starts, starts.dropFirst()) {
            #expect(b - a >= 0.3)
        }
        #expect(starts[2] - starts[0] >= 0.8)
    }

    @Test func honoursAHostDelayForOneHost() async throws {
        let site = try await TestSite.start()
        let fetcher = Fetcher(policy: testPolicy { $0.perHostDelay = .zero })
        await fetcher.throttle.setDelay(.milliseconds(600), forHost: "localhost")   // e.g. Crawl-delay
        // Open both connections first so connection set-up does not blur the server's clock.
        _ = await fetcher.fetchOnce(FetchRequest(url: site.url("/status/200?warm-up", host: "localhost")))
        _ = await fetcher.fetchOnce(FetchRequest(url: site.url("/status/200?warm-up")))
        await withTaskGroup(of: Void.self) { group in
            for i in 0..<2 {
                group.addTask { _ = await fetcher.fetch(FetchRequest(url: site.url("/status/200?i=\(i)", host: "localhost"))) }
                group.addTask { _ = await fetcher.fetch(FetchRequest(url: site.url("/status/200?i=\(i)"))) }
            }
        }
        let log = await site.requestLog().filter { $0.query != "warm-up" }
        let delayed = log.filter { $0.host.hasPrefix("localhost") }.map(\.start).sorted()
        let undelayed = log.filter { $0.host.hasPrefix("127.0.0.1") }.map(\.start).sorted()
        #expect(delayed.count == 2 && undelayed.count == 2)
        #expect(delayed[1] - delayed[0] >= 0.4)             // 0.6 s minus server-side jitter
        #expect(undelayed[1] - undelayed[0] < 0.3)
    }

    @Test func retriesServerErrorsWithBackoff() async throws {
        let site = try await TestSite.start()
        let fetcher = Fetcher(policy: testPolicy {
            $0.retry = RetryPolicy(maxRetries: 2, baseDelay: .milliseconds(200), maxDelay: .seconds(1))
        })
        let response = try #require(await fetcher.fetch(FetchRequest(url: site.url("/flaky/2?key=a"))).response)
        #expect(response.status == 200)
        #expect(response.attempts == 3)
        let log = await site.requestLog()
        #expect(log.map(\.status) == [500, 500, 200])
        // Equal jitter: the n-th retry waits between half and all of base * 2^(n-1).
        #expect(log[1].start - log[0].end! >= 0.09)
        #expect(log[2].start - log[1].end! >= 0.19)

        let givesUp = try #require(await fetcher.fetch(FetchRequest(url: site.url("/flaky/5?key=b"))).response)
        #expect(givesUp.status == 500)
        #expect(givesUp.attempts == 3)
        #expect(await site.requestLog().filter { $0.query == "key=b" }.count == 3)
    }

    @Test func doesNotRetryClientErrors() async throws {
        let site = try await TestSite.start()
        let fetcher = Fetcher(policy: testPolicy { $0.retry.maxRetries = 3 })
        let response = try #require(await fetcher.fetch(FetchRequest(url: site.url("/status/404"))).response)
        #expect(response.kind == "http_4xx")
        #expect(response.attempts == 1)
        #expect(await site.requestLog().count == 1)
    }

    @Test func retriesDroppedConnectionsAndTimeouts() async throws {
        let site = try await TestSite.start()
        let fetcher = Fetcher(policy: testPolicy { $0.retry.maxRetries = 1; $0.timeout = .seconds(1) })
        let reset = try #require(await fetcher.fetch(FetchRequest(url: site.url("/reset/1?key=r"))).response)
        #expect(reset.status == 200)
        #expect(reset.attempts == 2)
        let timeout = try #require(await fetcher.fetch(FetchRequest(url: site.url("/stall-headers?seconds=5"))).failure)
        #expect(timeout.kind == "timeout")
        #expect(timeout.attempts == 2)
        #expect(await site.requestLog().filter { $0.path == "/stall-headers" }.count == 2)
    }

    @Test(arguments: [503, 429])
    func waitsForRetryAfter(status: Int) async throws {
        let site = try await TestSite.start()
        let fetcher = Fetcher(policy: testPolicy { $0.retry.maxRetries = 2 })
        let response = try #require(await fetcher.fetch(
            FetchRequest(url: site.url("/retry-after/1?status=\(status)&fails=1"))).response)
        #expect(response.status == 200)
        #expect(response.attempts == 2)
        let log = await site.requestLog()
        #expect(log.map(\.status) == [status, 200])
        #expect(log[1].start - log[0].end! >= 0.95)
    }

    @Test func retryAfterHoldsBackOtherRequestsToTheHost() async throws {
        let site = try await TestSite.start()
        let fetcher = Fetcher(policy: testPolicy { $0.retry.maxRetries = 1 })
        async let first = fetcher.fetch(FetchRequest(url: site.url("/retry-after/1?status=429&fails=1")))
        // The fetcher has read the 429 once it holds the host back.
        let paused = await eventually(within: .seconds(10)) {
            await fetcher.throttle.earliestStart(host: "127.0.0.1") > .now
        }
        try #require(paused, "the 429's Retry-After never paused the host")
        let other = try #require(await fetcher.fetch(FetchRequest(url: site.url("/status/200"))).response)
        #expect(other.status == 200)
        _ = await first
        let log = await site.requestLog()
        let refused = try #require(log.first { $0.status == 429 })
        let otherStart = try #require(log.first { $0.path == "/status/200" }).start
        #expect(otherStart - refused.end! >= 0.95)
    }

    @Test func givesUpOnAnOverlongRetryAfter() async throws {
        let site = try await TestSite.start()
        let fetcher = Fetcher(policy: testPolicy {
            $0.retry = RetryPolicy(maxRetries: 2, baseDelay: .milliseconds(50), maxRetryAfter: .seconds(60))
        })
        let response = try #require(await fetcher.fetch(
            FetchRequest(url: site.url("/retry-after/3600?status=503&fails=1"))).response)
        #expect(response.status == 503)
        #expect(response.retryAfter == 3600)
        #expect(response.attempts == 1)
    }

    @Test func runsManyTransfersAtOnceWithinTheGlobalLimit() async throws {
        let site = try await TestSite.start()
        let fetcher = Fetcher(policy: testPolicy { $0.perHostConcurrency = 100 }, maxConcurrentTransfers: 20)
        let results = await withTaskGroup(of: Int.self) { group in
            for i in 0..<80 {
                group.addTask { (try? await fetcher.fetch(FetchRequest(url: site.url("/slow?ms=200&i=\(i)"))).get().status) ?? 0 }
            }
            return await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(results.filter { $0 == 200 }.count == 80)
        let log = await site.requestLog()
        // Parallel on the wire (wall time is no proof on a loaded machine), within the limit.
        #expect(log.maxConcurrency() <= 20)
        #expect(log.maxConcurrency() >= 8)
    }

    @Test func cancellingTheTaskAbortsTheTransfer() async throws {
        let site = try await TestSite.start()
        let fetcher = Fetcher(policy: testPolicy { $0.timeout = .seconds(10) })
        let task = Task { await fetcher.fetch(FetchRequest(url: site.url("/stall-headers?seconds=8"))) }
        try await Self.waitForRequest(to: "/stall-headers", on: site)
        let started = ContinuousClock.now
        task.cancel()
        let failure = try #require(await task.value.failure)
        #expect(failure.kind == "cancelled")
        #expect(ContinuousClock.now - started < .seconds(3))     // the stall lasts 8 s
    }

    @Test func shutdownFailsRunningAndLaterFetches() async throws {
        let site = try await TestSite.start()
        let fetcher = Fetcher(policy: testPolicy { $0.timeout = .seconds(10) })
        async let running = fetcher.fetch(FetchRequest(url: site.url("/stall-headers?seconds=8")))
        try await Self.waitForRequest(to: "/stall-headers", on: site)
        fetcher.shutdown()
        #expect(await running.failure?.kind == "cancelled")
        #expect(await fetcher.fetch(FetchRequest(url: site.url("/status/200"))).failure?.kind == "cancelled")
    }

    /// Returns once a request to `path` reached the server (the transfer is under way).
    static func waitForRequest(to path: String, on site: TestSite) async throws {
        let arrived = await eventually(within: .seconds(10)) {
            await site.requestLog(settle: .zero).contains { $0.path == path }
        }
        try #require(arrived, "no request to \(path) reached the server")
    }
}
