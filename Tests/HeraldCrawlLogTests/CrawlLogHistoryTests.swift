import Foundation
import GRDB
import Synchronization
import HeraldTestSupport
import Testing
@testable import HeraldCrawlLog

@Suite("CrawlLog: listing, retention and following")
struct CrawlLogHistoryTests {
    let dir = TestPaths.temporaryDirectory("crawllog")
    let t0 = Date(timeIntervalSince1970: 1_796_000_000)

    private func finishedRun(_ log: CrawlLog, _ crawl: String, at start: Date, pages: Int = 1) throws -> RunSummary {
        let run = try log.startRun(crawl: crawl, configDigest: "d", at: start)
        for i in 0..<pages {
            run.record(.fetch(url: "https://\(crawl).example/\(i)", status: 200, bytes: 1, ms: 1, kind: .ok), at: start)
        }
        return try run.finish(outcome: .ok, at: start.addingTimeInterval(60))
    }

    @Test("runs list filters by crawl and start time and keeps the newest with a limit")
    func listing() throws {
        let log = CrawlLog(directory: dir)
        for i in 0..<6 {
            _ = try finishedRun(log, i.isMultiple(of: 2) ? "a" : "b", at: t0.addingTimeInterval(Double(i) * 3600), pages: i)
        }
        #expect(try log.runs().count == 6)
        #expect(try log.runs(crawl: "a").map(\.counters.pages) == [0, 2, 4])
        #expect(try log.runs(since: t0.addingTimeInterval(3 * 3600)).map(\.counters.pages) == [3, 4, 5])
        #expect(try log.runs(limit: 2).map(\.counters.pages) == [4, 5])
        let last = try #require(log.runs().last)
        #expect(last.duration == 60)
        #expect(last.outcome == .ok)
        #expect(try log.runs(crawl: "nope").isEmpty)
    }

    @Test("failing runs and the newest run of each crawl come straight from the index")
    func failingAndLatest() throws {
        let log = CrawlLog(directory: dir)
        var ids: [String] = []
        for i in 0..<4 {
            let run = try log.startRun(crawl: "a", configDigest: "d", at: t0.addingTimeInterval(Double(i) * 60))
            if i == 1 { run.record(.error(url: nil, kind: .timeout, message: "feed timed out")) }
            try run.finish(outcome: i == 3 ? .interrupted : .ok, at: t0.addingTimeInterval(Double(i) * 60 + 1))
            ids.append(run.id)
        }
        let b = try finishedRun(log, "b", at: t0)
        #expect(try log.runs(failingOnly: true).map(\.id) == [ids[1], ids[3]])
        #expect(try log.runs(failingOnly: true, limit: 1).map(\.id) == [ids[3]])
        #expect(try log.latestRuns().map(\.id) == [ids[3], b.id])
    }

    @Test("listing reads the index only: it works with every run file gone")
    func listingNeedsNoRunFiles() throws {
        let log = CrawlLog(directory: dir)
        for i in 0..<3 { _ = try finishedRun(log, "a", at: t0.addingTimeInterval(Double(i))) }
        try FileManager.default.removeItem(at: dir.appendingPathComponent("runs"))
        #expect(try log.runs(crawl: "a").count == 3)
    }

