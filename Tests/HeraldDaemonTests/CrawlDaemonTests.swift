import Foundation
import HeraldConfig
import HeraldCrawlLog
import HeraldTestSupport
import Logging
import Testing
@testable import HeraldDaemon

/// A crawl engine stand-in whose runs take a set time, so the daemon's own rules (no overlap,
/// hand-off, shutdown within the grace period) can be checked in milliseconds. The real engine
/// is exercised by `DaemonProcessTests`.
final class TimedLauncher: CrawlLauncher, @unchecked Sendable {
    struct Run: Equatable {
        var crawl: String
        var start: ContinuousClock.Instant
        var end: ContinuousClock.Instant
        var outcome: RunOutcome
    }

    let duration: Duration
    /// Runs that ignore cancellation (a stuck engine) until their time is up.
    let ignoresCancellation: Bool
    private let lock = NSLock()
    private var finished: [Run] = []
    private var shutdowns = 0

    init(duration: Duration, ignoresCancellation: Bool = false) {
        self.duration = duration
        self.ignoresCancellation = ignoresCancellation
    }

    var runs: [Run] { lock.withLock { finished } }
    var shutdownCount: Int { lock.withLock { shutdowns } }

    func run(_ definition: CrawlDefinition, maxPages: Int?,
             progress: @escaping @Sendable (RunProgress) -> Void) async -> RunReport {
        let start = ContinuousClock.now
        let id = "run-\(definition.name)-\(UUID().uuidString.prefix(4))"
        var outcome = RunOutcome.ok
        var pages = 0
        while ContinuousClock.now - start < duration {
            if Task.isCancelled && !ignoresCancellation { outcome = .interrupted; break }
            pages += 1
            progress(RunProgress(runID: id, pages: pages, new: 0, duplicates: 0, errors: 0, line: "\(definition.name): \(pages) pages"))
            if ignoresCancellation {
                // Sleeping through cancellation, as a stuck transfer would.
                await withCheckedContinuation { c in
                    DispatchQueue.global().asyncAfter(deadline: .now() + 0.02) { c.resume() }
                }
            } else {
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
        let end = ContinuousClock.now
        lock.withLock { finished.append(Run(crawl: definition.name, start: start, end: end, outcome: outcome)) }
        return RunReport(outcome: outcome, runID: id, exitStatus: outcome.exitStatus,
                         summary: "\(definition.name) (run \(id)): \(outcome), pages fetched \(pages)")
    }

    func shutdown() {
        lock.withLock { shutdowns += 1 }
    }
}

/// Collects what the daemon logs.
final class LogCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var text = ""
    var contents: String { lock.withLock { text } }

    func logger() -> Logger {
        Logger(label: "herald") { label in
            JournalLogHandler(label: label, style: .plain) { [self] line in lock.withLock { text += line } }
        }
    }
}

@Suite("CrawlDaemon: scheduling, hand-off, reload and shutdown in process")
struct CrawlDaemonTests {
    struct Setup {
        let daemon: CrawlDaemon
        let launcher: TimedLauncher
        let log: LogCapture
        let socket: String
        let crawls: URL
        let task: Task<Void, any Error>
    }

    /// A configuration in a fresh directory whose crawls (name: schedule) start at a closed port.
    static func configuration(crawls definitions: [String: String]) throws -> HeraldConfiguration {
        let root = TestPaths.temporaryDirectory("crawl-daemon")
        let crawls = root.appendingPathComponent("crawls")
        try FileManager.default.createDirectory(at: crawls, withIntermediateDirectories: true)
        for (name, schedule) in definitions {
            try "schedule: \"\(schedule)\"\nstart: [\"http://127.0.0.1:9/\"]\n"
                .write(to: crawls.appendingPathComponent("\(name).yaml"), atomically: true, encoding: .utf8)
        }
        var config = HeraldConfiguration.defaults(baseDirectory: root)
        config.logDirectory = root.appendingPathComponent("log")
        config.crawlsDirectory = crawls
        config.controlSocket = root.appendingPathComponent("control.sock")
        return config
    }

