import Foundation
import HeraldCrawlLog
import HeraldTestSupport
import Testing

/// `herald logs` run as the real binary against a log directory written through the API.
@Suite("herald logs")
struct LogsCommandTests {
    let dir = TestPaths.temporaryDirectory("logs-cli")
    let t0 = Date().addingTimeInterval(-3 * 3600)

    /// Two finished runs of lbci (the later with a timeout and a 404) and one of other.
    @discardableResult
    func history() throws -> [RunSummary] {
        let log = CrawlLog(directory: dir)
        let a = try log.startRun(crawl: "lbci", configDigest: "sha256:c0ffee", at: t0)
        a.record(.fetch(url: "https://lbci.example/news/1", status: 200, bytes: 48213, ms: 156, kind: .ok), at: t0)
        a.record(.article(url: "https://lbci.example/news/1", hash: "sha256:ab12", file: "new/ab12.json"), at: t0)
        let first = try a.finish(outcome: .ok, at: t0.addingTimeInterval(125))

        let t1 = t0.addingTimeInterval(2 * 3600)
        let b = try log.startRun(crawl: "lbci", configDigest: "sha256:c0ffee", at: t1)
        b.record(.fetch(url: "https://lbci.example/news/1", status: 304, bytes: 0, ms: 40, kind: .notModified), at: t1)
        b.record(.fetch(url: "https://lbci.example/news/2", status: 404, bytes: 120, ms: 33, kind: .http4xx), at: t1)
        b.record(.fetch(url: "https://lbci.example/news/3", status: nil, bytes: 0, ms: 30000, kind: .timeout), at: t1)
        b.record(.heldBack(url: "https://lbci.example/news/4", kind: .duplicate, reason: "content already delivered",
                           duplicateOf: "sha256:ab12"), at: t1)
        let second = try b.finish(outcome: .ok, at: t1.addingTimeInterval(31))

        let c = try log.startRun(crawl: "other", configDigest: "sha256:d1", at: t1.addingTimeInterval(60))
        let third = try c.finish(outcome: .failed, message: "no start page, feed or sitemap could be fetched",
                                 at: t1.addingTimeInterval(61))
        return [first, second, third]
    }

    func herald(_ arguments: [String]) async throws -> (status: Int32, out: String, err: String) {
        let exit = try await ChildProcess.run(TestPaths.heraldBinary, ["logs", "--log-dir", dir.path] + arguments)
        return (exit.status, exit.stdout, exit.stderr)
    }

    @Test("without --run: an aligned table, one line per run, oldest first")
    func table() async throws {
        let runs = try history()
        let r = try await herald([])
        #expect(r.status == 0)
        let lines = r.out.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(lines[0].hasPrefix("RUN"))
        for col in ["CRAWL", "START", "DURATION", "PAGES", "NEW", "DUP", "ERRORS", "OUTCOME"] {
            #expect(lines[0].contains(col))
        }
        #expect(lines[1].hasPrefix(runs[0].id) && lines[1].contains("2m05s") && lines[1].hasSuffix("ok"))
        #expect(lines[2].hasPrefix(runs[1].id) && lines[2].contains("31s"))
        #expect(lines[3].hasPrefix(runs[2].id) && lines[3].hasSuffix("failed"))
        // Aligned: every column starts at the same offset on every line.
        let outcomeColumn = lines[0].range(of: "OUTCOME")!.lowerBound.utf16Offset(in: lines[0])
        #expect(lines.dropFirst().allSatisfy { $0.count > outcomeColumn && $0[$0.index($0.startIndex, offsetBy: outcomeColumn - 1)] == " " })
        #expect(lines[2].split(separator: " ", omittingEmptySubsequences: true).suffix(5) == ["3", "0", "1", "2", "ok"])
    }

    @Test("CRAWL, --since, --errors and --last narrow the list")
    func filters() async throws {
        let runs = try history()
        #expect(try await herald(["other"]).out.split(separator: "\n").count == 2)
        let recent = try await herald(["--since", "90m"]).out
        #expect(!recent.contains(runs[0].id) && recent.contains(runs[1].id))
        let failing = try await herald(["--errors"]).out
        #expect(!failing.contains(runs[0].id) && failing.contains(runs[1].id) && failing.contains(runs[2].id))
        let last = try await herald(["lbci", "--last", "1"]).out
        #expect(!last.contains(runs[0].id) && last.contains(runs[1].id))
    }

