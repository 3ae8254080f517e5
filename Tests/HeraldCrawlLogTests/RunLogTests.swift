import Foundation
import HeraldTestSupport
import Testing
@testable import HeraldCrawlLog

@Suite("RunLog: writing a run")
struct RunLogTests {
    let dir = TestPaths.temporaryDirectory("crawllog")

    @Test("a run file holds run start, every event in order, and run end with the counters")
    func writesEventsInOrder() throws {
        let log = CrawlLog(directory: dir)
        let run = try log.startRun(crawl: "lbci", configDigest: "sha256:abc")
        run.record(.fetch(url: "https://a.example/1", status: 200, bytes: 1200, ms: 35, kind: .ok))
        run.record(.article(url: "https://a.example/1", hash: "sha256:11", file: "new/11.json"))
        run.record(.fetch(url: "https://a.example/2", status: 200, bytes: 900, ms: 20, kind: .ok))
        run.record(.heldBack(url: "https://a.example/2", kind: .duplicate, reason: "content already delivered",
                             duplicateOf: "sha256:11"))
        run.record(.fetch(url: "https://a.example/3", status: 404, bytes: 10, ms: 5, kind: .http4xx))
        run.record(.fetch(url: "https://a.example/4", status: nil, bytes: 0, ms: 30000, kind: .timeout))
        run.record(.error(url: "https://a.example/5", kind: .spoolError, message: "No space left on device"))
        let summary = try run.finish(outcome: .ok)

        #expect(summary.counters.pages == 4)
        #expect(summary.counters.new == 1)
        #expect(summary.counters.duplicates == 1)
        #expect(summary.counters.errors == 3)
        #expect(summary.counters.kinds[.ok] == 2)
        #expect(summary.counters.kinds[.timeout] == 1)

        let events = try log.events(of: log.run(id: run.id))
        #expect(events.malformedLines.isEmpty)
        #expect(events.entries.map(\.event.name) ==
                ["run_start", "fetch", "article", "fetch", "held_back", "fetch", "fetch", "error", "run_end"])
        #expect(events.entries.allSatisfy { $0.runID == run.id })
        #expect(events.entries.first?.event == .runStart(crawl: "lbci", configDigest: "sha256:abc"))
        #expect(events.entries.last?.event == .runEnd(counters: summary.counters, outcome: .ok, message: nil))
        #expect(events.isComplete)
    }

    @Test("each line is flat snake_case JSON with nulls for absent values")
    func lineFormat() throws {
        let log = CrawlLog(directory: dir)
        let run = try log.startRun(crawl: "lbci", configDigest: "sha256:abc")
        run.record(.fetch(url: "https://a.example/x", status: nil, bytes: 0, ms: 30000, kind: .timeout))
        run.record(.heldBack(url: "https://a.example/y", kind: .notArticle, reason: nil, duplicateOf: nil))
        try run.finish(outcome: .failed, message: "no start page could be fetched")
        let lines = try String(contentsOf: run.file, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 4)
        let fetch = try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: Any]
        #expect(fetch?["event"] as? String == "fetch")
        #expect(fetch?["status"] is NSNull)
        #expect(fetch?["kind"] as? String == "timeout")
        #expect(fetch?["run_id"] as? String == run.id)
        #expect((fetch?["time"] as? String)?.hasSuffix("Z") == true)
        let held = try JSONSerialization.jsonObject(with: Data(lines[2].utf8)) as? [String: Any]
        #expect(held?["duplicate_of"] is NSNull)
        let end = try JSONSerialization.jsonObject(with: Data(lines[3].utf8)) as? [String: Any]
        #expect(end?["outcome"] as? String == "failed")
        #expect((end?["counters"] as? [String: Any])?["kinds"] as? [String: Int] == ["timeout": 1, "not_article": 1])
    }

    @Test("many tasks recording at once produce complete, decodable lines and exact counters")
    func concurrentRecording() async throws {
        let log = CrawlLog(directory: dir)
        let run = try log.startRun(crawl: "busy", configDigest: "d")
        await withTaskGroup(of: Void.self) { group in
            for t in 0..<8 {
                group.addTask {
                    for i in 0..<250 {
                        run.record(.fetch(url: "https://busy.example/\(t)/\(i)", status: 200,
                                          bytes: i, ms: 1, kind: .ok))
                    }
                }
            }
        }
        try run.finish(outcome: .ok)
        let events = try log.events(of: log.run(id: run.id))
        #expect(events.malformedLines.isEmpty)
        #expect(events.entries.count == 2000 + 2)
        #expect(Set(events.entries.compactMap(\.event.url)).count == 2000)
        #expect(try log.run(id: run.id).counters.pages == 2000)
    }

    @Test("run ids sort by start time, name the crawl, and never repeat")
    func runIDs() throws {
        let log = CrawlLog(directory: dir)
        let t0 = Date(timeIntervalSince1970: 1_796_000_000)
        var ids: [String] = []
        for i in 0..<50 {
            let run = try log.startRun(crawl: "LBCI news", configDigest: "d", at: t0.addingTimeInterval(Double(i / 10)))
            ids.append(run.id)
            try run.finish(outcome: .ok)
        }
        #expect(Set(ids).count == 50)
        #expect(ids.first?.hasPrefix("20261130T005320Z-") == true)
        #expect(ids.allSatisfy { $0.contains("-lbci_news-") })
        let byTime = ids.map { String($0.prefix(16)) }
        #expect(byTime == byTime.sorted())
    }

    @Test("events after the end are dropped, and a second finish is refused")
    func nothingAfterEnd() throws {
        let log = CrawlLog(directory: dir)
        let run = try log.startRun(crawl: "a", configDigest: "d")
        try run.finish(outcome: .interrupted)
        run.record(.fetch(url: "https://late.example/", status: 200, bytes: 1, ms: 1, kind: .ok))
        #expect(throws: CrawlLogError.alreadyFinished(run.id)) { try run.finish(outcome: .ok) }
        let events = try log.events(of: log.run(id: run.id))
        #expect(events.entries.count == 2)
        #expect(try log.run(id: run.id).outcome == .interrupted)
    }

    @Test("a run log dropped without finish ends its run as interrupted")
    func droppedRun() throws {
        let log = CrawlLog(directory: dir)
        var run: RunLog? = try log.startRun(crawl: "a", configDigest: "d")
        let id = try #require(run?.id)
        run?.record(.fetch(url: "https://a.example/", status: 200, bytes: 1, ms: 1, kind: .ok))
        run = nil
        let summary = try log.run(id: id)
        #expect(summary.outcome == .interrupted)
        #expect(summary.counters.pages == 1)
        #expect(try log.events(of: summary).isComplete)
    }

    @Test("a torn last line (crash mid-write) is skipped and reported, the rest still reads")
    func tornLine() throws {
        let log = CrawlLog(directory: dir)
        let run = try log.startRun(crawl: "a", configDigest: "d")
        run.record(.fetch(url: "https://a.example/", status: 200, bytes: 1, ms: 1, kind: .ok))
        run.abandon()
        let h = try FileHandle(forWritingTo: run.file)
        try h.seekToEnd()
        try h.write(contentsOf: Data(#"{"time":"2026-11-29T14:2"#.utf8))
        try h.close()
        let events = try log.events(of: log.run(id: run.id))
        #expect(events.entries.count == 2)
        #expect(events.malformedLines == [3])
        #expect(!events.isComplete)
    }
}
