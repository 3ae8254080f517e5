import ArgumentParser
import Foundation
import HeraldConfig
import HeraldDaemon
import HeraldMetrics
import Logging

/// `herald run`: the daemon. Schedules every crawl in crawls_dir, serves the control socket,
/// reloads on SIGHUP and stops gracefully on SIGTERM/SIGINT; speaks sd_notify under systemd.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the daemon: schedule every crawl, serve herald crawl/status.",
        discussion: """
            Runs each crawl of crawls_dir on its schedule (every 15m, or cron, with a little \
            jitter); a crawl never overlaps itself, a schedule missed while the daemon was down \
            runs once, an interrupted run resumes at start-up. Serves the control socket that \
            herald crawl hands runs to and herald status reads. SIGHUP reloads the configuration \
            and crawl definitions (a broken file is logged as file:line and its previous version \
            kept); SIGTERM/SIGINT stop new work, interrupt runs in flight (checkpointed, resumed \
            at the next start) and exit 0 within shutdown_grace. With NOTIFY_SOCKET set (systemd \
            Type=notify) it sends READY=1, STATUS=, WATCHDOG=1, RELOADING=1 and STOPPING=1. \
            Diagnostics go to stderr (journald priorities under systemd); crawl history goes to \
            the crawl log (herald logs). Exit status: 0 after a graceful stop, 1 when it cannot \
            start (state unusable, another daemon serves the control socket), 2 for a \
            configuration error.
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var paths: PathOptions

    func run() async throws {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let location = ConfigLocation.find(flag: global.config, currentDirectory: cwd)
        let overrides = paths.overrides
        let configuration: HeraldConfiguration
        do {
            configuration = try HeraldConfiguration.load(location).overriding(overrides, currentDirectory: cwd)
        } catch {
            var err = StandardError()
            for problem in error.problems { print(problem, to: &err) }
            throw ExitCode(2)
        }

        LoggingSystem.bootstrap { JournalLogHandler(label: $0) }
        let logger = Logger(label: "herald")
        // Kept for the process's life (a reload cannot move the endpoint), fed by every launcher.
        let metrics = configuration.metricsListen == nil ? nil : CrawlMetrics(configuration: configuration)
        let daemon = CrawlDaemon(
            configuration: configuration,
            reload: { try HeraldConfiguration.load(location).overriding(overrides, currentDirectory: cwd) },
            makeLauncher: {
                try EngineLauncher(configuration: $0, observer: metrics) { pass in
                    switch pass {
                    case .success(let pass): logger.info("\(pass)")
                    case .failure(let error): logger.error("state pruning failed (tried again in an hour): \(error)")
                    }
                }
            },
            notifier: ServiceNotifier(), logger: logger, metrics: metrics)
        do {
            try await CrawlDaemon.serve(daemon, shutdownGrace: configuration.shutdownGrace, logger: logger)
        } catch {
            logger.critical("cannot run: \(error)")
            throw ExitCode(1)
        }
    }
}
