import Foundation
import HeraldTestSupport
import Testing

@Suite("herald check")
struct CheckCommandTests {
    /// Runs the real `herald` binary in `directory` with a clean environment.
    func herald(_ arguments: [String], in directory: URL) async throws -> ChildProcess.Exit {
        try await ChildProcess.run(TestPaths.heraldBinary, arguments, in: directory,
                                   environment: ["PATH": "/usr/bin:/bin", "HOME": directory.path])
    }

    func write(_ text: String, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    @Test("a broken config and crawl directory: every problem as file:line: message, exit 2")
    func broken() async throws {
        let dir = TestPaths.temporaryDirectory("herald-check")
        defer { try? FileManager.default.removeItem(at: dir) }
        try write("timeout: 30s\nspool_dri: /tmp/x\nconcurrency: many\n", to: dir.appendingPathComponent("conf/herald.yaml"))
        try write("start: [https://good.example/]\n", to: dir.appendingPathComponent("conf/crawls/good.yaml"))
        try write("""
            schedule: '0 25 * * *'
            start: [ftp://bad.example/]
            follow:
              allow: ['(unclosed']
            extract:
              body: '//div['
            """, to: dir.appendingPathComponent("conf/crawls/bad.yaml"))

        let result = try await herald(["check", "--config", "conf/herald.yaml"], in: dir)
        #expect(result.status == 2)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines == [
            #"conf/herald.yaml:2: unknown key "spool_dri" (did you mean "spool_dir"?)"#,
            #"conf/herald.yaml:3: concurrency: "many" is not a whole number"#,
            "conf/crawls/bad.yaml:1: schedule: cron hour 25 is out of range 0-23",
            #"conf/crawls/bad.yaml:2: start: "ftp://bad.example/" is not an http or https URL"#,
            lines.count > 4 ? lines[4] : "",
            #"conf/crawls/bad.yaml:6: extract.body: invalid XPath expression "//div[""#,
            "herald check: 6 problems found",
        ])
        #expect(lines.count > 4 && lines[4].hasPrefix(#"conf/crawls/bad.yaml:4: follow.allow: invalid regular expression "(unclosed""#))
        #expect(result.stdout.isEmpty)
    }

    @Test("a valid config and crawls: OK summary, exit 0; --crawls-dir and crawl arguments narrow the check")
    func valid() async throws {
        let dir = TestPaths.temporaryDirectory("herald-check")
        defer { try? FileManager.default.removeItem(at: dir) }
        try write("allow_private_networks: true\n", to: dir.appendingPathComponent("herald.yaml"))
        try write("schedule: every 15m\nfeeds: [https://a.example/rss]\n", to: dir.appendingPathComponent("crawls/alpha.yaml"))
        try write("schedule: '*/30 * * * *'\nstart: [https://b.example/]\n", to: dir.appendingPathComponent("crawls/beta.yaml"))
        try write("start: [gopher://x/]\n", to: dir.appendingPathComponent("other/broken.yaml"))

        let ok = try await herald(["check", "--config", "herald.yaml"], in: dir)
        #expect(ok.status == 0)
        #expect(ok.stderr.isEmpty)
        #expect(ok.stdout.contains("alpha (every 15m), beta (*/30 * * * *)"))

        let env = try await herald(["check", "--config", "herald.yaml", "--crawls-dir", "other"], in: dir)
        #expect(env.status == 2)
        #expect(env.stderr.hasPrefix("other/broken.yaml:1: start:"))

        let one = try await herald(["check", "--config", "herald.yaml", "alpha"], in: dir)
        #expect(one.status == 0)
        #expect(one.stdout.contains("1 in crawls: alpha"))
    }

    @Test("a --config file that does not exist is exit 2 naming it")
    func missingConfig() async throws {
        let dir = TestPaths.temporaryDirectory("herald-check")
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try await herald(["check", "--config", "nope.yaml"], in: dir)
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("nope.yaml: cannot read: no such file\n"))
    }

    @Test("the repository's Config/herald.yaml and Crawls/ pass herald check")
    func repository() async throws {
        let crawls = TestPaths.packageRoot.appendingPathComponent("Crawls")
        guard FileManager.default.fileExists(atPath: crawls.path) else { return }  // no crawls committed yet
        let files = try FileManager.default.contentsOfDirectory(atPath: crawls.path).filter { $0.hasSuffix(".yaml") }
        guard !files.isEmpty else { return }
        // Through the shipped config, whose crawls_dir reaches Crawls/ via the Config/crawls symlink.
        let result = try await herald(["check", "--config", "Config/herald.yaml"], in: TestPaths.packageRoot)
        #expect(result.stderr == "")
        #expect(result.status == 0)
        #expect(result.stdout.contains("crawls OK: \(files.count) in Config/crawls"))
    }
}
