import Foundation
import HeraldTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A temporary herald installation for daemon tests: a generated news site served by the local
/// test site (every article a distinct story), and an installation whose configuration allows
/// private networks, has short timeouts, no politeness delay and no retries, with spool, state,
/// logs, crawls and control socket in one temporary directory.
struct DaemonFixture: Sendable {
    let installation: HeraldInstallation
    let site: GeneratedNewsSite
    /// Distinct articles the generated site has (no duplicates or near-duplicates).
    let articles: Int

    var root: URL { installation.root }
    var configFile: URL { installation.configFile }
    var crawlsDirectory: URL { installation.crawls }
    var spoolNew: URL { installation.spool.appendingPathComponent("new") }
    var logDirectory: URL { installation.logs }
    var controlSocket: URL { installation.controlSocket }

    /// `duplicates` and `nearDuplicates`: copies of stories under other URLs (none by default,
    /// and `articles` then counts distinct stories only).
    static func make(articles: Int = 6, shutdownGrace: String = "5s", settings: String = "",
                     metricsListen: String = "", duplicates: Int = 0, nearDuplicates: Int = 0) async throws -> DaemonFixture {
        let site = try await GeneratedNewsSite.start(articles: articles, duplicates: duplicates, nearDuplicates: nearDuplicates,
                                                     label: "herald-daemon-site")
        let installation = try HeraldInstallation(label: "herald-daemon", settings: """
            allow_private_networks: true
            timeout: 5s
            connect_timeout: 2s
            per_host_delay: 0s
            retries: 0
            shutdown_grace: \(shutdownGrace)
            \(settings)

            """, controlSocket: "run/control.sock", metricsListen: metricsListen)
        return DaemonFixture(installation: installation, site: site, articles: articles)
    }

    struct FixtureError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// Writes `crawls/<name>.yaml` crawling the site from its home page and feeds; `extra`
    /// lines are appended (politeness, limits).
    func writeCrawl(_ name: String, schedule: String, extra: String = "") throws {
        try installation.writeCrawl(name, """
            schedule: "\(schedule)"
            \(site.siteLines())
            \(extra)

            """)
    }

    /// Starts `herald run` with this configuration.
    func startDaemon(environment: [String: String] = [:]) throws -> ChildProcess {
        try installation.start("run", [], environment: environment)
    }

    /// Runs another herald command against this configuration (killed after `limit`).
    func herald(_ arguments: [String], limit: Duration = .seconds(60)) async throws -> ChildProcess.Exit {
        let command = try ChildProcess(TestPaths.heraldBinary, arguments, in: root,
                                       environment: HeraldInstallation.heraldEnvironment())
        if let exit = await command.wait(within: limit) { return exit }
        command.killNow()
        return await command.wait()
    }

    /// The article URLs of the generated site (its manifest).
    func articleURLs() throws -> Set<String> {
        site.articleURLs
    }

    /// The canonical URL of each delivered record in `directory` (one entry per file).
    static func canonicalURLs(in directory: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }.map {
            let data = try Data(contentsOf: directory.appendingPathComponent($0))
            let record = try JSONSerialization.jsonObject(with: data) as? [String: Any]
            return (record?["canonical_url"] as? String) ?? (record?["url"] as? String) ?? ""
        }
    }

    /// Names of the files waiting in the spool's `new/`.
    func spoolFiles() -> [String] {
        installation.files("new").filter { $0.hasSuffix(".json") }
    }

    /// The runs `herald logs --json` lists, oldest first.
    func loggedRuns() async throws -> [[String: Any]] {
        let result = try await herald(["logs", "--log-dir", logDirectory.path, "--json"])
        return result.stdout.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
    }

    /// A run's first and last event times, read from its run file (millisecond precision).
    func runSpan(crawl: String, id: String) throws -> (start: Date, end: Date?) {
        let file = logDirectory.appendingPathComponent("runs/\(crawl)/\(id).jsonl")
        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
        let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        func event(_ line: Substring?) -> (String, Date)? {
            guard let line, let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any],
                  let time = object["time"] as? String, let date = try? style.parse(time) else { return nil }
            return ((object["event"] as? String) ?? "", date)
        }
        guard let first = event(lines.first) else { throw FixtureError("\(file.path) has no start event") }
        let last = event(lines.last)
        return (first.1, last?.0 == "run_end" ? last?.1 : nil)
    }
}

extension ChildProcess {
    /// Waits until a daemon has logged that it is up (crawls loaded and scheduled, control
    /// socket served).
    func isReady(within limit: Duration = .seconds(20)) async -> Bool {
        await line(in: .stderr, within: limit) { $0.contains("herald: started") } != nil
    }
}
