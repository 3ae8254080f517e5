import HeraldFetch
import Testing

@Suite("HostThrottle")
struct HostThrottleTests {
    @Test func admitsAtMostTheLimitPerHostAndHostsIndependently() async {
        let throttle = HostThrottle(concurrency: 2, delay: .zero)
        await throttle.acquire(host: "a.example")
        await throttle.acquire(host: "A.example")          // host names are case-insensitive
        await throttle.acquire(host: "b.example")
        #expect(await throttle.running(host: "a.example") == 2)
        #expect(await throttle.running(host: "b.example") == 1)

        let third = Task { await throttle.acquire(host: "a.example") }
        try? await Task.sleep(for: .milliseconds(100))
        #expect(await throttle.running(host: "a.example") == 2)   // still waiting
        await throttle.release(host: "a.example")
        await third.value
        #expect(await throttle.running(host: "a.example") == 2)
    }

    @Test func pauseHoldsBackTheNextStart() async {
        let throttle = HostThrottle(concurrency: 4, delay: .zero)
        await throttle.pause(host: "a.example", for: .milliseconds(300))
        let started = ContinuousClock.now
        await throttle.acquire(host: "a.example")
        #expect(ContinuousClock.now - started >= .milliseconds(290))
        let other = ContinuousClock.now
        await throttle.acquire(host: "b.example")
        #expect(ContinuousClock.now - other < .milliseconds(200))
    }
}
