import Foundation
import HeraldTestSupport
import Testing

/// systemd-analyze, which works without systemd running as PID 1.
private let analyzer: String? = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"]
    .first { FileManager.default.isExecutableFile(atPath: $0) }

/// The shipped unit files, checked with systemd's own tools (`systemd-analyze`, which works
/// without systemd running as PID 1).
@Suite("systemd units", .enabled(if: analyzer != nil, "systemd-analyze is not installed"))
struct SystemdUnitTests {
    static let unitNames = ["herald.service", "herald-crawl@.service", "herald-crawl@.timer"]

    /// Copies of the units whose ExecStart names a binary that exists here (`verify` fails on a
    /// missing one): the built herald if present, else /bin/true.
    static func stagedUnits(editing edit: (String, String) -> String = { _, text in text }) throws -> URL {
        let dir = TestPaths.temporaryDirectory("units")
        let binary = FileManager.default.isExecutableFile(atPath: TestPaths.heraldBinary.path)
            ? TestPaths.heraldBinary.path : "/bin/true"
        for name in unitNames {
            let source = TestPaths.packageRoot.appendingPathComponent("systemd").appendingPathComponent(name)
            let text = try String(contentsOf: source, encoding: .utf8)
                .replacingOccurrences(of: "/usr/local/bin/herald", with: binary)
            try edit(name, text).write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return dir
    }

    /// Runs systemd-analyze; `output` is what it printed on stdout and stderr.
    static func analyze(_ arguments: [String], in dir: URL) async throws -> (status: Int32, output: String) {
        let exit = try await ChildProcess.run(URL(fileURLWithPath: analyzer!), arguments, in: dir)
        return (exit.status, exit.stdout + exit.stderr)
    }

    @Test("systemd-analyze verify accepts every shipped unit without a single warning",
          arguments: unitNames)
    func verify(unit: String) async throws {
        let dir = try Self.stagedUnits()
        let result = try await Self.analyze(["verify", dir.appendingPathComponent(unit).path], in: dir)
        #expect(result.output == "", "systemd-analyze verify \(unit) printed:\n\(result.output)")
        #expect(result.status == 0)
    }

    @Test("the verify check catches a bad key (so the test above can fail)")
    func verifyCatchesMistakes() async throws {
        let dir = try Self.stagedUnits { name, text in
            name == "herald.service" ? text.replacingOccurrences(of: "ProtectHome=yes", with: "ProtectHomes=yes") : text
        }
        let result = try await Self.analyze(["verify", dir.appendingPathComponent("herald.service").path], in: dir)
        #expect(result.output.contains("ProtectHomes"))
    }

    @Test("systemd-analyze security rates each service's exposure 2.0 or lower",
          arguments: ["herald.service", "herald-crawl@.service"])
    func security(unit: String) async throws {
        let dir = try Self.stagedUnits()
        let result = try await Self.analyze(["security", "--offline=true", "--threshold=20", "--no-pager",
                                       dir.appendingPathComponent(unit).path], in: dir)
        let overall = try #require(result.output.split(separator: "\n").first { $0.contains("Overall exposure level") },
                                   "no overall rating in:\n\(result.output)")
        let score = overall.split(separator: ":").last?.split(separator: " ").first.flatMap { Double($0) }
        #expect(score != nil && score! <= 2.0, "\(overall)")
        #expect(result.status == 0, "above --threshold=20:\n\(overall)")
    }

    @Test("herald.sysusers creates the user and group the units run as; herald.tmpfiles the spool")
    func sysusersAndTmpfiles() async throws {
        let root = TestPaths.temporaryDirectory("sysroot")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("etc"), withIntermediateDirectories: true)
        for file in ["etc/passwd", "etc/group"] {
            _ = FileManager.default.createFile(atPath: root.appendingPathComponent(file).path, contents: Data())
        }
        func run(_ tool: String, _ file: String, _ extra: [String] = []) async throws -> Int32 {
            try #require(FileManager.default.isExecutableFile(atPath: tool))
            return try await ChildProcess.run(URL(fileURLWithPath: tool), ["--root=\(root.path)"] + extra
                + [TestPaths.packageRoot.appendingPathComponent("systemd").appendingPathComponent(file).path]).status
        }
        #expect(try await run("/usr/bin/systemd-sysusers", "herald.sysusers") == 0)
        #expect(try await run("/usr/bin/systemd-tmpfiles", "herald.tmpfiles", ["--create"]) == 0)
        let spool = try FileManager.default.attributesOfItem(atPath: root.appendingPathComponent("var/spool/herald").path)
        #expect((spool[.posixPermissions] as? Int) == 0o2770)
        let passwd = try String(contentsOf: root.appendingPathComponent("etc/passwd"), encoding: .utf8)
        let group = try String(contentsOf: root.appendingPathComponent("etc/group"), encoding: .utf8)
        #expect(passwd.contains("herald:x:") && passwd.contains(":/var/lib/herald:"))
        #expect(group.hasPrefix("herald:x:"))
        let unit = try String(contentsOf: TestPaths.packageRoot.appendingPathComponent("systemd/herald.service"),
                              encoding: .utf8)
        #expect(unit.contains("\nUser=herald\n") && unit.contains("\nGroup=herald\n"))
    }

    @Test("the daemon unit speaks sd_notify, reloads with SIGHUP and runs the documented command")
    func daemonUnitContract() throws {
        let text = try String(contentsOf: TestPaths.packageRoot.appendingPathComponent("systemd/herald.service"),
                              encoding: .utf8)
        let lines = Set(text.split(separator: "\n").map(String.init))
        for expected in ["Type=notify", "NotifyAccess=main", "ExecReload=/bin/kill -HUP $MAINPID",
                         "ExecStart=/usr/local/bin/herald run --config /etc/herald/herald.yaml",
                         "Restart=on-failure", "StateDirectory=herald", "LogsDirectory=herald",
                         "RuntimeDirectory=herald", "CacheDirectory=herald"] {
            #expect(lines.contains(expected), "herald.service lacks \(expected)")
        }
    }
}
