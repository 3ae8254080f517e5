import Foundation
import HeraldTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import HeraldDaemon

/// `herald run` as a user runs it: the real binary as a daemon with a temporary configuration,
/// crawling the local news site. Serialized: each test times a daemon on a 2-core machine.
@Suite("herald run: the daemon", .serialized)
struct DaemonProcessTests {
    /// A schedule that never comes in a test (midnight on January 1st): the crawl only runs
    /// when asked.
    static let never = "0 0 1 1 *"

    @Test("a crawl scheduled every second runs again and again, never overlapping itself, and its runs appear in herald logs")
    func scheduledRuns() async throws {
        let fixture = try await DaemonFixture.make()
        try fixture.writeCrawl("news", schedule: "every 1s")
        let manager = try ServiceManagerSocket(address: fixture.root.appendingPathComponent("notify.sock").path)
        let daemon = try fixture.startDaemon(environment: ["NOTIFY_SOCKET": manager.address])

        var runs: [[String: Any]] = []
        let enough = try await eventually(within: .seconds(40), poll: .milliseconds(300)) {
            runs = try await fixture.loggedRuns().filter { $0["outcome"] as? String == "ok" }
            return runs.count >= 3
        }
        daemon.send(SIGTERM)
        #expect(await daemon.wait(within: .seconds(10))?.status == 0, "stderr: \(daemon.stderr)")
        #expect(enough, "three finished runs within 40 s; logged: \(runs.count); stderr: \(daemon.stderr)")

        // Each run's span from its own log events: none starts before the previous one ended.
        let spans = try runs.map { try fixture.runSpan(crawl: "news", id: $0["id"] as? String ?? "") }
            .sorted { $0.start < $1.start }
        for (earlier, later) in zip(spans, spans.dropFirst()) {
            let end = try #require(earlier.end)
            #expect(end <= later.start, "runs overlap: one ended at \(end), the next started at \(later.start)")
        }
        #expect(!daemon.stderr.contains("already running"), "no run was refused for overlapping: \(daemon.stderr)")
        // Every article delivered once, on the first run; later runs find nothing new.
        #expect(fixture.spoolFiles().count == fixture.articles)
        #expect(runs.compactMap { $0["new"] as? Int }.reduce(0, +) == fixture.articles)

        // systemctl status shows what runs: STATUS= lines name the running crawl.
        let statuses = manager.queued()
        #expect(statuses.contains { $0.contains("STATUS=1 crawl; running: news") }, "\(statuses.prefix(5))")
    }

    @Test("runs of different crawls proceed at the same time, and share the dedupe: each article once")
    func differentCrawlsConcurrently() async throws {
        let fixture = try await DaemonFixture.make(articles: 8)
        // Both never ran, so both start within a second; the delay makes each run last seconds.
        try fixture.writeCrawl("one", schedule: "every 1h", extra: "politeness: {per_host_delay: 100ms}")
        try fixture.writeCrawl("two", schedule: "every 1h", extra: "politeness: {per_host_delay: 100ms}")
        let daemon = try fixture.startDaemon()
        defer { daemon.send(SIGKILL) }
        var runs: [[String: Any]] = []
        _ = try await eventually(within: .seconds(60), poll: .milliseconds(300)) {
            runs = try await fixture.loggedRuns()
            return runs.count == 2 && runs.allSatisfy({ $0["outcome"] as? String == "ok" })
        }
        daemon.send(SIGTERM)
        #expect(await daemon.wait(within: .seconds(10))?.status == 0)
        #expect(runs.compactMap { $0["crawl"] as? String }.sorted() == ["one", "two"], "\(runs); stderr: \(daemon.stderr)")
        guard runs.count == 2 else { return }
        let spans = try runs.map { try fixture.runSpan(crawl: $0["crawl"] as? String ?? "", id: $0["id"] as? String ?? "") }
        let (a, b) = (spans[0], spans[1])
        let aEnd = try #require(a.end), bEnd = try #require(b.end)
        #expect(a.start < bEnd && b.start < aEnd, "the two runs overlapped in time: \(spans)")
        #expect(fixture.spoolFiles().count == fixture.articles)
    }

