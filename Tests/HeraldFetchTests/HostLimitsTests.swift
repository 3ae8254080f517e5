import HeraldFetch
import Testing

/// Crawls of one host in one process: each sets its limits, everyone obeys the strictest.
@Suite("HostThrottle: limits of several crawls")
struct HostLimitsTests {
    @Test func theStrictestLimitsOfAllCrawlsHoldUntilTheirCrawlEnds() async {
        let throttle = HostThrottle(concurrency: 8, delay: .zero)
        await throttle.setLimits(HostLimits(concurrency: 4, delay: .zero), forHost: "news.example", owner: "fast")
        await throttle.setLimits(HostLimits(concurrency: 1, delay: .seconds(1)), forHost: "News.Example", owner: "slow")

        // One at a time: the second request waits until the first is released...
        await throttle.acquire(host: "news.example")
        let second = Task { await throttle.acquire(host: "news.example") }
        while await throttle.waiting(host: "news.example") == 0 { await Task.yield() }
        #expect(await throttle.running(host: "news.example") == 1)
        let released = ContinuousClock.now
        await throttle.release(host: "news.example")
        await second.value
        // ...and starts no sooner than the slower crawl's delay after the first began.
        #expect(ContinuousClock.now - released >= .milliseconds(900))
        await throttle.release(host: "news.example")

        // The slow crawl ends: the fast one's limits apply again (four at once, no delay).
        await throttle.removeLimits(owner: "slow")
        await throttle.acquire(host: "news.example")   // after the slow crawl's last spacing
        let start = ContinuousClock.now
        for _ in 0..<3 { await throttle.acquire(host: "news.example") }
        #expect(await throttle.running(host: "news.example") == 4)
        // Three more starts at the slow crawl's spacing would take 3 s.
        #expect(ContinuousClock.now - start < .seconds(2))
        let fifth = Task { await throttle.acquire(host: "news.example") }
        while await throttle.waiting(host: "news.example") == 0 { await Task.yield() }
        await throttle.release(host: "news.example")
        await fifth.value
        #expect(await throttle.running(host: "news.example") == 4)
    }

    @Test func aCrawlRaisingItsOwnLimitWakesTheWaiters() async {
        let throttle = HostThrottle(concurrency: 1, delay: .zero)
        await throttle.acquire(host: "a.example")
        let waiter = Task { await throttle.acquire(host: "a.example") }
        while await throttle.waiting(host: "a.example") == 0 { await Task.yield() }
        await throttle.setLimits(HostLimits(concurrency: 2, delay: .zero), forHost: "a.example", owner: "run")
        await waiter.value
        #expect(await throttle.running(host: "a.example") == 2)
    }
}
