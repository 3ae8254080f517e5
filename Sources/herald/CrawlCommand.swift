import ArgumentParser
import Dispatch
import Foundation
import HeraldConfig
import HeraldCrawl
import HeraldCrawlLog
import HeraldFormats
import HeraldMetrics
import Synchronization

/// `herald crawl NAME|PATH`: one crawl run in the foreground, with a progress line on a
/// terminal and a summary at the end. Exit status 0 when the run did its work (failed pages are
/// counted, not fatal), 1 when the run itself failed or was interrupted, 2 for usage and
/// configuration errors.
struct CrawlCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crawl",
        abstract: "Run one crawl in the foreground.",
        discussion: """
        Fetches the crawl's start pages, feeds and sitemaps, follows links per its rules, and \
        delivers new articles into the spool, logging every fetch in the crawl log (herald \
        logs). Shows a progress line on a terminal, then a summary: pages fetched, articles \
        new, duplicates, errors by kind, duration. Exit status: 0 the run did its work (pages \
        that failed are counted in the summary), 1 the run failed (nothing could be fetched, \
        the spool or state is unusable, another run of the crawl is in progress) or was \
        interrupted (SIGINT/SIGTERM), 2 usage or configuration error.
        """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var paths: PathOptions

    @Argument(help: "Crawl name (a file in crawls_dir) or path to a crawl definition file.")
    var crawl: String

    @Option(name: .long, help: "Fetch at most N pages (overrides limits.max_pages).")
    var maxPages: Int?

    @Flag(name: .long, help: "If this crawl is already running, wait for that run to end instead of failing.")
    var wait = false

    @Option(name: .long, help: ArgumentHelp(
        "Serve Prometheus metrics of this run on HOST:PORT/metrics while it runs (port 0: any free port). The run then stays in this process instead of going to a running daemon.",
        valueName: "HOST:PORT"))
    var metricsListen: String?

    func run() async throws {
        if let maxPages, maxPages < 1 { Self.usageError("--max-pages needs a positive number, not \(maxPages)") }
        var metricsAddress: ListenAddress?
        if let metricsListen {
            do throws(ValueSyntaxError) {
                metricsAddress = try ListenAddress(parsing: metricsListen)
            } catch {
                Self.usageError("--metrics-listen: \(error.message)")
            }
        }
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let config: HeraldConfiguration
        let definition: CrawlDefinition
        do {
            config = try HeraldConfiguration.load(configFlag: global.config, overrides: paths.overrides,
                                                  currentDirectory: cwd)
            let file = CrawlDirectory.locate(crawl, crawlsDirectory: config.crawlsDirectory, currentDirectory: cwd)
            definition = try CrawlDefinition.load(from: file, displayName: CheckCommand.display(file, cwd: cwd))
        } catch {
            var err = StandardError()
            for problem in error.problems { print(problem, to: &err) }
            throw ExitCode(2)
        }

        // A running daemon takes the run over its control socket; the command follows it.
        // Not when this process is to serve the run's metrics: the daemon serves its own.
        if !paths.redirectsData, metricsAddress == nil, let file = definition.file,
           let status = await DaemonHandoff.run(definitionFile: file, config: config, maxPages: maxPages) {
            if status != 0 { throw ExitCode(status) }
            return
        }

        for (directory, what) in [(config.stateDirectory, "the state"), (config.spoolDirectory, "the spool"),
                                  (config.logDirectory, "the crawl logs")] {
            if let refusal = ReadAccess.refusal(directory, what: what, write: true) { Self.fail("herald crawl: \(refusal)") }
        }
        var metrics: CrawlMetrics?
        var endpoint: MetricsEndpoint?
        if let metricsAddress {
            let served = CrawlMetrics(configuration: config)
            do {
                endpoint = try MetricsEndpoint.start(on: metricsAddress, serving: served, setting: "--metrics-listen")
            } catch {
                Self.fail("herald crawl: \(error)")
            }
            try? served.recordHistory(from: CrawlLog(directory: config.logDirectory))
            served.scheduled([definition])
            metrics = served
            var err = StandardError()
            print("herald crawl: serving metrics on http://\(endpoint?.address.description ?? "")/metrics", to: &err)
        }
        let environment: CrawlEnvironment
        do {
            environment = try CrawlEnvironment(configuration: config, observer: metrics)
        } catch {
            Self.fail("herald crawl: \(error)")
        }
        // Timer-driven installations have no daemon: their crawls keep the state bounded.
        environment.startPruning { pass in
            if case .failure(let error) = pass {
                var err = StandardError()
                print("herald crawl: state pruning failed (tried again next run): \(error)", to: &err)
            }
        }
        let runner = CrawlRunner(environment: environment)
        let display = ProgressDisplay(enabled: isatty(STDOUT_FILENO) == 1)
        let maxPages = self.maxPages
        let wait = self.wait
        var progress: (@Sendable (CrawlProgress) -> Void)?
        if display.enabled {
            progress = { (snapshot: CrawlProgress) in display.show(snapshot.line) }
        }
        let reporter = progress
        let task = Task<CrawlRunResult, Never> {
            await runner.run(definition, maxPages: maxPages, waitForLock: wait, progress: reporter)
        }
        let signals = SignalCancellation(task: task)
        let result = await task.value
        signals.stop()
        display.clear()
        environment.shutdown()
        await endpoint?.stop()

        if result.outcome == .ok {
            print(result.summary)
        } else {
            var err = StandardError()
            print(result.summary, to: &err)
        }
        if result.exitStatus != 0 { throw ExitCode(result.exitStatus) }
    }

    static func usageError(_ message: String) -> Never {
        var err = StandardError()
        print("herald crawl: \(message)", to: &err)
        print("usage: herald crawl NAME|PATH [--max-pages N] [--wait] [--metrics-listen HOST:PORT] [--spool DIR] [--state DIR] [--log-dir DIR]", to: &err)
        Foundation.exit(2)
    }

    static func fail(_ message: String) -> Never {
        var err = StandardError()
        print(message, to: &err)
        Foundation.exit(1)
    }
}

/// SIGINT and SIGTERM cancel the run (it stops taking pages, flushes and ends `interrupted`);
/// a second signal exits at once.
final class SignalCancellation {
    private let sources: [any DispatchSourceSignal]
    /// Signal dispositions belong to the process, and so does the memory of the first signal.
    private static let signalled = Atomic(false)

    init(task: Task<CrawlRunResult, Never>) {
        var sources: [any DispatchSourceSignal] = []
        for signo in [SIGINT, SIGTERM] {
            signal(signo, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signo, queue: .global())
            source.setEventHandler {
                if Self.signalled.exchange(true, ordering: .relaxed) { _exit(130) }
                var err = StandardError()
                print("\nherald crawl: stopping (signal \(signo)); again to quit at once", to: &err)
                task.cancel()
            }
            source.resume()
            sources.append(source)
        }
        self.sources = sources
    }

    func stop() {
        for source in sources { source.cancel() }
        for signo in [SIGINT, SIGTERM] { signal(signo, SIG_DFL) }
    }
}