    func start(crawls definitions: [String: String], run: Duration, grace: Duration = .seconds(2),
               ignoresCancellation: Bool = false) async throws -> Setup {
        var config = try Self.configuration(crawls: definitions)
        let crawls = config.crawlsDirectory
        config.shutdownGrace = grace
        let frozen = config
        let launcher = TimedLauncher(duration: run, ignoresCancellation: ignoresCancellation)
        let log = LogCapture()
        let daemon = CrawlDaemon(configuration: config, reload: { frozen }, makeLauncher: { _ in launcher },
                                 notifier: ServiceNotifier(environment: [:]), logger: log.logger())
        let task = Task { try await daemon.run() }
        let socket = config.controlSocket.path
        let up = await eventually(within: .seconds(10)) { FileManager.default.fileExists(atPath: socket) }
        #expect(up, "the control socket appears")
        // The socket appears during start-up, which runs on the actor: this waits for the rest.
        _ = await daemon.status()
        return Setup(daemon: daemon, launcher: launcher, log: log, socket: socket, crawls: crawls, task: task)
    }

    @Test("a hand-off of a crawl in progress follows that run instead of starting a second one")
    func handOffFollowsRunningRun() async throws {
        let setup = try await start(crawls: ["a": "every 1h"], run: .milliseconds(600))
        // "every 1h" never ran: it starts at once, so the request finds it running.
        #expect(await eventually(within: .seconds(5)) { await setup.daemon.status().crawls.first?.runningSince != nil })
        let lines = try await exchange(setup.socket, .crawl("a", maxPages: nil))
        guard case .accepted(let accepted)? = lines.first, case .end(let report)? = lines.last else {
            Issue.record("accepted ... end expected: \(lines)")
            return
        }
        #expect(accepted.message?.contains("already in progress") == true)
        #expect(lines.dropFirst().dropLast().allSatisfy { $0.kind == .progress })
        #expect(report.exitStatus == 0)
        #expect(setup.launcher.runs.count == 1, "one run, not two")

        await setup.daemon.requestShutdown()
        try await setup.task.value
    }

    @Test("an idle crawl handed off runs at once with its summary; malformed requests get an error")
    func handOffStartsRun() async throws {
        let setup = try await start(crawls: ["a": "0 0 1 1 *"], run: .milliseconds(100))
        let before = await setup.daemon.status()
        #expect(before.crawls.map(\.name) == ["a"] && before.crawls[0].runningSince == nil)
        let lines = try await exchange(setup.socket, .crawl("a", maxPages: 5))
        guard case .end(let report)? = lines.last else {
            Issue.record("the run's end expected: \(lines)")
            return
        }
        #expect(report.summary.hasPrefix("a (run run-a-"))
        #expect(setup.launcher.runs.map(\.crawl) == ["a"])

        for bad in [ControlRequest.crawl("", maxPages: nil), .crawl("a", maxPages: 0),
                    .crawl("../../etc/passwd", maxPages: nil)] {
            let reply = try await exchange(setup.socket, bad)
            #expect(reply.map(\.kind) == [.error], "\(bad) -> \(reply)")
        }
        #expect(try await sendRaw(setup.socket, "{\"op\": \"explode\"}\n")
                == .error(.init("unknown op \"explode\" (expected status, crawl or ping)")))
        await setup.daemon.requestShutdown()
        try await setup.task.value
        #expect(setup.launcher.shutdownCount == 1, "the engine is shut down (state flushed) on exit")
    }

