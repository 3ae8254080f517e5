import Foundation
import HeraldCrawlLog
import HeraldTestSupport
import Testing

/// How the command line reads its arguments and names files, wherever it runs.
@Suite struct CommandLineTests {
    func configDirectory() throws -> URL {
        let dir = TestPaths.temporaryDirectory("herald-cli")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("crawls"), withIntermediateDirectories: true)
        try "crawls_dir: crawls\n".write(to: dir.appendingPathComponent("herald.yaml"), atomically: true, encoding: .utf8)
        return dir
    }

    /// `herald check` names the configuration file as it was given, also from `/` (where every
    /// path is "below" the working directory) and for a relative path outside it.
    @Test func checkNamesTheConfigurationAsGiven() async throws {
        let dir = try configDirectory()
        let config = dir.appendingPathComponent("herald.yaml").path
        // Run from `/` (the runner keeps its capture files in the directory it is given).
        let fromRoot = try await ChildProcess.run(URL(fileURLWithPath: "/bin/sh"),
                                                  ["-c", "cd / && exec \"$0\" check --config \"$1\"",
                                                   TestPaths.heraldBinary.path, config], in: dir)
        #expect(fromRoot.status == 0, "\(fromRoot.stderr)")
        #expect(fromRoot.stdout.hasPrefix("config OK: \(config)\n"), "\(fromRoot.stdout)")
        let sibling = dir.appendingPathComponent("work")
        try FileManager.default.createDirectory(at: sibling, withIntermediateDirectories: true)
        let relative = try await ChildProcess.run(TestPaths.heraldBinary, ["check", "--config", "../herald.yaml"], in: sibling)
        #expect(relative.stdout.hasPrefix("config OK: ../herald.yaml\n"), "\(relative.stdout)")
    }

    /// Without /proc (a chroot, some containers) the arguments still reach the command: it runs
    /// what it was asked, instead of printing the help and exiting 0. Needs root for a private
    /// mount namespace in which /proc is unmounted.
    @Test(.enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare")))
    func argumentsAreReadWithoutProc() async throws {
        let dir = try configDirectory()
        let script = "umount -l /proc && exec \"$0\" check --config \"$1\""
        let run = try await ChildProcess.run(URL(fileURLWithPath: "/usr/bin/unshare"),
                                             ["-m", "--propagation", "private", "sh", "-c", script,
                                              TestPaths.heraldBinary.path, dir.appendingPathComponent("herald.yaml").path],
                                             in: dir)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("config OK: "), "\(run.stdout)")
        #expect(!run.stdout.contains("OVERVIEW"))
    }
}

