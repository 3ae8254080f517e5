import Foundation
import HeraldConfig
import Testing
@testable import HeraldDaemon

/// The scheduler driven by a synthetic clock: every `now` is a date the test chooses.
@Suite("CrawlScheduler: when crawls run")
struct CrawlSchedulerTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)  // on a whole 5 minutes
    let utc = TimeZone(identifier: "UTC")!

    func crawl(_ name: String, _ schedule: String) throws -> CrawlDefinition {
        CrawlDefinition(name: name, schedule: try Schedule(parsing: schedule),
                        start: [URL(string: "http://127.0.0.1/\(name)")!])
    }

    func scheduler(random: Double = 0) -> CrawlScheduler {
        CrawlScheduler(timeZone: utc, random: { random })
    }

    @Test("a crawl never run is due at once (every) or at its next cron time")
    func firstRun() throws {
        var s = scheduler()
        s.update(definitions: [try crawl("a", "every 15m"), try crawl("b", "*/15 * * * *")],
                 history: [:], now: t0.addingTimeInterval(60))
        #expect(s.dueCrawls(now: t0.addingTimeInterval(60)).map(\.name) == ["a"])
        #expect(s.entry("b")?.due == t0.addingTimeInterval(15 * 60))
    }

    @Test("after downtime a missed schedule runs once, then the schedule resumes from that run")
    func missedRunsCollapse() throws {
        var s = scheduler()
        let now = t0.addingTimeInterval(5 * 3600)  // five hours down: twenty missed 15 min slots
        s.update(definitions: [try crawl("a", "every 15m"), try crawl("b", "*/15 * * * *")],
                 history: ["a": .init(start: t0, interrupted: false), "b": .init(start: t0, interrupted: false)],
                 now: now)
        #expect(s.dueCrawls(now: now).map(\.name) == ["a", "b"])
        for name in ["a", "b"] { s.markStarted(name, now: now, scheduled: true) }
        #expect(s.dueCrawls(now: now).isEmpty)
        let end = now.addingTimeInterval(30)
        for name in ["a", "b"] { s.markFinished(name, now: end) }
        // Not due again until the next slot: one run for all the missed ones.
        #expect(s.dueCrawls(now: end).isEmpty)
        #expect(s.entry("a")?.due == now.addingTimeInterval(15 * 60))
        #expect(s.entry("b")?.due == t0.addingTimeInterval(5 * 3600 + 15 * 60))
    }

    @Test("a crawl whose last run is recent waits for its slot; an interrupted one resumes at once")
    func history() throws {
        var s = scheduler()
        let now = t0.addingTimeInterval(5 * 60)
        s.update(definitions: [try crawl("a", "every 15m"), try crawl("b", "every 15m")],
                 history: ["a": .init(start: t0, interrupted: false), "b": .init(start: t0, interrupted: true)],
                 now: now)
        #expect(s.entry("a")?.due == t0.addingTimeInterval(15 * 60))
        #expect(s.dueCrawls(now: now).map(\.name) == ["b"])
    }

    @Test("a running crawl is never due, and a run that outlasts its interval is followed by one run, not a backlog")
    func noOverlap() throws {
        var s = scheduler()
        s.update(definitions: [try crawl("a", "every 1m")], history: [:], now: t0)
        let first = s.markStarted("a", now: t0, scheduled: true)
        let second = s.markStarted("a", now: t0, scheduled: false)
        #expect(first)
        #expect(!second, "a second start of a running crawl is refused")
        for minute in 1...10 {
            #expect(s.dueCrawls(now: t0.addingTimeInterval(Double(minute) * 60)).isEmpty)
        }
        #expect(s.nextDue() == nil)
        let end = t0.addingTimeInterval(10 * 60 + 5)
        s.markFinished("a", now: end)
        #expect(s.dueCrawls(now: end).map(\.name) == ["a"])
        s.markStarted("a", now: end, scheduled: true)
        s.markFinished("a", now: end.addingTimeInterval(1))
        #expect(s.entry("a")?.due == end.addingTimeInterval(60))
    }

    @Test("every N is counted from the slot, so jitter does not make the schedule drift")
    func noDrift() throws {
        var s = scheduler(random: 0.99)
        s.update(definitions: [try crawl("a", "every 10m")], history: [:], now: t0)
        var now = t0
        for _ in 0..<6 {
            let due = try #require(s.entry("a")?.due)
            now = due
            s.markStarted("a", now: now, scheduled: true)
            s.markFinished("a", now: now.addingTimeInterval(20))
        }
        // Six runs later the slot is exactly one hour on; only the last jitter is added.
        let slot = try #require(s.entry("a")?.slot)
        #expect(slot == t0.addingTimeInterval(6 * 600))
    }

    @Test("jitter is at most 10% of the period and never more than 30 s; a run due now waits at most 1 s")
    func jitterBounds() throws {
        var s = scheduler(random: 0.999_999)
        s.update(definitions: [try crawl("fast", "every 1s"), try crawl("hourly", "every 1h"),
                               try crawl("cron", "*/5 * * * *"), try crawl("new", "every 1h")],
                 history: ["hourly": .init(start: t0.addingTimeInterval(-600), interrupted: false)], now: t0)
        let fast = try #require(s.entry("fast"))
        #expect(fast.due.timeIntervalSince(fast.slot) <= 0.1)
        #expect(fast.due > fast.slot)
        let hourly = try #require(s.entry("hourly"))
        #expect(hourly.due.timeIntervalSince(hourly.slot) <= 30)
        #expect(hourly.due.timeIntervalSince(hourly.slot) > 29)
        let new = try #require(s.entry("new"))
        #expect(new.slot == t0 && new.due.timeIntervalSince(t0) <= 1 && new.due.timeIntervalSince(t0) > 0.99)
        let cron = try #require(s.entry("cron"))
        #expect(cron.slot == t0.addingTimeInterval(300))
        #expect(cron.due.timeIntervalSince(cron.slot) > 29 && cron.due.timeIntervalSince(cron.slot) <= 30)
    }

    @Test("a reload adds new crawls, drops removed ones, and re-places only changed schedules")
    func reload() throws {
        var s = scheduler()
        s.update(definitions: [try crawl("a", "every 15m"), try crawl("b", "every 15m")],
                 history: ["a": .init(start: t0, interrupted: false), "b": .init(start: t0, interrupted: false)],
                 now: t0.addingTimeInterval(60))
        s.markStarted("a", now: t0.addingTimeInterval(120), scheduled: false)
        let later = t0.addingTimeInterval(180)
        s.update(definitions: [try crawl("a", "every 1h"), try crawl("b", "every 5m"), try crawl("c", "every 1h")],
                 history: ["a": .init(start: t0, interrupted: false), "b": .init(start: t0, interrupted: false)],
                 now: later)
        #expect(s.entry("a")?.isRunning == true, "a run in progress survives a reload")
        #expect(s.entry("a")?.definition.schedule == .every(.seconds(3600)))
        #expect(s.entry("b")?.due == t0.addingTimeInterval(300))
        #expect(s.dueCrawls(now: later).map(\.name) == ["c"])
        s.update(definitions: [try crawl("c", "every 1h")], history: [:], now: later)
        #expect(s.entries.keys.sorted() == ["c"])
    }
}
