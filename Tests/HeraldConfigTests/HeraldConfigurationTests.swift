import Foundation
import HeraldConfig
import HeraldTestSupport
import Testing

@Suite("Daemon configuration (herald.yaml)")
struct HeraldConfigurationTests {
    let base = URL(fileURLWithPath: "/etc/herald")

    func parse(_ yaml: String, file: String = "herald.yaml") throws(ConfigurationError) -> HeraldConfiguration {
        try HeraldConfiguration.parse(yaml: yaml, file: file, baseDirectory: base)
    }

    @Test("an empty file gives the documented defaults")
    func defaults() throws {
        let config = try parse("")
        #expect(config == HeraldConfiguration.defaults(baseDirectory: base))
        #expect(config.spoolDirectory.path == "/var/spool/herald")
        #expect(config.crawlsDirectory.path == "/etc/herald/crawls")
        #expect(config.allowPrivateNetworks == false)
        #expect(config.minBodyWords == 20)
        #expect(config.concurrency == 16)
        #expect(config.maxBodyBytes == 10_000_000)
        #expect(config.timeout == .seconds(30))
        #expect(try parse("# only a comment\n") == config)
    }

    @Test("every key is read")
    func everyKey() throws {
        let config = try parse("""
            spool_dir: /srv/spool
            state_dir: state
            log_dir: ./logs
            crawls_dir: ../crawls
            control_socket: /tmp/h.sock
            user_agent: "mybot/2.0 (+mailto:ops@example.org)"
            concurrency: 40
            per_host_concurrency: 3
            per_host_delay: 250ms
            timeout: 1m
            connect_timeout: 5s
            max_body_bytes: 2MiB
            max_redirects: 3
            retries: 0
            max_retry_after: 5s
            allow_private_networks: true
            min_body_words: 50
            log_retention: 7d
            shutdown_grace: 2m
            """)
        #expect(config.spoolDirectory.path == "/srv/spool")
        #expect(config.stateDirectory.path == "/etc/herald/state")
        #expect(config.logDirectory.path == "/etc/herald/logs")
        #expect(config.crawlsDirectory.path == "/etc/crawls")
        #expect(config.controlSocket.path == "/tmp/h.sock")
        #expect(config.userAgent == "mybot/2.0 (+mailto:ops@example.org)")
        #expect(config.concurrency == 40)
        #expect(config.perHostConcurrency == 3)
        #expect(config.perHostDelay == .milliseconds(250))
        #expect(config.timeout == .seconds(60))
        #expect(config.connectTimeout == .seconds(5))
        #expect(config.maxBodyBytes == 2 << 20)
        #expect(config.maxRedirects == 3)
        #expect(config.retries == 0)
        #expect(config.maxRetryAfter == .seconds(5))
        #expect(config.allowPrivateNetworks == true)
        #expect(config.minBodyWords == 50)
        #expect(config.logRetention == .age(.seconds(7 * 86_400)))
        #expect(config.shutdownGrace == .seconds(120))
    }

