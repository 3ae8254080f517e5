import Foundation
import HeraldTestSupport

/// A scratch herald installation for driving the real binary: a config file with test settings
/// (private networks allowed, no politeness delay, concurrency 8, short timeouts), one crawl
/// definition, and the spool, state and log directories, all under one temporary directory.
/// `spool` may be placed elsewhere (on a small tmpfs, say).
struct HeraldInstallation {
    let root: URL
    let spool: URL
    var configFile: URL { root.appendingPathComponent("herald.yaml") }
    var crawlFile: URL { root.appendingPathComponent("crawls/news.yaml") }
    var state: URL { root.appendingPathComponent("state") }
    var logs: URL { root.appendingPathComponent("log") }

    init(crawlDefinition: String, spool: URL? = nil, label: String = "herald-proof") throws {
        root = TestPaths.temporaryDirectory(label)
        self.spool = spool ?? root.appendingPathComponent("spool")
        try FileManager.default.createDirectory(at: crawlFile.deletingLastPathComponent(),
                                                withIntermediateDirectories: true)
        let config = """
            spool_dir: \(self.spool.path)
            state_dir: state
            log_dir: log
            crawls_dir: crawls
            control_socket: control.sock
            user_agent: herald-test/1.0
            concurrency: 8
            per_host_concurrency: 8
            per_host_delay: 0s
            timeout: 5s
            connect_timeout: 2s
            max_body_bytes: 1MB
            max_redirects: 5
            retries: 1
            allow_private_networks: true
            min_body_words: 20

            """
        try config.write(to: configFile, atomically: true, encoding: .utf8)
        try crawlDefinition.write(to: crawlFile, atomically: true, encoding: .utf8)
    }

    var crawlArguments: [String] { ["crawl", "--config", configFile.path, crawlFile.path] }

    /// Starts `herald crawl` in the background.
    func startCrawl() throws -> ChildProcess {
        try ChildProcess(TestPaths.heraldBinary, crawlArguments, in: root)
    }

    /// Runs `herald crawl` to its end.
    func crawl() async throws -> ChildProcess.Exit {
        try await ChildProcess.run(TestPaths.heraldBinary, crawlArguments, in: root)
    }

    /// Runs another herald subcommand with this installation's config.
    func herald(_ subcommand: String, _ arguments: [String]) async throws -> ChildProcess.Exit {
        try await ChildProcess.run(TestPaths.heraldBinary, [subcommand, "--config", configFile.path] + arguments,
                                   in: root)
    }

    func files(_ sub: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: spool.appendingPathComponent(sub).path)) ?? []).sorted()
    }
}
