import Foundation
import HeraldTestSupport
import Testing
import HeraldState

@Suite("Run history and counters")
struct RunHistoryTests {
    @Test func runsAreRecordedWithCountersAndOutcome() throws {
        let dir = TestPaths.temporaryDirectory("state")
        let store = try SQLiteStateStore(directory: dir)
        let t0 = Date(timeIntervalSince1970: 1_790_000_000)
        let first = try store.startRun(crawl: "lbci", at: t0)
        #expect(try store.run(first)?.outcome == .running)
        try store.finishRun(first, outcome: .ok, counters: ["pages": 120, "new": 14, "duplicate": 3, "http_4xx": 2],
                            message: nil, at: t0.addingTimeInterval(95))
        let second = try store.startRun(crawl: "lbci", at: t0.addingTimeInterval(900))
        try store.finishRun(second, outcome: .failed, counters: ["pages": 0],
                            message: "no start URL could be fetched", at: t0.addingTimeInterval(905))
        let other = try store.startRun(crawl: "bbc", at: t0.addingTimeInterval(1000))
        try store.close()

        let reopened = try SQLiteStateStore(directory: dir)
        let lbci = try reopened.runs(crawl: "lbci", limit: 10)
        #expect(lbci.map(\.id) == [second, first])
        #expect(lbci[1].counters == ["pages": 120, "new": 14, "duplicate": 3, "http_4xx": 2])
        #expect(lbci[1].finishedAt == t0.addingTimeInterval(95))
        #expect(lbci[0].outcome == .failed && lbci[0].message == "no start URL could be fetched")
        #expect(try reopened.runs(crawl: nil, limit: 2).map(\.id) == [other, second])
        // The failed run does not count as the last success.
        #expect(try reopened.lastSuccessfulRun(crawl: "lbci") == t0)
        #expect(try reopened.lastSuccessfulRun(crawl: "bbc") == nil)
    }

    @Test func runsLeftRunningByADeadProcessBecomeInterrupted() throws {
        let dir = TestPaths.temporaryDirectory("state")
        let store = try SQLiteStateStore(directory: dir)
        let t0 = Date(timeIntervalSince1970: 1_790_000_000)
        let killed = try store.startRun(crawl: "lbci", at: t0)
        let done = try store.startRun(crawl: "bbc", at: t0)
        try store.finishRun(done, outcome: .ok, counters: [:], message: nil, at: t0.addingTimeInterval(5))
        try store.close()

        let restarted = try SQLiteStateStore(directory: dir)
        #expect(try restarted.closeInterruptedRuns(at: t0.addingTimeInterval(60)) == 1)
        #expect(try restarted.run(killed)?.outcome == .interrupted)
        #expect(try restarted.run(done)?.outcome == .ok)
    }

    @Test func finishingAnUnknownRunFails() throws {
        let store = try SQLiteStateStore(directory: TestPaths.temporaryDirectory("state"))
        #expect(throws: StateError.self) {
            try store.finishRun(4242, outcome: .ok, counters: [:], message: nil, at: Date())
        }
    }
}
