import Foundation
import HeraldCrawlLog
import HeraldFormats

/// The daemon's configuration (`herald.yaml`): where it keeps its files and how hard it may
/// hit the network. Immutable value; relative paths are already resolved against the
/// directory of the file they came from, so every path here is absolute.
public struct HeraldConfiguration: Sendable, Equatable {
    /// Maildir-style spool the articles go to (`tmp/`, `new/`, `cur/` inside).
    public var spoolDirectory: URL
    /// SQLite state: seen URLs, validators, delivered hashes, robots cache, run history.
    public var stateDirectory: URL
    /// Per-run JSON-lines crawl logs.
    public var logDirectory: URL
    /// The crawl definitions the daemon schedules (`*.yaml`).
    public var crawlsDirectory: URL
    /// Unix socket `herald crawl`/`status` use to talk to the running daemon.
    public var controlSocket: URL
    /// Where the daemon serves Prometheus metrics (`/metrics`); nil (an empty value) turns
    /// the endpoint off.
    public var metricsListen: ListenAddress?
    /// Sent with every request; its first word (before `/`) is the robots.txt agent token.
    public var userAgent: String
    /// Transfers in flight at once, over all hosts and crawls.
    public var concurrency: Int
    /// Transfers in flight at once to one host.
    public var perHostConcurrency: Int
    /// Pause between the end of one request to a host and the start of the next.
    public var perHostDelay: Duration
    /// Whole-transfer timeout for one request.
    public var timeout: Duration
    /// Timeout for establishing a connection (DNS, TCP, TLS).
    public var connectTimeout: Duration
    /// Bodies beyond this many (decompressed) bytes are cut off and fail as `too_large`.
    public var maxBodyBytes: Int
    /// Redirects followed per request.
    public var maxRedirects: Int
    /// Extra attempts after a timeout, connection reset or 5xx (with backoff and jitter).
    public var retries: Int
    /// The longest `Retry-After` on a 429/503 that is honoured: the host pauses at most this
    /// long, and a longer demand is not waited out for a retry.
    public var maxRetryAfter: Duration
    /// Allows fetching private, loopback and link-local addresses (tests, intranets).
    public var allowPrivateNetworks: Bool
    /// Article bodies shorter than this many words are not delivered (`empty_body`).
    public var minBodyWords: Int
    /// How much crawl history is kept (default: the newest 100 runs of each crawl).
    public var logRetention: LogRetention
    /// How long delivered hashes and URL validators are remembered (pruned in the background).
    public var stateRetention: StateRetention
    /// Time the daemon gives in-flight work after SIGTERM before it checkpoints and exits.
    public var shutdownGrace: Duration

    /// Every key `herald.yaml` accepts, in the order the shipped file lists them.
    public static let keys = [
        "spool_dir", "state_dir", "log_dir", "crawls_dir", "control_socket", "metrics_listen", "user_agent",
        "concurrency", "per_host_concurrency", "per_host_delay", "timeout", "connect_timeout",
        "max_body_bytes", "max_redirects", "retries", "max_retry_after", "allow_private_networks", "min_body_words",
        "log_retention", "state_retention", "shutdown_grace",
    ]

    /// The built-in defaults; relative defaults (`crawls_dir: crawls`) resolve against
    /// `baseDirectory`, the directory of the configuration file.
    public static func defaults(baseDirectory: URL) -> HeraldConfiguration {
        HeraldConfiguration(
            spoolDirectory: URL(fileURLWithPath: "/var/spool/herald"),
            stateDirectory: URL(fileURLWithPath: "/var/lib/herald"),
            logDirectory: URL(fileURLWithPath: "/var/log/herald"),
            crawlsDirectory: resolve("crawls", against: baseDirectory),
            controlSocket: URL(fileURLWithPath: "/run/herald/control.sock"),
            metricsListen: ListenAddress(host: "127.0.0.1", port: 9464),
            userAgent: "herald/0.1 (news crawler)",
            concurrency: 16,
            perHostConcurrency: 2,
            perHostDelay: .seconds(1),
            timeout: .seconds(30),
            connectTimeout: .seconds(10),
            maxBodyBytes: 10_000_000,
            maxRedirects: 5,
            retries: 2,
            maxRetryAfter: .seconds(120),
            allowPrivateNetworks: false,
            minBodyWords: 20,
            logRetention: .runs(100),
            stateRetention: .standard,
            shutdownGrace: .seconds(30)
        )
    }

