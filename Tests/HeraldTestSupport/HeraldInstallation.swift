import Foundation

/// A scratch herald installation for driving the real binary: a config file, crawl definitions,
/// and the spool, state and log directories, all under one temporary directory (`spool` may be
/// placed elsewhere, on a small tmpfs, say). The config names the directories; `settings` adds
/// the rest. Running herald never blocks the cooperative pool (see `ChildProcess`).
public struct HeraldInstallation: Sendable {
    public let root: URL
    public let spool: URL
    public var configFile: URL { root.appendingPathComponent("herald.yaml") }
    public var crawls: URL { root.appendingPathComponent("crawls") }
    public var state: URL { root.appendingPathComponent("state") }
    public var logs: URL { root.appendingPathComponent("log") }
    /// The control socket path as the config names it, relative to `root`.
    public let controlSocketPath: String
    public var controlSocket: URL { root.appendingPathComponent(controlSocketPath) }

    /// Test settings for crawling the local sites: private networks allowed, no politeness
    /// delay, concurrency 8, short timeouts, one retry.
    public static func testSettings(perHostConcurrency: Int, timeout: String, connectTimeout: String) -> String {
        """
        user_agent: herald-test/1.0
        concurrency: 8
        per_host_concurrency: \(perHostConcurrency)
        per_host_delay: 0s
        timeout: \(timeout)
        connect_timeout: \(connectTimeout)
        max_body_bytes: 1MB
        max_redirects: 5
        retries: 1
        allow_private_networks: true
        min_body_words: 20

        """
    }

    /// Creates the installation in a fresh temporary directory named after `label` and writes
    /// its config: the directory settings, then `settings` (YAML lines ending in a newline).
    /// The metrics endpoint is off unless `metricsListen` names an address (`127.0.0.1:0`
    /// for a free port): tests never share a fixed port.
    public init(label: String, settings: String, spool: URL? = nil,
                controlSocket: String = "control.sock", metricsListen: String = "") throws {
        root = TestPaths.temporaryDirectory(label)
        self.spool = spool ?? root.appendingPathComponent("spool")
        controlSocketPath = controlSocket
        try FileManager.default.createDirectory(at: crawls, withIntermediateDirectories: true)
        let config = """
            spool_dir: \(spool?.path ?? "spool")
            state_dir: state
            log_dir: log
            crawls_dir: crawls
            control_socket: \(controlSocket)
            metrics_listen: "\(metricsListen)"

            """ + settings
        try config.write(to: configFile, atomically: true, encoding: .utf8)
    }

    /// Writes `crawls/<name>.yaml` and returns its path.
    @discardableResult
    public func writeCrawl(_ name: String, _ yaml: String) throws -> URL {
        let file = crawls.appendingPathComponent("\(name).yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    /// Starts `herald <subcommand> --config <config> <arguments>` in the background; `environment`
    /// is added to the test process's minus what would change herald's behaviour.
    public func start(_ subcommand: String, _ arguments: [String],
                      environment: [String: String] = [:]) throws -> ChildProcess {
        try ChildProcess(TestPaths.heraldBinary, [subcommand, "--config", configFile.path] + arguments, in: root,
                         environment: Self.heraldEnvironment(environment))
    }

    /// Runs `herald <subcommand> --config <config> <arguments>` to its end.
    public func herald(_ subcommand: String, _ arguments: [String]) async throws -> ChildProcess.Exit {
        await (try start(subcommand, arguments)).wait()
    }

    /// The environment of the test process without the variables a service manager or a user
    /// sets for herald (systemd's notify socket and watchdog, `HERALD_CONFIG`), plus `extra`.
    public static func heraldEnvironment(_ extra: [String: String] = [:]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for key in ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "HERALD_CONFIG", "JOURNAL_STREAM"] {
            environment[key] = nil
        }
        environment.merge(extra) { _, new in new }
        return environment
    }

    /// Names of the files in the spool's `sub` directory (`new`, `tmp`), sorted.
    public func files(_ sub: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: spool.appendingPathComponent(sub).path)) ?? []).sorted()
    }

    /// Every record in the spool's `new/`, decoded, in file name order.
    public func records() throws -> [[String: Any]] {
        let new = spool.appendingPathComponent("new")
        return try files("new").filter { $0.hasSuffix(".json") }.map { name in
            let data = try Data(contentsOf: new.appendingPathComponent(name))
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw NotAnObject(file: new.appendingPathComponent(name).path)
            }
            return object
        }
    }

    /// A spool or log file that should hold a JSON object holds something else.
    public struct NotAnObject: Error, CustomStringConvertible {
        public var file: String
        public var description: String { "\(file) does not hold a JSON object" }
    }
}