    @Test("state_retention: windows as durations or forever, defaults one year and 90 days, mistakes named")
    func stateRetention() throws {
        #expect(try parse("").stateRetention == StateRetention(delivered: .seconds(365 * 86_400), urlValidators: .seconds(90 * 86_400)))
        let set = try parse("state_retention:\n  delivered: 730d\n  url_validators: forever\n")
        #expect(set.stateRetention.urlValidators == nil)
        #expect(set.stateRetention.delivered == .seconds(730 * 86_400))
        let one = try parse("state_retention: {url_validators: 30d}\n")
        #expect(one.stateRetention == StateRetention(delivered: .seconds(365 * 86_400), urlValidators: .seconds(30 * 86_400)))
        let found = problems { try parse("state_retention:\n  delivered: 0s\n  url_validator: 9d\n  ") }
        #expect(found.map(\.description) == [
            "herald.yaml:2: state_retention.delivered must be longer than 0",
            #"herald.yaml:3: unknown key "state_retention.url_validator" (did you mean "url_validators"?)"#,
        ])
        #expect(problems { try parse("state_retention: 90d\n") }.map(\.message) == ["state_retention must be a mapping of keys to values"])
    }

    @Test("an empty value (key:) means the default")
    func nullMeansDefault() throws {
        let config = try parse("timeout:\nspool_dir: ~\n")
        #expect(config.timeout == .seconds(30))
        #expect(config.spoolDirectory.path == "/var/spool/herald")
    }

    @Test("an unknown key is an error at its line, with a suggestion")
    func unknownKey() {
        let found = problems { try parse("timeout: 30s\n\nspool_dri: /x\n") }
        #expect(found.map(\.description) == [#"herald.yaml:3: unknown key "spool_dri" (did you mean "spool_dir"?)"#])
    }

    @Test("all problems in a file are reported, in line order")
    func multipleProblems() throws {
        let found = problems {
            try parse("""
                concurrency: 0
                timeout: 30
                max_body_bytes: lots
                allow_private_networks: maybe
                frobnicate: 1
                log_retention: forever
                user_agent: ""
                spool_dir: [a, b]
                """)
        }
        #expect(found.map(\.line) == [1, 2, 3, 4, 5, 6, 7, 8])
        try #require(found.count == 8)
        #expect(found[0].message == "concurrency must be at least 1, got 0")
        #expect(found[1].message.hasPrefix(#"timeout: "30" needs a unit"#))
        #expect(found[2].message.hasPrefix(#"max_body_bytes: "lots" is not a size"#))
        #expect(found[3].message == #"allow_private_networks: "maybe" is not true or false"#)
        #expect(found[4].message == #"unknown key "frobnicate""#)
        #expect(found[5].message.hasPrefix("log_retention:"))
        #expect(found[6].message == "user_agent must not be empty")
        #expect(found[7].message.hasPrefix("spool_dir must be a single value"))
    }

    @Test("a connect timeout longer than the whole-transfer timeout is reported")
    func connectTimeoutLongerThanTimeout() {
        let found = problems { try parse("timeout: 5s\nconnect_timeout: 10s\n") }
        #expect(found.map(\.description) == ["herald.yaml:2: connect_timeout (10s) is longer than timeout (5s), which bounds the whole transfer"])
        let viaDefault = problems { try parse("timeout: 5s\n") }
        #expect(viaDefault.map(\.line) == [1])
    }

    @Test("YAML syntax errors and duplicate keys point at their line")
    func yamlErrors() {
        let syntax = problems { try parse("timeout: 30s\nretries: [1, 2\n") }
        #expect(syntax.count == 1)
        #expect(syntax.first?.line != nil)
        #expect(syntax.first?.message.hasPrefix("invalid YAML") == true)

        let duplicate = problems { try parse("timeout: 30s\nretries: 1\nretries: 2\n") }
        #expect(duplicate.map(\.message) == [#"duplicate key "retries""#])
        #expect(duplicate.first?.line == 2)

        let notMapping = problems { try parse("- a\n- b\n") }
        #expect(notMapping.map(\.description) == ["herald.yaml:1: the file must be a mapping of keys to values"])
    }

    @Test("relative paths resolve against the config file's directory; flags against the working directory")
    func relativePaths() throws {
        let fixture = ConfigFixture()
        defer { fixture.remove() }
        let file = fixture.write("etc/herald.yaml", "spool_dir: ../var/spool\nstate_dir: state\n")
        let config = try HeraldConfiguration.load(from: file)
        #expect(config.spoolDirectory == fixture.directory.appendingPathComponent("var/spool").standardizedFileURL)
        #expect(config.stateDirectory == fixture.directory.appendingPathComponent("etc/state").standardizedFileURL)
        #expect(config.crawlsDirectory == fixture.directory.appendingPathComponent("etc/crawls").standardizedFileURL)

        let cwd = URL(fileURLWithPath: "/home/op/herald")
        let overridden = config.overriding(PathOverrides(spoolDirectory: "var/spool", logDirectory: "/tmp/log",
                                                         crawlsDirectory: "Crawls"), currentDirectory: cwd)
        #expect(overridden.spoolDirectory.path == "/home/op/herald/var/spool")
        #expect(overridden.logDirectory.path == "/tmp/log")
        #expect(overridden.crawlsDirectory.path == "/home/op/herald/Crawls")
        #expect(overridden.stateDirectory == config.stateDirectory)
    }

    @Test("a missing file is an error naming it when asked for, defaults when it is only the fallback")
    func missingFile() throws {
        let missing = URL(fileURLWithPath: "/nonexistent/herald.yaml")
        let found = problems { try HeraldConfiguration.load(ConfigLocation(url: missing, source: .flag)) }
        #expect(found.map(\.description) == ["/nonexistent/herald.yaml: cannot read: no such file"])
        let fallback = try HeraldConfiguration.load(ConfigLocation(url: missing, source: .system))
        #expect(fallback == HeraldConfiguration.defaults(baseDirectory: URL(fileURLWithPath: "/nonexistent")))
    }

    @Test("config lookup: --config, then $HERALD_CONFIG, then ./Config/herald.yaml, then /etc/herald")
    func lookupOrder() {
        let cwd = URL(fileURLWithPath: "/work/repo")
        let exists: (String) -> Bool = { $0 == "/work/repo/Config/herald.yaml" }
        let none: (String) -> Bool = { _ in false }
        let env = ["HERALD_CONFIG": "/opt/h.yaml"]

        let flag = ConfigLocation.find(flag: "my.yaml", environment: env, currentDirectory: cwd, fileExists: exists)
        #expect(flag == ConfigLocation(url: URL(fileURLWithPath: "/work/repo/my.yaml"), source: .flag))
        let fromEnv = ConfigLocation.find(flag: nil, environment: env, currentDirectory: cwd, fileExists: exists)
        #expect(fromEnv == ConfigLocation(url: URL(fileURLWithPath: "/opt/h.yaml"), source: .environment))
        let local = ConfigLocation.find(flag: nil, environment: [:], currentDirectory: cwd, fileExists: exists)
        #expect(local == ConfigLocation(url: URL(fileURLWithPath: "/work/repo/Config/herald.yaml"), source: .workingDirectory))
        let system = ConfigLocation.find(flag: nil, environment: [:], currentDirectory: cwd, fileExists: none)
        #expect(system == ConfigLocation(url: URL(fileURLWithPath: "/etc/herald/herald.yaml"), source: .system))
        #expect(flag.isExplicit && fromEnv.isExplicit && !local.isExplicit && !system.isExplicit)
    }

    @Test("the shipped Config/herald.yaml parses, lists every key, and states the built-in defaults")
    func shippedFile() throws {
        let url = TestPaths.packageRoot.appendingPathComponent("Config/herald.yaml")
        let config = try HeraldConfiguration.load(from: url)
        #expect(config == HeraldConfiguration.defaults(baseDirectory: url.deletingLastPathComponent()))
        let text = try String(contentsOf: url, encoding: .utf8)
        let keys = text.split(separator: "\n")
            .filter { !$0.hasPrefix("#") && !$0.hasPrefix(" ") && $0.contains(":") }
            .map { String($0.prefix { $0 != ":" }) }
        #expect(keys == HeraldConfiguration.keys)
    }

    @Test("in a checkout, the shipped crawls_dir reaches the repository's Crawls/ folder")
    func shippedCrawlsDirectory() throws {
        let url = TestPaths.packageRoot.appendingPathComponent("Config/herald.yaml")
        let config = try HeraldConfiguration.load(from: url)
        #expect(config.crawlsDirectory.path == TestPaths.packageRoot.appendingPathComponent("Config/crawls").standardizedFileURL.path)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: config.crawlsDirectory.path) == "../Crawls")
    }
    @Test("metrics_listen: IPv4 or [IPv6] with a port, an empty string turns it off, anything else names the key")
    func metricsListen() throws {
        #expect(try parse("").metricsListen == ListenAddress(host: "127.0.0.1", port: 9464))
        #expect(try parse("metrics_listen: 0.0.0.0:9100\n").metricsListen == ListenAddress(host: "0.0.0.0", port: 9100))
        #expect(try parse("metrics_listen: \"[::1]:9464\"\n").metricsListen == ListenAddress(host: "::1", port: 9464))
        #expect(try parse("metrics_listen: \"[::1]:9464\"\n").metricsListen?.description == "[::1]:9464")
        #expect(try parse("metrics_listen: \"\"\n").metricsListen == nil)
        // As for every key, no value at all means the default.
        #expect(try parse("metrics_listen:\n").metricsListen == ListenAddress(host: "127.0.0.1", port: 9464))
        let cases: [(String, String)] = [
            ("localhost:9464", "herald.yaml:2: metrics_listen: \"localhost:9464\": \"localhost\" is not an IPv4 address (a host name is not accepted: write the address to listen on, e.g. 127.0.0.1)"),
            ("9464", "herald.yaml:2: metrics_listen: \"9464\" is not host:port (e.g. 127.0.0.1:9464, [::1]:9464)"),
            ("127.0.0.1:99999", "herald.yaml:2: metrics_listen: \"127.0.0.1:99999\": the port must be a number from 0 to 65535, not \"99999\""),
            ("127.0.0.1:", "herald.yaml:2: metrics_listen: \"127.0.0.1:\": the port must be a number from 0 to 65535, not \"\""),
            ("::1:9464", "herald.yaml:2: metrics_listen: \"::1:9464\": an IPv6 address is written in brackets, e.g. [::1]:9464"),
            ("[::g]:9464", "herald.yaml:2: metrics_listen: \"[::g]:9464\": \"::g\" is not an IPv6 address"),
        ]
        for (value, message) in cases {
            let found = problems { try parse("timeout: 30s\nmetrics_listen: \"\(value)\"\n") }
            #expect(found.map(\.description) == [message])
        }
    }
}
