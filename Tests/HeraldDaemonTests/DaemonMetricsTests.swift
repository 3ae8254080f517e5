import Foundation
import HeraldTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `herald run` serving Prometheus metrics on `metrics_listen`: the real binary crawling the
/// local news site, scraped over HTTP as Prometheus scrapes it, while and after it crawls.
/// Every port is the kernel's choice (`127.0.0.1:0`), read from the daemon's log.
@Suite("herald run: Prometheus metrics", .serialized)
struct DaemonMetricsTests {
    /// The port the daemon logged (`serving metrics metrics_listen=127.0.0.1:PORT`).
    static func metricsPort(of daemon: ChildProcess) async -> Int? {
        guard let line = await daemon.line(in: .stderr, within: .seconds(20), where: { $0.contains("serving metrics") }),
              let address = line.split(separator: " ").first(where: { $0.hasPrefix("metrics_listen=") }),
              let colon = address.lastIndex(of: ":") else { return nil }
        return Int(address[address.index(after: colon)...])
    }

    @Test("counters match the crawl log over two runs, last success and schedule period are exported and survive a restart, other paths are 404")
    func daemonMetrics() async throws {
        let fixture = try await DaemonFixture.make(articles: 12, metricsListen: "127.0.0.1:0",
                                                   duplicates: 2, nearDuplicates: 2)
        // Due at once (never ran); the delay stretches the run over seconds, to scrape it midway.
        try fixture.writeCrawl("news", schedule: "every 1h", extra: "politeness: {per_host_delay: 150ms}")
        let daemon = try fixture.startDaemon()
        defer { daemon.send(SIGKILL) }
        let port = try #require(await Self.metricsPort(of: daemon), "stderr: \(daemon.stderr)")

        // While the first run goes on: fetches are counted as they happen, the run is not yet.
        var during: MetricsScrape?
        _ = try await eventually(within: .seconds(30), poll: .milliseconds(100)) {
            let scrape = try MetricsScrape.get(port: port)
            if scrape.sum("herald_fetches_total", ["crawl": "news"]) > 0 { during = scrape }
            return during != nil
        }
        let midway = try #require(during, "no fetch counted within 30 s; stderr: \(daemon.stderr)")
        #expect(midway.status == 200)
        #expect(midway.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
        #expect(midway.sum("herald_runs_total", ["crawl": "news"]) == 0, "the run is still going: \(midway.body)")
        #expect(midway.value("herald_queue_length", ["crawl": "news"]) != nil)
        #expect(midway.value("herald_crawl_schedule_period_seconds", ["crawl": "news"]) == 3600)

        // A second run, asked for through the daemon (herald crawl hands it over).
        var runs: [[String: Any]] = []
        _ = try await eventually(within: .seconds(60), poll: .milliseconds(300)) {
            runs = try await fixture.loggedRuns()
            return runs.count == 1 && runs[0]["outcome"] as? String == "ok"
        }
        try #require(runs.count == 1, "first run: \(runs); stderr: \(daemon.stderr)")
        let handed = try await fixture.herald(["crawl", "news", "--config", fixture.configFile.path])
        #expect(handed.status == 0, "\(handed.stdout) \(handed.stderr)")
        runs = try await fixture.loggedRuns()
        try #require(runs.count == 2 && runs.allSatisfy { $0["outcome"] as? String == "ok" }, "\(runs)")

        // After both: the counters are the crawl log's, summed over its runs.
        let after = try MetricsScrape.get(port: port)
        func total(_ key: String) -> Double { Double(runs.compactMap { $0[key] as? Int }.reduce(0, +)) }
        func kindTotal(_ kind: String) -> Double {
            Double(runs.compactMap { ($0["kinds"] as? [String: Int])?[kind] }.reduce(0, +))
        }
        #expect(after.sum("herald_fetches_total", ["crawl": "news"]) == total("pages"), "\(after.body)")
        #expect(after.value("herald_fetches_total", ["crawl": "news", "kind": "ok"]) ?? 0 > 0)
        #expect(after.value("herald_articles_delivered_total", ["crawl": "news"]) == total("new"))
        #expect(total("new") == Double(fixture.articles), "each story once: \(runs)")
        #expect(after.value("herald_articles_duplicate_total", ["crawl": "news"]) == kindTotal("duplicate"))
        #expect(after.value("herald_articles_near_duplicate_total", ["crawl": "news"]) == kindTotal("near_duplicate"))
        #expect(kindTotal("duplicate") >= 2 && kindTotal("near_duplicate") >= 2, "the site's copies were held back: \(runs)")
        #expect(after.sum("herald_errors_total", ["crawl": "news"]) == total("errors"))
        #expect(after.value("herald_runs_total", ["crawl": "news", "outcome": "ok"]) == 2)
        #expect(after.value("herald_run_duration_seconds_count", ["crawl": "news"]) == 2)
        #expect(after.value("herald_fetch_duration_seconds_count", ["crawl": "news"]) == total("pages"))
        #expect(after.value("herald_fetch_bytes_total", ["crawl": "news"]) ?? 0 > 10_000)
        #expect(after.value("herald_queue_length", ["crawl": "news"]) == 0, "no run goes on")
        let lastEnd = try #require(Self.end(of: runs[1]))
        let lastSuccess = try #require(after.value("herald_last_success_timestamp_seconds", ["crawl": "news"]))
        #expect(abs(lastSuccess - lastEnd.timeIntervalSince1970) < 1.5, "\(lastSuccess) vs \(lastEnd)")
        #expect(after.value("herald_spool_backlog_files") == Double(fixture.spoolFiles().count))
        let stateFile = fixture.installation.state.appendingPathComponent("herald.sqlite").path
        let stateBytes = try #require(try FileManager.default.attributesOfItem(atPath: stateFile)[.size] as? Int)
        #expect(after.value("herald_state_size_bytes") ?? 0 >= Double(stateBytes), "\(after.body)")
        #expect(after.value("herald_start_time_seconds") ?? 0 > Date().timeIntervalSince1970 - 300)

        // Only /metrics is served.
        let other = try MetricsScrape.get(port: port, path: "/")
        #expect(other.status == 404)
        #expect(try MetricsScrape.get(port: port, path: "/metrics/extra").status == 404)
        #expect(try MetricsScrape.get(port: port, method: "POST").status == 405)

        // A consumer takes the articles: the backlog follows.
        let new = fixture.installation.spool.appendingPathComponent("new")
        for name in fixture.spoolFiles().prefix(5) { try FileManager.default.removeItem(at: new.appendingPathComponent(name)) }
        #expect(try MetricsScrape.get(port: port).value("herald_spool_backlog_files") == Double(fixture.spoolFiles().count))

        // Restarted, the daemon knows the last success from the crawl log before any run (the
        // crawl is not due for an hour), so a "stale" alert holds across restarts.
        daemon.send(SIGTERM)
        #expect(await daemon.wait(within: .seconds(10))?.status == 0, "stderr: \(daemon.stderr)")
        let restarted = try fixture.startDaemon()
        defer { restarted.send(SIGKILL) }
        let newPort = try #require(await Self.metricsPort(of: restarted), "stderr: \(restarted.stderr)")
        let fresh = try MetricsScrape.get(port: newPort)
        let remembered = try #require(fresh.value("herald_last_success_timestamp_seconds", ["crawl": "news"]), "\(fresh.body)")
        #expect(abs(remembered - lastEnd.timeIntervalSince1970) < 1.5)
        #expect(fresh.value("herald_crawl_schedule_period_seconds", ["crawl": "news"]) == 3600)
        #expect(fresh.sum("herald_runs_total") == 0, "counters start at zero in a new process")
        restarted.send(SIGTERM)
        #expect(await restarted.wait(within: .seconds(10))?.status == 0)
    }