    @Test("an empty log directory lists no runs and names an unknown run id")
    func emptyAndUnknown() throws {
        let log = CrawlLog(directory: dir.appendingPathComponent("never-written"))
        #expect(try log.runs().isEmpty)
        #expect(throws: CrawlLogError.unknownRun("20261129T000000Z-x-0000")) {
            try log.run(id: "20261129T000000Z-x-0000")
        }
        #expect(CrawlLogError.unknownRun("abc").description == "no run with id abc")
    }

    @Test("a unique prefix of a run id finds the run")
    func prefix() throws {
        let log = CrawlLog(directory: dir)
        let run = try finishedRun(log, "solo", at: t0)
        #expect(try log.run(id: String(run.id.prefix(22))).id == run.id)
    }

    @Test("retention by run count keeps the newest N runs of each crawl and deletes the rest's files")
    func retentionByRuns() throws {
        let log = CrawlLog(directory: dir, retention: .runs(3))
        var a: [RunSummary] = []
        for i in 0..<5 { a.append(try finishedRun(log, "a", at: t0.addingTimeInterval(Double(i) * 60))) }
        for i in 0..<2 { _ = try finishedRun(log, "b", at: t0.addingTimeInterval(Double(i) * 60)) }
        #expect(try log.runs(crawl: "a").map(\.id) == a.suffix(3).map(\.id))
        #expect(try log.runs(crawl: "b").count == 2)
        for old in a.prefix(2) {
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent(old.file).path))
        }
        for kept in a.suffix(3) {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(kept.file).path))
        }
    }

    @Test("retention by age removes runs that started before the period")
    func retentionByAge() throws {
        let log = CrawlLog(directory: dir, retention: .runs(1000))
        let now = t0.addingTimeInterval(40 * 86400)
        for day in [0.0, 5, 20, 35, 39] { _ = try finishedRun(log, "a", at: t0.addingTimeInterval(day * 86400)) }
        let removed = try log.prune(retention: .age(.seconds(30 * 86400)), now: now)
        #expect(removed == 2)
        #expect(try log.runs().count == 3)
    }

    @Test("retention never removes a run that is still being written")
    func retentionSparesRunning() throws {
        let log = CrawlLog(directory: dir, retention: .runs(1))
        let running = try log.startRun(crawl: "a", configDigest: "d", at: t0)
        // A newer run of the same crawl can only come from elsewhere while this one holds the lock.
        try log.importRun(crawl: "a", start: t0.addingTimeInterval(60), end: t0.addingTimeInterval(70),
                          outcome: .ok, counters: RunCounters(), message: nil)
        #expect(try log.prune() == 0)
        #expect(try log.runs(crawl: "a").map(\.id).contains(running.id))
        #expect(try log.runningRuns().map(\.id) == [running.id])
        try running.finish(outcome: .ok, at: t0.addingTimeInterval(120))
        #expect(try log.runningRuns().isEmpty)
    }

    @Test("following a run yields what is written while it runs and stops at its end")
    func follow() async throws {
        let log = CrawlLog(directory: dir)
        let run = try log.startRun(crawl: "live", configDigest: "d")
        let summary = try log.run(id: run.id)
        var names: [String] = []
        var written = 0
        for try await entry in log.follow(summary, pollInterval: .milliseconds(20)) {
            names.append(entry.event.name)
            // Each event is written only after the follower yielded the one before: it sees them live.
            if written < 5 {
                run.record(.fetch(url: "https://live.example/\(written)", status: 200, bytes: written, ms: 1, kind: .ok))
                written += 1
            } else if entry.event.name != "run_end" {
                try run.finish(outcome: .ok)
            }
        }
        #expect(names == ["run_start"] + Array(repeating: "fetch", count: 5) + ["run_end"])
    }

    @Test("following a finished run replays it and ends")
    func followFinished() async throws {
        let log = CrawlLog(directory: dir)
        let done = try finishedRun(log, "old", at: t0, pages: 3)
        var count = 0
        for try await _ in log.follow(done, pollInterval: .milliseconds(10)) { count += 1 }
        #expect(count == 5)
    }
}

@Suite("CrawlLog: one run of a crawl at a time, alive while it holds the crawl's lock")
struct RunLockTests {
    let dir = TestPaths.temporaryDirectory("crawllog")