    @Test("herald crawl hands the run to the running daemon and follows it to its summary; herald status reads the daemon")
    func handOff() async throws {
        let fixture = try await DaemonFixture.make()
        try fixture.writeCrawl("news", schedule: Self.never)
        let daemon = try fixture.startDaemon()
        defer { daemon.send(SIGKILL) }
        #expect(await daemon.isReady(), "stderr: \(daemon.stderr)")

        // A second daemon on the same configuration refuses to start, touching nothing.
        let second = try await fixture.herald(["run", "--config", fixture.configFile.path], limit: .seconds(20))
        #expect(second.status == 1)
        #expect(second.stderr.contains("another daemon is already serving"), "\(second.stderr)")

        let crawl = try await fixture.herald(["crawl", "--config", fixture.configFile.path, "news"])
        #expect(crawl.status == 0, "stderr: \(crawl.stderr)")
        #expect(crawl.stderr.contains("handed to the running daemon (pid \(daemon.pid))"))
        #expect(crawl.stdout.contains("news (run "), "the run's summary: \(crawl.stdout)")
        #expect(crawl.stdout.contains("articles new \(fixture.articles)"), "\(crawl.stdout)")
        #expect(fixture.spoolFiles().count == fixture.articles)
        #expect(daemon.stderr.contains("trigger=request"), "the daemon, not the command, ran the crawl: \(daemon.stderr)")

        let runs = try await fixture.loggedRuns()
        #expect(runs.count == 1)
        #expect(runs.first?["outcome"] as? String == "ok")

        // A malformed request gets an error; the daemon keeps serving.
        let garbage = try await exchange(fixture.controlSocket.path, .crawl("no-such-crawl", maxPages: nil))
        guard case .error(let refusal)? = garbage.first else { Issue.record("an error expected: \(garbage)"); return }
        #expect(refusal.message.hasPrefix("no crawl named \"no-such-crawl\""), "\(garbage)")

        let status = try await fixture.herald(["status", "--config", fixture.configFile.path])
        #expect(status.status == 0, "stderr: \(status.stderr)")
        #expect(status.stdout.contains("daemon: running (pid \(daemon.pid)"), "\(status.stdout)")
        let row = status.stdout.split(separator: "\n").first { $0.hasPrefix("news ") }.map(String.init) ?? ""
        #expect(row.contains(Self.never) && row.contains(" ok ") && row.contains("\(fixture.articles) new"), "\(status.stdout)")
        #expect(row.hasSuffix("-01-01 00:00:00") || row.contains("-01-01 00:00:"), "next run on January 1st: \(row)")
        #expect(status.stdout.contains("spool backlog: \(fixture.articles) files"), "\(status.stdout)")

        daemon.send(SIGTERM)
        #expect(await daemon.wait(within: .seconds(10))?.status == 0)
        // With the daemon down, status still shows the history and the backlog.
        let reduced = try await fixture.herald(["status", "--config", fixture.configFile.path])
        #expect(reduced.status == 0)
        #expect(reduced.stdout.contains("daemon: not running"), "\(reduced.stdout)")
        #expect(reduced.stdout.contains("\(fixture.articles) new"), "\(reduced.stdout)")
        #expect(reduced.stdout.contains("spool backlog: \(fixture.articles) files"), "\(reduced.stdout)")
    }