    /// Reads and validates the file at `url`; throws a `ConfigurationError` listing every
    /// problem. `displayName` is how problems name the file (default: the path as given).
    public static func load(from url: URL, displayName: String? = nil) throws(ConfigurationError) -> HeraldConfiguration {
        let name = displayName ?? url.path
        let text = try YAMLFile.text(of: url, name: name)
        return try parse(yaml: text, file: name, baseDirectory: url.deletingLastPathComponent())
    }

    /// Loads the file `location` points at. A missing file is an error when the operator named
    /// it (flag or environment); the fallback `/etc/herald/herald.yaml` may be absent, and
    /// then the built-in defaults apply.
    public static func load(_ location: ConfigLocation) throws(ConfigurationError) -> HeraldConfiguration {
        if !location.isExplicit, !FileManager.default.fileExists(atPath: location.url.path) {
            return defaults(baseDirectory: location.url.deletingLastPathComponent())
        }
        return try load(from: location.url)
    }

    /// What every subcommand does first: find the file (`--config`, `$HERALD_CONFIG`,
    /// `./Config/herald.yaml`, `/etc/herald/herald.yaml`), load it, then apply the path flags.
    public static func load(configFlag: String?, overrides: PathOverrides = PathOverrides(),
                            currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        throws(ConfigurationError) -> HeraldConfiguration {
        let location = ConfigLocation.find(flag: configFlag, currentDirectory: currentDirectory)
        return try load(location).overriding(overrides, currentDirectory: currentDirectory)
    }

    /// Validates YAML text; relative paths resolve against `baseDirectory`.
    public static func parse(yaml text: String, file: String, baseDirectory: URL) throws(ConfigurationError) -> HeraldConfiguration {
        var reader = YAMLFile(file: file)
        var config = defaults(baseDirectory: baseDirectory)
        guard let root = reader.compose(text) else {
            if reader.problems.isEmpty { return config }  // an empty file means all defaults
            throw ConfigurationError(problems: reader.problems)
        }
        if let keys = reader.mapping(root, path: "", known: keys) {
            func path(_ key: String, _ target: inout URL) {
                guard let node = keys[key], let text = reader.nonEmptyString(node, key) else { return }
                target = resolve(text, against: baseDirectory)
            }
            path("spool_dir", &config.spoolDirectory)
            path("state_dir", &config.stateDirectory)
            path("log_dir", &config.logDirectory)
            path("crawls_dir", &config.crawlsDirectory)
            path("control_socket", &config.controlSocket)
            if let node = keys["metrics_listen"], let text = reader.string(node, "metrics_listen") {
                let trimmed = text.trimmingCharacters(in: .whitespaces)
                if trimmed.isEmpty {
                    // `""`: no metrics endpoint (a key without a value keeps the default).
                    config.metricsListen = nil
                } else {
                    do throws(ValueSyntaxError) {
                        config.metricsListen = try ListenAddress(parsing: trimmed)
                    } catch {
                        reader.report("metrics_listen: \(error.message)", at: node)
                    }
                }
            }
            if let node = keys["user_agent"], let v = reader.nonEmptyString(node, "user_agent") { config.userAgent = v }
            if let node = keys["concurrency"], let v = reader.integer(node, "concurrency", minimum: 1) { config.concurrency = v }
            if let node = keys["per_host_concurrency"], let v = reader.integer(node, "per_host_concurrency", minimum: 1) { config.perHostConcurrency = v }
            if let node = keys["per_host_delay"], let v = reader.duration(node, "per_host_delay") { config.perHostDelay = v }
            if let node = keys["timeout"], let v = reader.duration(node, "timeout", allowZero: false) { config.timeout = v }
            if let node = keys["connect_timeout"], let v = reader.duration(node, "connect_timeout", allowZero: false) { config.connectTimeout = v }
            if let node = keys["max_body_bytes"], let v = reader.byteSize(node, "max_body_bytes") { config.maxBodyBytes = v }
            if let node = keys["max_redirects"], let v = reader.integer(node, "max_redirects", minimum: 0) { config.maxRedirects = v }
            if let node = keys["retries"], let v = reader.integer(node, "retries", minimum: 0) { config.retries = v }
            if let node = keys["max_retry_after"], let v = reader.duration(node, "max_retry_after", allowZero: true) { config.maxRetryAfter = v }
            if let node = keys["allow_private_networks"], let v = reader.bool(node, "allow_private_networks") { config.allowPrivateNetworks = v }
            if let node = keys["min_body_words"], let v = reader.integer(node, "min_body_words", minimum: 0) { config.minBodyWords = v }
            if let node = keys["log_retention"], let text = reader.string(node, "log_retention") {
                do throws(ValueSyntaxError) {
                    config.logRetention = try LogRetention(parsing: text)
                } catch {
                    reader.report("log_retention: \(error.message)", at: node)
                }
            }
            if let node = keys["state_retention"] { config.stateRetention = reader.stateRetention(node, over: config.stateRetention) }
            if let node = keys["shutdown_grace"], let v = reader.duration(node, "shutdown_grace") { config.shutdownGrace = v }
            // libcurl's whole-transfer timeout cuts the connect phase short anyway, so a longer
            // connect_timeout is a mistake the operator wants to hear about.
            if config.connectTimeout > config.timeout, let node = keys["connect_timeout"] ?? keys["timeout"] {
                reader.report("connect_timeout (\(DurationSyntax.format(config.connectTimeout))) is longer than timeout (\(DurationSyntax.format(config.timeout))), which bounds the whole transfer", at: node)
            }
        }
        guard reader.problems.isEmpty else { throw ConfigurationError(problems: reader.problems) }
        return config
    }

    /// This configuration with the path settings the command line gave replaced. Relative flag
    /// values resolve against `currentDirectory` (the shell's working directory), as a user
    /// typing `--spool var/spool` expects.
    public func overriding(_ overrides: PathOverrides, currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) -> HeraldConfiguration {
        var copy = self
        if let p = overrides.spoolDirectory { copy.spoolDirectory = Self.resolve(p, against: currentDirectory) }
        if let p = overrides.stateDirectory { copy.stateDirectory = Self.resolve(p, against: currentDirectory) }
        if let p = overrides.logDirectory { copy.logDirectory = Self.resolve(p, against: currentDirectory) }
        if let p = overrides.crawlsDirectory { copy.crawlsDirectory = Self.resolve(p, against: currentDirectory) }
        if let p = overrides.controlSocket { copy.controlSocket = Self.resolve(p, against: currentDirectory) }
        return copy
    }

    /// `path` made absolute against `base` (a `~/` prefix means the home directory).
    public static func resolve(_ path: String, against base: URL) -> URL {
        let expanded = path.hasPrefix("~/") ? NSString(string: path).expandingTildeInPath : path
        if expanded.hasPrefix("/") { return URL(fileURLWithPath: expanded).standardizedFileURL }
        return base.appendingPathComponent(expanded).standardizedFileURL
    }
}

/// Path settings given on the command line (`--spool`, `--state`, `--log-dir` ...), which
/// win over the configuration file.
public struct PathOverrides: Sendable, Equatable {
    public var spoolDirectory: String?
    public var stateDirectory: String?
    public var logDirectory: String?
    public var crawlsDirectory: String?
    public var controlSocket: String?

    public init(spoolDirectory: String? = nil, stateDirectory: String? = nil, logDirectory: String? = nil,
                crawlsDirectory: String? = nil, controlSocket: String? = nil) {
        self.spoolDirectory = spoolDirectory
        self.stateDirectory = stateDirectory
        self.logDirectory = logDirectory
        self.crawlsDirectory = crawlsDirectory
        self.controlSocket = controlSocket
    }
}