    @Test("a second run of a crawl is refused while the first holds the lock, and may start once it ended")
    func secondRunIsBusy() throws {
        let log = CrawlLog(directory: dir)
        let first = try log.startRun(crawl: "a", configDigest: "d")
        #expect(throws: CrawlLogError.busy(crawl: "a", lock: dir.appendingPathComponent("locks/a.lock").path)) {
            _ = try log.startRun(crawl: "a", configDigest: "d")
        }
        // Other crawls are not held up.
        try log.startRun(crawl: "b", configDigest: "d").finish(outcome: .ok)
        // Asking whether the run is alive does not take the lock from a run about to start.
        #expect(log.isRunning(try log.run(id: first.id)))
        try first.finish(outcome: .ok)
        #expect(!log.isRunning(try log.run(id: first.id)))
        let second = try log.startRun(crawl: "a", configDigest: "d")
        #expect(try log.runningRuns().map(\.id) == [second.id])
        try second.finish(outcome: .failed, message: "x")
    }

    @Test("a run whose index row cannot be written still ends: observers see it, the lock is free, the next start repairs the row")
    func indexWriteFailure() throws {
        let observer = EventRecorder()
        let log = CrawlLog(directory: dir, observer: observer)
        let run = try log.startRun(crawl: "a", configDigest: "d")
        run.record(.fetch(url: "https://a.example/1", status: 200, bytes: 1, ms: 1, kind: .ok))
        // Another writer's trigger stands in for a disk that refuses the index's write.
        let index = try DatabaseQueue(path: dir.appendingPathComponent("runs.sqlite").path)
        try index.write { try $0.execute(sql: "CREATE TRIGGER refuse BEFORE UPDATE ON run BEGIN SELECT RAISE(ABORT, 'disk refused'); END") }
        #expect(throws: CrawlLogError.self) { try run.finish(outcome: .ok) }
        #expect(observer.names == ["run_start", "fetch", "run_end"])
        #expect(!log.isRunning(try log.run(id: run.id)))

        try index.write { try $0.execute(sql: "DROP TRIGGER refuse") }
        #expect(try log.closeAbandonedRuns().map(\.id) == [run.id])
        #expect(try log.run(id: run.id).outcome == .interrupted)
        try log.startRun(crawl: "a", configDigest: "d").finish(outcome: .ok)
    }

    @Test("a run from the state file of an earlier version is imported once, with its end event")
    func importedRun() throws {
        let log = CrawlLog(directory: dir)
        var counters = RunCounters(pages: 4, new: 2, duplicates: 1, errors: 1)
        counters.kinds = [.http5xx: 1]
        #expect(try log.importRun(crawl: "a", start: t0, end: t0.addingTimeInterval(9), outcome: .failed,
                                  counters: counters, message: "no start URL could be fetched"))
        #expect(try !log.importRun(crawl: "a", start: t0, end: t0.addingTimeInterval(9), outcome: .failed,
                                   counters: counters, message: "again"))
        let runs = try log.runs()
        #expect(runs.count == 1 && runs[0].outcome == .failed && runs[0].counters == counters)
        let events = try log.events(of: runs[0])
        #expect(events.isComplete && events.entries.count == 2)
        guard case let .runEnd(_, _, message) = events.entries[1].event else { Issue.record("no run end"); return }
        #expect(message == "no start URL could be fetched")
    }

    let t0 = Date(timeIntervalSince1970: 1_790_000_000)
}

/// Collects the names of the events a crawl log hands its observer.
final class EventRecorder: CrawlEventObserver {
    private let seen = Mutex<[String]>([])
    var names: [String] { seen.withLock { $0 } }
    func observe(_ event: CrawlEvent, crawl: String, runStart: Date, at time: Date) {
        seen.withLock { $0.append(event.name) }
    }
}

@Suite("CrawlLog: runs whose process died")
struct AbandonedRunTests {
    let dir = TestPaths.temporaryDirectory("crawllog")

    /// A run file and index row as a killed process leaves them: no run end, a torn last line,
    /// and the crawl's lock dropped.
    func killedRun(_ log: CrawlLog) throws -> String {
        let run = try log.startRun(crawl: "a", configDigest: "d")
        run.record(.fetch(url: "https://a.example/1", status: 200, bytes: 1, ms: 1, kind: .ok))
        run.record(.fetch(url: "https://a.example/2", status: 500, bytes: 1, ms: 1, kind: .http5xx))
        run.abandon()
        let h = try FileHandle(forWritingTo: run.file)
        try h.seekToEnd()
        try h.write(contentsOf: Data(#"{"time":"2026-11-"#.utf8))
        try h.close()
        return run.id
    }

    @Test("a run whose process died shows as not running, and start-up closes it as interrupted")
    func closesAbandoned() async throws {
        let log = CrawlLog(directory: dir)
        let id = try killedRun(log)
        let before = try log.run(id: id)
        #expect(before.outcome == nil && !log.isRunning(before))
        #expect(try log.runningRuns().isEmpty)

        let closed = try log.closeAbandonedRuns()
        #expect(closed.map(\.id) == [id])
        let after = try log.run(id: id)
        #expect(after.outcome == .interrupted)
        #expect(after.counters.pages == 2 && after.counters.errors == 1)
        let events = try log.events(of: after)
        #expect(events.isComplete)
        #expect(events.malformedLines == [4])
        #expect(try log.closeAbandonedRuns().isEmpty)
    }

    @Test("following a run whose process died ends with an error instead of waiting forever")
    func followAbandoned() async throws {
        let log = CrawlLog(directory: dir)
        let id = try killedRun(log)
        var seen = 0
        await #expect(throws: CrawlLogError.writerGone(id)) {
            for try await _ in log.follow(try log.run(id: id), pollInterval: .milliseconds(5)) { seen += 1 }
        }
        #expect(seen == 3)
    }
}
