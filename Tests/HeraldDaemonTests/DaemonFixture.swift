import Foundation
import HeraldTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A temporary herald installation for daemon tests: a generated news site served by the local
/// test site, a configuration (private networks allowed, short timeouts, no politeness delay)
/// with spool, state, logs, crawls and control socket in one temporary directory.
struct DaemonFixture: Sendable {
    let root: URL
    let site: TestSite
    /// Distinct articles the generated site has (no duplicates or near-duplicates).
    let articles: Int

    var configFile: URL { root.appendingPathComponent("herald.yaml") }
    var crawlsDirectory: URL { root.appendingPathComponent("crawls") }
    var spoolNew: URL { root.appendingPathComponent("spool/new") }
    var logDirectory: URL { root.appendingPathComponent("log") }
    var controlSocket: URL { root.appendingPathComponent("run/control.sock") }

    static func make(articles: Int = 6, shutdownGrace: String = "5s") async throws -> DaemonFixture {
        let root = TestPaths.temporaryDirectory("herald-daemon")
        let www = root.appendingPathComponent("www")
        try FileManager.default.createDirectory(at: www, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("crawls"), withIntermediateDirectories: true)
        let site = try await TestSite.start(root: www)
        try await generateSite(into: www, base: "http://127.0.0.1:\(site.port)", articles: articles)
        let config = """
            spool_dir: spool
            state_dir: state
            log_dir: log
            crawls_dir: crawls
            control_socket: run/control.sock
            allow_private_networks: true
            timeout: 5s
            connect_timeout: 2s
            per_host_delay: 0s
            retries: 0
            shutdown_grace: \(shutdownGrace)

            """
        try config.write(to: root.appendingPathComponent("herald.yaml"), atomically: true, encoding: .utf8)
        return DaemonFixture(root: root, site: site, articles: articles)
    }

    /// Runs `newssite.py` (template pages; every article a distinct story).
    private static func generateSite(into directory: URL, base: String, articles: Int) async throws {
        let script = TestPaths.packageRoot.appendingPathComponent("Tests/HeraldTestSupport/Resources/newssite.py")
        let status = try await offPool { () throws -> Int32 in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", script.path, "--out", directory.path, "--base", base,
                                 "--articles", "\(articles)", "--duplicates", "0", "--near-duplicates", "0",
                                 "--corpus", TestPaths.corpus.path]
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            return process.terminationStatus
        }
        guard status == 0 else { throw FixtureError("newssite.py exited with \(status)") }
    }

    struct FixtureError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// Writes `crawls/<name>.yaml` crawling the site from its home page and feeds; `extra`
    /// lines are appended (politeness, limits).
    func writeCrawl(_ name: String, schedule: String, extra: String = "") throws {
        let base = "http://127.0.0.1:\(site.port)"
        let text = """
            schedule: "\(schedule)"
            start: [\(base)/]
            feeds: [\(base)/feeds/world.rss, \(base)/feeds/business.atom, \(base)/feeds/tech.rdf]
            follow: {max_depth: 3}
            articles: {allow: ['/news/[a-z]+/\\d+-[^/]*\\.html$']}
            \(extra)

            """
        try text.write(to: crawlsDirectory.appendingPathComponent("\(name).yaml"), atomically: true, encoding: .utf8)
    }

    /// Starts `herald run` with this configuration.
    func startDaemon(environment: [String: String] = [:]) throws -> HeraldProcess {
        try HeraldProcess(["run", "--config", configFile.path], directory: root, environment: environment)
    }

    /// Runs another herald command against this configuration.
    func herald(_ arguments: [String], limit: Duration = .seconds(60)) async throws
        -> (status: Int32?, stdout: String, stderr: String) {
        try await HeraldProcess.run(arguments, directory: root, limit: limit)
    }

    /// The article URLs of the generated site (its manifest).
    func articleURLs() throws -> Set<String> {
        let data = try Data(contentsOf: root.appendingPathComponent("www/manifest.json"))
        let manifest = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let articles = manifest?["articles"] as? [[String: Any]] ?? []
        return Set(articles.compactMap { $0["url"] as? String })
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
        ((try? FileManager.default.contentsOfDirectory(atPath: spoolNew.path)) ?? []).filter { $0.hasSuffix(".json") }
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