    @Test("--run shows each fetch with status, bytes, ms and outcome, articles and errors")
    func oneRun() async throws {
        let runs = try history()
        let r = try await herald(["--run", runs[1].id])
        #expect(r.status == 0)
        let lines = r.out.split(separator: "\n").map(String.init)
        #expect(lines.count == 6)
        #expect(lines[0].contains("start") && lines[0].contains("lbci"))
        #expect(lines[2].contains("404") && lines[2].contains("120 B") && lines[2].contains("33 ms")
                && lines[2].contains("http_4xx") && lines[2].contains("https://lbci.example/news/2"))
        #expect(lines[3].contains("---") && lines[3].contains("timeout"))
        #expect(lines[4].contains("duplicate") && lines[4].contains("duplicate of sha256:ab12"))
        #expect(lines[5].contains("end") && lines[5].contains("pages 3") && lines[5].contains("errors 2 (http_4xx 1, timeout 1)"))
        let first = try await herald(["--run", runs[0].id]).out
        #expect(first.contains("article") && first.contains("new/ab12.json"))
    }

    @Test("--run --errors keeps only failures (and the run's start and end)")
    func errorsOnly() async throws {
        let runs = try history()
        let lines = try await herald(["--run", runs[1].id, "--errors"]).out.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines[1].contains("http_4xx") && lines[2].contains("timeout"))
    }

    @Test("--json prints JSON lines for runs and for events")
    func json() async throws {
        let runs = try history()
        let listed = try await herald(["--json"]).out.split(separator: "\n")
        #expect(listed.count == 3)
        let row = try JSONSerialization.jsonObject(with: Data(listed[1].utf8)) as? [String: Any]
        #expect(row?["id"] as? String == runs[1].id)
        #expect(row?["pages"] as? Int == 3 && row?["errors"] as? Int == 2 && row?["outcome"] as? String == "ok")
        let events = try await herald(["--run", runs[1].id, "--json"]).out.split(separator: "\n")
        #expect(events.count == 6)
        #expect(try events.allSatisfy { try JSONSerialization.jsonObject(with: Data($0.utf8)) is [String: Any] })
    }

    @Test("an unknown run id is a clear error with exit 1; a bad --since is a usage error, exit 2")
    func errorsAndUsage() async throws {
        try history()
        let unknown = try await herald(["--run", "20991231T000000Z-nope-0000"])
        #expect(unknown.status == 1)
        #expect(unknown.err.contains("no run with id 20991231T000000Z-nope-0000"))
        let bad = try await herald(["--since", "yesterday"])
        #expect(bad.status == 2)
        #expect(bad.err.contains("--since \"yesterday\""))
    }

    @Test("--follow streams a running crawl's events as they are written and stops at its end")
    func follow() async throws {
        let log = CrawlLog(directory: dir)
        let run = try log.startRun(crawl: "live", configDigest: "d")
        let follower = try ChildProcess(TestPaths.heraldBinary, ["logs", "--log-dir", dir.path, "live", "--follow"])
        // The run's start event on screen: the follower is following before anything else is written.
        let started = await follower.line { $0.contains("start") }
        try #require(started != nil, "stdout: \(follower.stdout); stderr: \(follower.stderr)")
        run.record(.fetch(url: "https://live.example/a", status: 200, bytes: 10, ms: 1, kind: .ok))
        // Shown while the run is still going: only a live follow can see it now.
        let fetched = await follower.line { $0.contains("https://live.example/a") }
        #expect(fetched != nil && !follower.hasExited, "stdout: \(follower.stdout)")
        run.record(.error(url: nil, kind: "dns_error", message: "could not resolve live.example"))
        try run.finish(outcome: .ok)
        let exit = try #require(await follower.wait(within: .seconds(30)), "the follower stops at the run's end")
        let lines = exit.stdout.split(separator: "\n")
        #expect(exit.status == 0)
        #expect(lines.count == 4)
        #expect(lines.last?.contains("end") == true)
        #expect(lines[2].contains("dns_error") && lines[2].contains("could not resolve"))
    }
}