    @Test("an empty metrics_listen serves nothing; a port in use stops the start naming metrics_listen")
    func metricsOffAndPortInUse() async throws {
        let off = try await DaemonFixture.make(articles: 2)
        try off.writeCrawl("news", schedule: "every 1h")
        let quiet = try off.startDaemon()
        defer { quiet.send(SIGKILL) }
        #expect(await quiet.isReady(), "stderr: \(quiet.stderr)")
        #expect(!quiet.stderr.contains("serving metrics"))
        #expect(try Self.listeningTCPSockets(of: quiet.pid) == 0, "no TCP listener at all")
        quiet.send(SIGTERM)
        #expect(await quiet.wait(within: .seconds(10))?.status == 0)

        let on = try await DaemonFixture.make(articles: 2, metricsListen: "127.0.0.1:0")
        try on.writeCrawl("news", schedule: "every 1h")
        let serving = try on.startDaemon()
        defer { serving.send(SIGKILL) }
        let port = try #require(await Self.metricsPort(of: serving), "stderr: \(serving.stderr)")
        #expect(try Self.listeningTCPSockets(of: serving.pid) == 1)

        // A second installation asking for the same port does not start, and says why.
        let clash = try await DaemonFixture.make(articles: 2, metricsListen: "127.0.0.1:\(port)")
        let refused = try await clash.herald(["run", "--config", clash.configFile.path], limit: .seconds(20))
        #expect(refused.status == 1, "\(refused.stderr)")
        #expect(refused.stderr.contains("cannot listen on metrics_listen 127.0.0.1:\(port)"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: clash.installation.state.appendingPathComponent("herald.sqlite").path),
                "the state was not touched")
        serving.send(SIGTERM)
        #expect(await serving.wait(within: .seconds(10))?.status == 0)
    }

    /// TCP sockets in LISTEN state that process `pid` holds (from /proc/net/tcp{,6} and the
    /// process's open file descriptors).
    static func listeningTCPSockets(of pid: Int32) throws -> Int {
        var inodes = Set<String>()
        for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
            guard let text = try? String(contentsOfFile: table, encoding: .utf8) else { continue }
            for line in text.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: " ")
                // st 0A is LISTEN; the inode is the tenth field.
                if fields.count > 9, fields[3] == "0A" { inodes.insert(String(fields[9])) }
            }
        }
        let fdDirectory = "/proc/\(pid)/fd"
        return try FileManager.default.contentsOfDirectory(atPath: fdDirectory).filter { fd in
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "\(fdDirectory)/\(fd)"),
                  target.hasPrefix("socket:[") else { return false }
            return inodes.contains(String(target.dropFirst(8).dropLast()))
        }.count
    }

    static func end(of run: [String: Any]) -> Date? {
        guard let text = run["end"] as? String else { return nil }
        return (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text))
            ?? (try? Date.ISO8601FormatStyle().parse(text))
    }
}