/// A user who may not read what a command needs is told so (path, group, what to do) and the
/// command exits 1, rather than reporting an empty history. Runs `herald` as `nobody`.
@Suite struct PermissionAnswerTests {
    @Test(.enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")))
    func logsRefusesWithThePathAndTheGroup() async throws {
        let dir = TestPaths.temporaryDirectory("herald-perm")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir.path)
        let logs = dir.appendingPathComponent("log")
        let log = CrawlLog(directory: logs)
        try log.startRun(crawl: "news", configDigest: "d").finish(outcome: .ok)
        try FileManager.default.setAttributes([.posixPermissions: 0o750], ofItemAtPath: logs.path)

        let asNobody = try await ChildProcess.run(URL(fileURLWithPath: "/usr/bin/setpriv"),
                                                  ["--reuid=65534", "--regid=65534", "--clear-groups",
                                                   TestPaths.heraldBinary.path, "logs", "--log-dir", logs.path],
                                                  in: dir)
        #expect(asNobody.status == 1, "\(asNobody.stdout) \(asNobody.stderr)")
        #expect(asNobody.stderr.contains("cannot read the crawl logs \(logs.path): permission denied"), "\(asNobody.stderr)")
        #expect(asNobody.stderr.contains("group \"root\""))
        #expect(!asNobody.stdout.contains("no runs"))

        // Behind a directory nobody may enter, the same answer names that directory.
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: dir.path)
        let behind = try await ChildProcess.run(URL(fileURLWithPath: "/usr/bin/setpriv"),
                                                ["--reuid=65534", "--regid=65534", "--clear-groups",
                                                 TestPaths.heraldBinary.path, "logs", "--log-dir", logs.path],
                                                in: TestPaths.temporaryDirectory("herald-perm-cwd"))
        #expect(behind.status == 1 && behind.stderr.contains("(\(dir.path) may not be entered)"), "\(behind.stderr)")
    }

    /// An installation laid out as the package does: directories of group root, mode 0750,
    /// a configuration anyone may read.
    private func closedInstallation() throws -> URL {
        let dir = TestPaths.temporaryDirectory("herald-perm-install")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir.path)
        for sub in ["log", "spool/new", "state", "run", "crawls"] {
            try FileManager.default.createDirectory(at: dir.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        for sub in ["log", "spool", "state", "run"] {
            try FileManager.default.setAttributes([.posixPermissions: 0o750], ofItemAtPath: dir.appendingPathComponent(sub).path)
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir.appendingPathComponent("crawls").path)
        try """
            spool_dir: spool
            state_dir: state
            log_dir: log
            crawls_dir: crawls
            control_socket: run/control.sock
            """.write(to: dir.appendingPathComponent("herald.yaml"), atomically: true, encoding: .utf8)
        try "start: [http://127.0.0.1:9/]\narticles: {allow: ['/a/']}\n"
            .write(to: dir.appendingPathComponent("crawls/news.yaml"), atomically: true, encoding: .utf8)
        for file in ["herald.yaml", "crawls/news.yaml"] {
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: dir.appendingPathComponent(file).path)
        }
        return dir
    }

    private func asNobody(_ arguments: [String], in dir: URL) async throws -> ChildProcess.Exit {
        try await ChildProcess.run(URL(fileURLWithPath: "/usr/bin/setpriv"),
                                   ["--reuid=65534", "--regid=65534", "--clear-groups", TestPaths.heraldBinary.path]
                                       + arguments + ["--config", dir.appendingPathComponent("herald.yaml").path],
                                   in: dir)
    }

    @Test(.enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")))
    func statusRefusesInsteadOfSayingNever() async throws {
        let dir = try closedInstallation()
        let status = try await asNobody(["status"], in: dir)
        #expect(status.status == 1, "\(status.stdout) \(status.stderr)")
        for (what, path) in [("use the daemon's control socket", "run/control.sock"), ("read the crawl logs", "log"),
                             ("read the spool", "spool/new")] {
            #expect(status.stderr.contains("cannot \(what) \(dir.appendingPathComponent(path).path): permission denied"),
                    "\(status.stderr)")
        }
        #expect(status.stderr.contains("group \"root\""))
        #expect(!status.stdout.contains("never") && !status.stdout.contains("does not exist yet"), "\(status.stdout)")
    }

    @Test(.enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")))
    func crawlRefusesInsteadOfCrawlingBesideTheDaemon() async throws {
        let dir = try closedInstallation()
        let crawl = try await asNobody(["crawl", "news"], in: dir)
        #expect(crawl.status == 1, "\(crawl.stdout) \(crawl.stderr)")
        #expect(crawl.stderr.contains("herald crawl: cannot use the daemon's control socket \(dir.appendingPathComponent("run/control.sock").path): permission denied"),
                "\(crawl.stderr)")
        #expect(crawl.stderr.contains("(\(dir.appendingPathComponent("run").path) may not be entered)"))
        // No foreground run was attempted: nothing was written anywhere.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("state").path).isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("log").path).isEmpty)

        // With the socket's directory open but the state closed, the foreground run refuses too.
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir.appendingPathComponent("run").path)
        let local = try await asNobody(["crawl", "news"], in: dir)
        #expect(local.status == 1 && local.stderr.contains("cannot use the state \(dir.appendingPathComponent("state").path): permission denied"),
                "\(local.stderr)")
    }
}