    @Test("SIGHUP with a broken crawl file keeps the old definition, logs file:line, and applies the good changes")
    func reloadKeepsBrokenDefinition() async throws {
        let fixture = try await DaemonFixture.make()
        try fixture.writeCrawl("news", schedule: Self.never)
        let daemon = try fixture.startDaemon()
        defer { daemon.send(SIGKILL) }
        #expect(await daemon.isReady(), "stderr: \(daemon.stderr)")

        let broken = fixture.crawlsDirectory.appendingPathComponent("news.yaml")
        var text = try String(contentsOf: broken, encoding: .utf8)
        text = text.replacingOccurrences(of: "schedule: \"\(Self.never)\"", with: "schedule: \"every banana\"")
        try text.write(to: broken, atomically: true, encoding: .utf8)
        try fixture.writeCrawl("extra", schedule: "0 0 2 1 *")
        daemon.send(SIGHUP)

        #expect(await eventually(within: .seconds(10)) { daemon.stderr.contains("reloaded") }, "stderr: \(daemon.stderr)")
        let logged = daemon.stderr
        #expect(logged.contains("news.yaml:1:"), "the broken file is named with its line: \(logged)")
        #expect(logged.contains("keeping the previous definition"))

        let status = try await fixture.herald(["status", "--config", fixture.configFile.path, "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        let crawls = (object["crawls"] as? [[String: Any]]) ?? []
        let schedules = Dictionary(uniqueKeysWithValues: crawls.map { ($0["name"] as? String ?? "", $0["schedule"] as? String ?? "") })
        #expect(schedules == ["news": Self.never, "extra": "0 0 2 1 *"], "\(status.stdout)")
        #expect((object["daemon"] as? [String: Any])?["running"] as? Bool == true)

        daemon.send(SIGTERM)
        #expect(await daemon.wait(within: .seconds(10))?.status == 0)
    }

    @Test("SIGTERM mid-crawl exits 0 within the grace period; the next start resumes, every article arrives exactly once, and a later restart does not re-crawl")
    func sigtermMidCrawl() async throws {
        let fixture = try await DaemonFixture.make(articles: 30, shutdownGrace: "4s")
        // Never run before, so it runs at start-up; after that only when resumed. A politeness
        // delay stretches the crawl over seconds, so SIGTERM lands mid-run.
        try fixture.writeCrawl("news", schedule: "every 1h", extra: "politeness: {per_host_delay: 100ms}")
        let consumed = fixture.root.appendingPathComponent("consumed")
        try FileManager.default.createDirectory(at: consumed, withIntermediateDirectories: true)

        let first = try fixture.startDaemon()
        defer { first.send(SIGKILL) }
        #expect(await eventually(within: .seconds(30)) { fixture.spoolFiles().count >= 3 }, "stderr: \(first.stderr)")
        // A consumer takes what has arrived: delivering any of it again would be a duplicate.
        for name in fixture.spoolFiles() {
            try FileManager.default.moveItem(at: fixture.spoolNew.appendingPathComponent(name),
                                             to: consumed.appendingPathComponent(name))
        }
        let signalled = ContinuousClock.now
        first.send(SIGTERM)
        let status = await first.wait(within: .seconds(10))?.status
        let took = ContinuousClock.now - signalled
        #expect(status == 0, "stderr: \(first.stderr)")
        #expect(took < .seconds(4), "exited \(took) after SIGTERM; grace is 4 s")
        let interrupted = try await fixture.loggedRuns()
        #expect(interrupted.map { $0["outcome"] as? String } == ["interrupted"], "\(interrupted)")
        #expect(fixture.spoolFiles().count + (try FileManager.default.contentsOfDirectory(atPath: consumed.path)).count
                < fixture.articles, "the crawl was cut short")

        let second = try fixture.startDaemon()
        defer { second.send(SIGKILL) }
        var runs: [[String: Any]] = []
        let resumed = try await eventually(within: .seconds(60), poll: .milliseconds(300)) {
            runs = try await fixture.loggedRuns()
            return runs.count >= 2 && runs.last?["outcome"] as? String == "ok"
        }
        second.send(SIGTERM)
        #expect(await second.wait(within: .seconds(10))?.status == 0)
        #expect(resumed, "the interrupted crawl ran again at once and finished: \(runs); stderr: \(second.stderr)")

        let before = Set(try FileManager.default.contentsOfDirectory(atPath: consumed.path))
        let after = Set(fixture.spoolFiles())
        #expect(before.isDisjoint(with: after), "articles delivered twice: \(before.intersection(after))")
        #expect(before.count + after.count == fixture.articles, "every article delivered: \(before.count) + \(after.count)")
        // By story: each article of the site exactly once over both daemons' runs.
        let delivered = try DaemonFixture.canonicalURLs(in: consumed) + DaemonFixture.canonicalURLs(in: fixture.spoolNew)
        let twice = Dictionary(grouping: delivered, by: { $0 }).filter { $0.value.count > 1 }.keys
        #expect(twice.isEmpty, "delivered twice: \(twice.sorted())")
        // A restart after a complete run waits for the next slot (an hour away): no re-crawl.
        let third = try fixture.startDaemon()
        defer { third.send(SIGKILL) }
        #expect(await third.isReady(), "stderr: \(third.stderr)")
        // The daemon's own schedule says so: nothing running, the next run an hour away.
        let restarted = try await fixture.herald(["status", "--config", fixture.configFile.path, "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(restarted.stdout.utf8)) as? [String: Any])
        let news = try #require((object["crawls"] as? [[String: Any]])?.first { $0["name"] as? String == "news" })
        #expect(news["running_since"] is NSNull, "\(restarted.stdout)")
        let nextRun = try #require((news["next_run"] as? String).flatMap {
            try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse($0)
        },
                                   "\(restarted.stdout)")
        #expect(nextRun > Date().addingTimeInterval(30 * 60), "next run at \(nextRun)")
        third.send(SIGTERM)
        #expect(await third.wait(within: .seconds(10))?.status == 0)
        #expect(try await fixture.loggedRuns().count == runs.count, "stderr: \(third.stderr)")

        let expected = try fixture.articleURLs()
        #expect(expected.count == fixture.articles)
        #expect(Set(delivered) == expected, "missing: \(expected.subtracting(delivered).sorted())")
    }

    @Test("sd_notify: READY=1 first, STATUS= lines, WATCHDOG=1, RELOADING=1 then READY=1 on SIGHUP, STOPPING=1 last")
    func notifications() async throws {
        let fixture = try await DaemonFixture.make()
        try fixture.writeCrawl("news", schedule: Self.never)
        let manager = try ServiceManagerSocket(address: fixture.root.appendingPathComponent("notify.sock").path)
        let daemon = try fixture.startDaemon(environment: ["NOTIFY_SOCKET": manager.address, "WATCHDOG_USEC": "400000"])
        defer { daemon.send(SIGKILL) }

        var messages: [String] = []
        func collect(until predicate: (String) -> Bool) async -> Bool {
            while let message = await manager.receive() {
                messages.append(message)
                if predicate(message) { return true }
            }
            return false
        }
        #expect(await collect { $0.hasPrefix("READY=1") }, "\(messages); stderr: \(daemon.stderr)")
        #expect(await collect { $0 == "WATCHDOG=1" })
        #expect(await collect { $0 == "WATCHDOG=1" }, "a second keep-alive 0.2 s later")
        daemon.send(SIGHUP)
        #expect(await collect { $0.hasPrefix("RELOADING=1") })
        #expect(await collect { $0.hasPrefix("READY=1") })
        daemon.send(SIGTERM)
        #expect(await collect { $0.hasPrefix("STOPPING=1") }, "\(messages)")
        #expect(await daemon.wait(within: .seconds(10))?.status == 0)
        messages += manager.queued()

        let kinds = messages.map { $0.split(separator: "\n").first.map { String($0.split(separator: "=").first ?? "") } ?? "" }
        #expect(kinds.first == "READY")
        #expect(kinds.last == "STOPPING", "nothing after STOPPING=1: \(messages)")
        let ready = try #require(messages.first)
        #expect(ready.contains("STATUS=1 crawl; next: news at"), "READY=1 carries a status line: \(ready)")
        let reloading = try #require(kinds.firstIndex(of: "RELOADING"))
        #expect(kinds[(reloading + 1)...].contains("READY"), "READY=1 again after the reload: \(kinds)")
        // The watchdog ticks every 0.2 s (half of WATCHDOG_USEC) for as long as the daemon runs.
        #expect(kinds.filter { $0 == "WATCHDOG" }.count >= 2, "\(messages)")
    }
}