    @Test("shutdown cancels runs in flight, which end interrupted, and returns well inside the grace period")
    func shutdownCancelsRuns() async throws {
        let setup = try await start(crawls: ["a": "every 1h", "b": "every 1h"], run: .seconds(30))
        #expect(await eventually(within: .seconds(5)) { await setup.daemon.status().crawls.allSatisfy { $0.runningSince != nil } },
                "both crawls run at once")
        let asked = ContinuousClock.now
        await setup.daemon.requestShutdown()
        try await setup.task.value
        #expect(ContinuousClock.now - asked < .seconds(1))
        #expect(setup.launcher.runs.map(\.outcome) == [.interrupted, .interrupted])
    }

    @Test("a run that ignores cancellation does not hold the daemon past the grace period")
    func shutdownGraceIsABound() async throws {
        let setup = try await start(crawls: ["a": "every 1h"], run: .seconds(3), grace: .seconds(2), ignoresCancellation: true)
        #expect(await eventually(within: .seconds(5)) { await setup.daemon.status().crawls.first?.runningSince != nil })
        let asked = ContinuousClock.now
        await setup.daemon.requestShutdown()
        try await setup.task.value
        let took = ContinuousClock.now - asked
        #expect(took >= .seconds(1) && took < .seconds(2), "returned after \(took)")
        #expect(setup.log.contents.contains("grace period over"))
    }

    @Test("reload with a changed configuration builds a new engine; the old one is shut down once its run ends")
    func reloadSwapsEngine() async throws {
        var config = try Self.configuration(crawls: ["a": "every 1h"])
        let current = LockedBox(config)
        let built = LockedBox<[TimedLauncher]>([])
        let daemon = CrawlDaemon(configuration: config, reload: { current.value },
                                 makeLauncher: { _ in
                                     let launcher = TimedLauncher(duration: .milliseconds(400))
                                     built.mutate { $0.append(launcher) }
                                     return launcher
                                 },
                                 notifier: ServiceNotifier(environment: [:]), logger: LogCapture().logger())
        let task = Task { try await daemon.run() }
        #expect(await eventually(within: .seconds(5)) { await daemon.status().crawls.first?.runningSince != nil })

        config.userAgent = "herald-test/2"
        current.mutate { $0 = config }
        await daemon.reload()
        #expect(built.value.count == 2, "a new engine for the new configuration")
        #expect(built.value[0].shutdownCount == 0, "the old engine still serves the run in progress")
        #expect(await eventually(within: .seconds(5)) { built.value[0].shutdownCount == 1 }, "and is shut down after it")
        #expect(built.value[0].runs.count == 1)

        await daemon.reload()
        #expect(built.value.count == 2, "an unchanged configuration keeps the engine")
        await daemon.requestShutdown()
        try await task.value
        #expect(built.value[1].shutdownCount == 1)
    }

    @Test("reload: a broken file keeps its crawl's previous definition and is logged as file:line")
    func reloadKeepsOldDefinition() async throws {
        let setup = try await start(crawls: ["a": "0 0 1 1 *", "b": "0 0 1 1 *"], run: .milliseconds(50))
        try "schedule: \"every banana\"\nstart: [\"http://127.0.0.1:9/\"]\n"
            .write(to: setup.crawls.appendingPathComponent("a.yaml"), atomically: true, encoding: .utf8)
        try "schedule: \"0 0 2 1 *\"\nstart: [\"http://127.0.0.1:9/\"]\n"
            .write(to: setup.crawls.appendingPathComponent("b.yaml"), atomically: true, encoding: .utf8)
        await setup.daemon.reload()
        let status = await setup.daemon.status()
        #expect(status.crawls.map(\.schedule) == ["0 0 1 1 *", "0 0 2 1 *"])
        #expect(status.problems.count == 1 && status.problems[0].contains("a.yaml:1:"), "\(status.problems)")
        #expect(setup.log.contents.contains("a.yaml:1:"), "\(setup.log.contents)")
        #expect(setup.log.contents.contains("keeping the previous definition"))
        await setup.daemon.requestShutdown()
        try await setup.task.value
    }
}

/// A value shared between a test and the closures it hands the daemon.
final class LockedBox<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value { lock.withLock { stored } }
    func mutate(_ change: (inout Value) -> Void) { lock.withLock { change(&stored) } }
}
