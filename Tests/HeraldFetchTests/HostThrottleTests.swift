import HeraldFetch
import HeraldTestSupport
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
        // The third request is really there and blocked before a slot frees up.
        #expect(await eventually(within: .seconds(10)) { await throttle.waiting(host: "a.example") == 1 })
        #expect(await throttle.running(host: "a.example") == 2)
        await throttle.release(host: "a.example")
        await third.value
        #expect(await throttle.running(host: "a.example") == 2)
    }

    @Test func pauseHoldsBackTheNextStart() async {
        let throttle = HostThrottle(concurrency: 4, delay: .zero)
        await throttle.pause(host: "a.example", for: .milliseconds(300))
        let started = ContinuousClock.now
        await throttle.acquire(host: "a.example")
        #expect(ContinuousClock.now - started >= .milliseconds(300))
        // Another host gets in while this one is still held back.
        await throttle.pause(host: "a.example", for: .seconds(60))
        await throttle.acquire(host: "b.example")
        #expect(await throttle.running(host: "b.example") == 1)
        #expect(await throttle.earliestStart(host: "a.example") > .now)
    }
}
