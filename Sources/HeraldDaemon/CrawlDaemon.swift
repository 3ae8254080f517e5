import Foundation
import HeraldConfig
import HeraldCrawlLog
import HeraldFormats
import HeraldMetrics
import Logging
import ServiceLifecycle
import UnixSignals

/// `herald run`: the daemon as a swift-service-lifecycle `Service`. It schedules every crawl in
/// crawls_dir, runs them through a `CrawlLauncher`, serves the control socket (`herald crawl`
/// hand-offs, `herald status`), reloads on SIGHUP and speaks sd_notify.
///
/// Promises: two runs of one crawl never overlap (the hand-off of a crawl already running
/// follows that run); graceful shutdown (SIGTERM/SIGINT through the `ServiceGroup`, or
/// `requestShutdown()`) starts nothing new, cancels the runs in flight, which end as
/// `interrupted` after checkpointing, and returns within `shutdown_grace`; a broken file on
/// reload is logged as `file:line: message` and the previous version stays in force.
/// An actor: all state changes are serialized.
public actor CrawlDaemon: Service {
    public typealias ConfigurationLoader = @Sendable () throws -> HeraldConfiguration
    public typealias LauncherFactory = @Sendable (HeraldConfiguration) throws -> any CrawlLauncher

    /// A run in progress.
    struct ActiveRun: Sendable {
        let definition: CrawlDefinition
        let maxPages: Int?
        let launcher: any CrawlLauncher
        let broadcast: RunBroadcast
        let started: Date
    }

    private var configuration: HeraldConfiguration
    private let loadConfiguration: ConfigurationLoader
    private let makeLauncher: LauncherFactory
    private var launcher: (any CrawlLauncher)?
    /// Launchers of previous configurations, shut down once their last run ends.
    private var retired: [any CrawlLauncher] = []
    private let notifier: ServiceNotifier
    private let logger: Logger
    private var scheduler: CrawlScheduler
    private var runs: [String: ActiveRun] = [:]
    private var problems: [ConfigProblem] = []
    private var control: ControlServer?
    /// What the metrics endpoint serves; nil when the process keeps no metrics.
    private let metrics: CrawlMetrics?
    private var metricsEndpoint: MetricsEndpoint?
    private var stopping = false
    /// Runs to start as children of the daemon's task group; finished when shutdown begins.
    private let launches = AsyncStream<ActiveRun>.makeStream()
    /// Finished when the daemon's work is over, or when the grace period is.
    private let workEnded = AsyncStream<Void>.makeStream()
    private var graceTimer: Task<Void, Never>?
    private let startedAt = Date()
    private var lastStatusLine = ""
    private var lastStatusSent = ContinuousClock.now

    /// - Parameters:
    ///   - configuration: the configuration loaded at start-up.
    ///   - reload: loads the configuration again (SIGHUP); throws `ConfigurationError`.
    ///   - makeLauncher: builds the crawl engine for a configuration (state store, spool
    ///     recovery, fetcher); called at start-up and when a reload changes the configuration.
    ///   - metrics: the metrics the launchers' runs feed; served on `metrics_listen` (when
    ///     set), told of the schedule and of the crawl log's history.
    public init(configuration: HeraldConfiguration, reload: @escaping ConfigurationLoader,
                makeLauncher: @escaping LauncherFactory, notifier: ServiceNotifier = ServiceNotifier(),
                logger: Logger = Logger(label: "herald"), scheduler: CrawlScheduler = CrawlScheduler(),
                metrics: CrawlMetrics? = nil) {
        self.configuration = configuration
        self.metrics = metrics
        self.loadConfiguration = reload
        self.makeLauncher = makeLauncher
        self.notifier = notifier
        self.logger = logger
        self.scheduler = scheduler
    }

    // MARK: Service

    public func run() async throws {
        // Trap SIGHUP before anything else: its default action would kill the daemon.
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        try startUp()
        // In a task of its own, which this one stops waiting for when the grace period is over:
        // a run deaf to cancellation is left behind, to be resumed at the next start, rather
        // than hold the process (a structured child could not be left).
        Task { await work(hangups: hangups) }
        await withGracefulShutdownHandler {
            // Until the work is over, the grace period is, or this task is cancelled.
            for await _ in workEnded.stream {}
        } onGracefulShutdown: { [self] in
            Task { await self.requestShutdown() }
        }
        await shutDown()
    }

    /// Everything the daemon does, as one task group: the watchdog, SIGHUP, the schedule, and
    /// each run as a child; returns when shutdown has cancelled them all and they have ended.
    private func work(hangups: UnixSignalsSequence) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.keepAlive() }
            group.addTask { [self] in
                for await _ in hangups { await self.reload() }
            }
            group.addTask { await self.scheduleLoop() }
            for await run in launches.stream {
                group.addTask { await self.execute(run) }
            }
            // Shutdown ended the launches: the runs stop fetching, checkpoint and end their logs
            // as interrupted.
            group.cancelAll()
        }
        workEnded.continuation.finish()
    }

    /// Starts a graceful shutdown (what SIGTERM does): no new runs, the runs in flight are
    /// cancelled, and `run()` returns when they have ended, within `shutdown_grace`.
    public func requestShutdown() {
        guard !stopping else { return }
        stopping = true
        // STOPPING=1 is the last notification: it carries the final status line, and neither
        // the watchdog nor status updates send anything after it.
        try? notifier.send(["STOPPING=1", "STATUS=\(statusLine())"])
        control?.stop()
        logger.info("stopping", metadata: ["running": "\(runs.count)",
                                           "grace": "\(DurationSyntax.format(configuration.shutdownGrace))"])
        launches.continuation.finish()
        // Leave a margin inside the grace period for flushing and exiting.
        let grace = configuration.shutdownGrace
        let wait = grace - min(Duration.seconds(1), grace / 5)
        graceTimer = Task { [workEnded] in
            try? await Task.sleep(for: wait)
            workEnded.continuation.finish()
        }
    }

    /// Runs `daemon` in a `ServiceGroup` until SIGTERM or SIGINT has shut it down gracefully
    /// (or it failed to start, which is rethrown).
    public static func serve(_ daemon: CrawlDaemon, shutdownGrace: Duration, logger: Logger) async throws {
        var configuration = ServiceGroupConfiguration(services: [daemon],
                                                      gracefulShutdownSignals: [.sigterm, .sigint],
                                                      logger: logger)
        // A backstop: the daemon itself returns a little before the grace period is over.
        configuration.maximumGracefulShutdownDuration = shutdownGrace
        try await ServiceGroup(configuration: configuration).run()
    }

    // MARK: Start-up

    private func startUp() throws {
        // The socket first: a second daemon stops here, before touching state or spool.
        // Requests wait for the actor, so none is served before start-up is complete.
        control = try ControlServer(path: configuration.controlSocket.path) { [weak self] request, reply in
            await self?.handle(request, reply: reply)
        }
        // Runs whose process died (kill -9, power loss) are closed first, so that the history
        // the schedule starts from, and `herald logs`, show them as interrupted.
        let log = CrawlLog(directory: configuration.logDirectory)
        do {
            for run in try log.closeAbandonedRuns() {
                logger.notice("closed abandoned run as interrupted", metadata: ["crawl": "\(run.crawl)", "run": "\(run.id)"])
            }
        } catch {
            logger.warning("cannot read the crawl log index", metadata: ["error": "\(error)"])
        }
        let catalog = CrawlDirectory.load(configuration.crawlsDirectory)
        report(catalog.problems, keeping: false)
        problems = catalog.problems
        // The metrics next, complete from their first scrape (the last successes from the
        // crawl log, the schedule periods); a port in use fails the start before any state or
        // spool is touched.
        if let metrics, let address = configuration.metricsListen {
            do {
                try metrics.recordHistory(from: log)
            } catch {
                logger.warning("cannot read the last runs for the metrics", metadata: ["error": "\(error)"])
            }
            metrics.scheduled(catalog.definitions)
            do {
                let endpoint = try MetricsEndpoint.start(on: address, serving: metrics)
                metricsEndpoint = endpoint
                logger.info("serving metrics", metadata: ["metrics_listen": "\(endpoint.address)"])
            } catch {
                control?.stop()
                throw error
            }
        }
        do {
            launcher = try makeLauncher(configuration)
        } catch {
            control?.stop()
            throw error
        }
        scheduler.update(definitions: catalog.definitions, history: history(), now: Date())
        logger.info("started", metadata: [
            "crawls": "\(catalog.definitions.map(\.name).joined(separator: ","))",
            "control_socket": "\(configuration.controlSocket.path)",
        ])
        startDueRuns()
        lastStatusLine = statusLine()
        try? notifier.ready(status: lastStatusLine)
    }

    /// The newest run of every crawl, from the crawl log's index.
    private func history() -> [String: CrawlScheduler.LastRun] {
        let log = CrawlLog(directory: configuration.logDirectory)
        guard let latest = try? log.latestRuns() else { return [:] }
        var result: [String: CrawlScheduler.LastRun] = [:]
        for run in latest {
            let interrupted = run.outcome == .interrupted || (run.outcome == nil && !log.isRunning(run))
            result[run.crawl] = .init(start: run.start, interrupted: interrupted)
        }
        return result
    }

    // MARK: Scheduling

    private func scheduleLoop() async {
        while !stopping && !Task.isCancelled {
            startDueRuns()
            // Page counts change all the time: refresh them every few seconds only.
            publishStatus(onlyIfOlderThan: .seconds(5))
            let wait = scheduler.nextDue().map { $0.timeIntervalSinceNow } ?? 1
            // Short naps: a due time that a reload moved earlier is noticed promptly.
            let nap = min(max(wait, 0.01), 0.5)
            try? await Task.sleep(for: .milliseconds(Int(nap * 1000)))
        }
    }

    private func startDueRuns() {
        guard !stopping else { return }
        for definition in scheduler.dueCrawls(now: Date()) where runs[definition.name] == nil {
            _ = start(definition, maxPages: nil, scheduled: true)
        }
    }

    /// Starts a run unless one of the crawl is in progress; returns the broadcast of the run
    /// that is now going and whether it was already going.
    private func start(_ definition: CrawlDefinition, maxPages: Int?, scheduled: Bool) -> (RunBroadcast, Bool)? {
        if let active = runs[definition.name] { return (active.broadcast, true) }
        guard !stopping, let launcher else { return nil }
        let now = Date()
        scheduler.markStarted(definition.name, now: now, scheduled: scheduled)
        logger.info("run starting", metadata: ["crawl": "\(definition.name)", "trigger": "\(scheduled ? "schedule" : "request")"])
        let run = ActiveRun(definition: definition, maxPages: maxPages, launcher: launcher,
                            broadcast: RunBroadcast(), started: now)
        runs[definition.name] = run
        launches.continuation.yield(run)
        publishStatus()
        return (run.broadcast, false)
    }

    /// One run, as a child task of `work`: off the actor, which it enters only to record the end.
    private nonisolated func execute(_ run: ActiveRun) async {
        let report = await run.launcher.run(run.definition, maxPages: run.maxPages) { progress in
            run.broadcast.publish(progress)
        }
        run.broadcast.finish(report)
        await finished(run.definition.name, report: report)
    }

    private func finished(_ name: String, report: RunReport) {
        runs[name] = nil
        retireIdleLaunchers()
        scheduler.markFinished(name, now: Date())
        var metadata: Logger.Metadata = ["crawl": "\(name)", "outcome": "\(report.outcome)",
                                         "pages": "\(report.pages)", "new": "\(report.new)",
                                         "duplicates": "\(report.duplicates)", "errors": "\(report.errors)"]
        if let id = report.runID { metadata["run"] = "\(id)" }
        if let message = report.message { metadata["reason"] = "\(message)" }
        if report.outcome == .failed {
            logger.error("run failed", metadata: metadata)
        } else if report.outcome == .busy {
            logger.notice("run skipped: the crawl is already running in another process", metadata: metadata)
        } else {
            logger.info("run ended", metadata: metadata)
        }
        publishStatus()
    }

    // MARK: Reload (SIGHUP)

    /// Re-reads the configuration and the crawl definitions. A broken configuration file keeps
    /// the running configuration; a broken crawl file keeps that crawl's previous definition.
    public func reload() {
        guard !stopping else { return }
        try? notifier.reloading()
        logger.info("reloading configuration and crawl definitions")
        var reloadProblems: [ConfigProblem] = []
        do {
            var fresh = try loadConfiguration()
            if fresh.controlSocket != configuration.controlSocket {
                logger.warning("control_socket changes take effect at the next start",
                               metadata: ["control_socket": "\(configuration.controlSocket.path)"])
                fresh.controlSocket = configuration.controlSocket
            }
            if fresh.metricsListen != configuration.metricsListen {
                logger.warning("metrics_listen changes take effect at the next start",
                               metadata: ["metrics_listen": "\(configuration.metricsListen.map { "\($0)" } ?? "")"])
                fresh.metricsListen = configuration.metricsListen
            }
            if fresh.shutdownGrace != configuration.shutdownGrace {
                // The service group's shutdown bound was set at start-up.
                logger.warning("shutdown_grace changes take effect at the next start",
                               metadata: ["shutdown_grace": "\(DurationSyntax.format(configuration.shutdownGrace))"])
                fresh.shutdownGrace = configuration.shutdownGrace
            }
            if fresh != configuration {
                do {
                    // Runs in flight finish with the engine they started with.
                    let next = try makeLauncher(fresh)
                    if let old = launcher { retired.append(old) }
                    launcher = next
                    configuration = fresh
                    metrics?.watch(fresh)
                    retireIdleLaunchers()
                } catch {
                    logger.error("cannot apply the new configuration; keeping the previous one", metadata: ["error": "\(error)"])
                    reloadProblems.append(ConfigProblem(file: "configuration", line: nil, message: "\(error)"))
                }
            }
        } catch let error as ConfigurationError {
            for problem in error.problems {
                logger.error("\(problem.description) (keeping the previous configuration)")
            }
            reloadProblems += error.problems
        } catch {
            logger.error("cannot reload the configuration: \(error) (keeping the previous one)")
        }

        let catalog = CrawlDirectory.load(configuration.crawlsDirectory)
        let previous = scheduler.entries.values.map(\.definition)
        let definitions: [CrawlDefinition]
        if catalog.definitions.isEmpty && catalog.brokenFiles.isEmpty && !catalog.problems.isEmpty {
            // The directory itself is unreadable: keep everything rather than stop crawling.
            definitions = previous
            report(catalog.problems, keeping: true)
        } else {
            definitions = catalog.definitions(keeping: previous)
            report(catalog.problems, keeping: true)
        }
        reloadProblems += catalog.problems
        problems = reloadProblems
        scheduler.update(definitions: definitions, history: history(), now: Date())
        metrics?.scheduled(definitions)
        logger.info("reloaded", metadata: ["crawls": "\(definitions.map(\.name).joined(separator: ","))",
                                           "problems": "\(reloadProblems.count)"])
        lastStatusLine = statusLine()
        try? notifier.ready(status: lastStatusLine)
    }

    private func report(_ problems: [ConfigProblem], keeping: Bool) {
        for problem in problems {
            logger.error("\(problem.description)\(keeping ? " (keeping the previous definition)" : "")")
        }
    }

    // MARK: Shutdown

    private func shutDown() async {
        requestShutdown()
        graceTimer?.cancel()
        if !runs.isEmpty {
            logger.warning("grace period over; leaving unfinished runs to be resumed at the next start",
                           metadata: ["crawls": "\(runs.keys.sorted().joined(separator: ","))"])
        }
        await metricsEndpoint?.stop()
        launcher?.shutdown()
        for old in retired { old.shutdown() }
        retired = []
        logger.info("stopped")
    }

    private func retireIdleLaunchers() {
        retired.removeAll { old in
            guard !runs.values.contains(where: { $0.launcher === old }) else { return false }
            old.shutdown()
            return true
        }
    }

    // MARK: sd_notify

    /// `WATCHDOG=1` every half `WATCHDOG_USEC` until shutdown begins. On the actor, so no
    /// keep-alive can slip in after `STOPPING=1`.
    private func keepAlive() async {
        guard let interval = notifier.watchdogInterval else { return }
        while !stopping && !Task.isCancelled {
            try? notifier.watchdog()
            try? await Task.sleep(for: interval)
        }
    }

    /// One line for `systemctl status`: crawls, what runs, what is next.
    func statusLine(now: Date = Date()) -> String {
        let count = scheduler.entries.count
        var parts = ["\(count) crawl\(count == 1 ? "" : "s")"]
        if stopping { parts.append("stopping") }
        if !runs.isEmpty {
            let running = runs.keys.sorted().map { name -> String in
                let pages = runs[name]?.broadcast.latestProgress?.pages
                return pages.map { "\(name) (\($0) pages)" } ?? name
            }
            parts.append("running: " + running.joined(separator: ", "))
        }
        if let next = scheduler.entries.values.filter({ !$0.isRunning }).min(by: { $0.due < $1.due }) {
            parts.append("next: \(next.name) at \(Timestamp.localClock(next.due))")
        }
        return parts.joined(separator: "; ")
    }

    /// Sends the status line if it changed (and, with `onlyIfOlderThan`, if the last one is
    /// at least that old).
    private func publishStatus(onlyIfOlderThan age: Duration? = nil) {
        guard !stopping else { return }
        if let age, ContinuousClock.now - lastStatusSent < age { return }
        let line = statusLine()
        guard line != lastStatusLine else { return }
        lastStatusLine = line
        lastStatusSent = .now
        try? notifier.status(line)
    }

    // MARK: Control socket

    /// What `status` answers.
    public func status() -> DaemonStatus {
        var crawls: [DaemonStatus.Crawl] = scheduler.entries.values.sorted { $0.name < $1.name }.map { entry in
            let active = runs[entry.name]
            return DaemonStatus.Crawl(name: entry.name, schedule: entry.definition.schedule.description,
                                      nextRun: active == nil && !stopping ? entry.due : nil,
                                      runningSince: active?.started,
                                      runID: active?.broadcast.latestProgress?.runID,
                                      pages: active?.broadcast.latestProgress?.pages,
                                      file: entry.definition.file?.path)
        }
        for (name, active) in runs where scheduler.entry(name) == nil {
            crawls.append(DaemonStatus.Crawl(name: name, schedule: "one-off", nextRun: nil,
                                             runningSince: active.started,
                                             runID: active.broadcast.latestProgress?.runID,
                                             pages: active.broadcast.latestProgress?.pages,
                                             file: active.definition.file?.path))
        }
        return DaemonStatus(pid: ProcessInfo.processInfo.processIdentifier, startedAt: startedAt,
                            crawls: crawls, problems: problems.map(\.description), stopping: stopping)
    }

    /// Serves one control request. Never throws: every bad request gets an `error` line.
    func handle(_ request: ControlRequest, reply: ControlReply) async {
        switch request {
        case .ping:
            reply.send(.pong(pid: ProcessInfo.processInfo.processIdentifier))
        case .status:
            reply.send(.status(status()))
        case .crawl(let argument, let maxPages):
            await handleCrawl(argument, maxPages: maxPages, reply: reply)
        }
    }

    private func handleCrawl(_ argument: String, maxPages: Int?, reply: ControlReply) async {
        guard !argument.isEmpty, argument.utf8.count <= 4096,
              !argument.contains(where: { $0.isNewline || $0 == "\0" }) else {
            reply.send(.error(.init("crawl request without a valid crawl name or path")))
            return
        }
        if let maxPages, maxPages < 1 {
            reply.send(.error(.init("max_pages must be at least 1, not \(maxPages)")))
            return
        }
        let shuttingDown = ControlResponse.error(.init("the daemon is shutting down", exitStatus: 1))
        if stopping {
            reply.send(shuttingDown)
            return
        }
        let definition: CrawlDefinition
        switch resolve(argument) {
        case .success(let found): definition = found
        case .failure(let message):
            // Exit status 2, as `herald crawl` gives for a definition it cannot use.
            reply.send(.error(.init(message, exitStatus: 2)))
            return
        }
        guard let (broadcast, alreadyRunning) = start(definition, maxPages: maxPages, scheduled: false) else {
            reply.send(shuttingDown)
            return
        }
        reply.send(.accepted(.init(crawl: definition.name, pid: ProcessInfo.processInfo.processIdentifier,
                                   message: alreadyRunning ? "a run of \(definition.name) is already in progress; following it" : nil)))
        await Self.follow(broadcast, reply: reply)
    }

    /// Streams a run's progress and report to one client until the run ends or the client
    /// leaves (the run goes on without it).
    private nonisolated static func follow(_ broadcast: RunBroadcast, reply: ControlReply) async {
        for await event in broadcast.follow() {
            switch event {
            case .progress(let progress):
                if !reply.send(.progress(progress)) { return }
            case .finished(let report):
                reply.send(.end(report))
                return
            }
        }
    }

    private enum Resolution {
        case success(CrawlDefinition)
        case failure(String)
    }

    /// The definition a request names: an absolute path to a definition file (what `herald
    /// crawl` sends: the file as it is now, even if not reloaded yet), or the name of a crawl
    /// (scheduled here, else a file in crawls_dir).
    private func resolve(_ argument: String) -> Resolution {
        let lower = argument.lowercased()
        let isPath = argument.hasPrefix("/") && (lower.hasSuffix(".yaml") || lower.hasSuffix(".yml"))
        if !isPath, let entry = scheduler.entry(argument) { return .success(entry.definition) }
        guard isPath || !argument.contains("/") else {
            return .failure("a crawl is named by its name or by the absolute path of its .yaml file, not \"\(argument)\"")
        }
        let url = isPath ? URL(fileURLWithPath: argument)
            : CrawlDirectory.locate(argument, crawlsDirectory: configuration.crawlsDirectory)
        guard FileManager.default.fileExists(atPath: url.path) else {
            let known = scheduler.entries.keys.sorted()
            return .failure(isPath ? "\(url.path): no such file"
                : "no crawl named \"\(argument)\" in \(configuration.crawlsDirectory.path)"
                  + (known.isEmpty ? "" : " (known: \(known.joined(separator: ", ")))"))
        }
        do {
            return .success(try CrawlDefinition.load(from: url))
        } catch {
            return .failure(error.problems.map(\.description).joined(separator: "\n"))
        }
    }
}
