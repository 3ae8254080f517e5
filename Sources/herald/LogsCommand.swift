import ArgumentParser
import Foundation
import HeraldConfig
import HeraldCrawlLog

/// `herald logs`: the crawl history kept in the log directory — a table of runs, one run's
/// events, or a running crawl followed live.
struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Show crawl history: runs, one run's events, or a running crawl live.",
        discussion: """
        Without --run: one line per run (id, crawl, start, duration, pages, new, dup, errors, \
        outcome), oldest first. With --run: that run's events (fetches with status, bytes, ms \
        and outcome; articles written; pages held back; errors with their kind). --follow \
        streams a running crawl (the one of CRAWL, or --run ID) until it ends; with CRAWL and \
        nothing running it waits for the next run to start.
        """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Only runs of this crawl.")
    var crawl: String?

    @Option(name: .long, help: "Show this run's events (a unique prefix of the id is enough).")
    var run: String?

    @Flag(name: .long, help: "Only errors: failed events, or runs with errors.")
    var errors = false

    @Option(name: .long, help: "Only what happened since DURATION ago (30m, 2h, 7d) or since an ISO 8601 date.")
    var since: String?

    @Flag(name: .long, help: "Stream a running crawl's events until it ends.")
    var follow = false

    @Flag(name: .long, help: "Print JSON lines.")
    var json = false

    @Option(name: .long, help: "Only the newest N runs.")
    var last: Int?

    @Option(name: .long, help: "Crawl log directory (overrides log_dir of the configuration).")
    var logDir: String?

    func run() async throws {
        let log = CrawlLog(directory: try logDirectory())
        if let refusal = ReadAccess.refusal(log.directory, what: "the crawl logs") { Self.fail(refusal) }
        let sinceDate: Date?
        do {
            sinceDate = try since.map { try LogsTimeFilter.date(since: $0, now: Date()) }
        } catch {
            usageError("\(error)")
        }
        if let last, last < 1 { usageError("--last needs a positive number of runs, not \(last)") }
        let output = LogsOutput(json: json)
        let filter = EventFilter(errorsOnly: errors, since: sinceDate)

        do {
            if let id = run {
                let summary = try log.run(id: id)
                if let crawl, crawl != summary.crawl {
                    usageError("run \(summary.id) is a run of \(summary.crawl), not of \(crawl)")
                }
                if follow {
                    try await stream(summary, in: log, output: output, filter: filter)
                } else {
                    try show(summary, in: log, output: output, filter: filter)
                }
            } else if follow {
                let summary = try await runToFollow(in: log)
                try await stream(summary, in: log, output: output, filter: filter)
            } else {
                let runs = try log.runs(crawl: crawl, since: sinceDate, failingOnly: errors, limit: last)
                output.printRuns(runs, in: log.directory, running: log.isRunning)
            }
        } catch let error as CrawlLogError {
            Self.fail(error.description)
        }
    }

    /// Where the crawl logs are: `--log-dir`, else the configuration's `log_dir`.
    private func logDirectory() throws -> URL {
        do {
            return try HeraldConfiguration.load(configFlag: global.config,
                                                overrides: PathOverrides(logDirectory: logDir)).logDirectory
        } catch {
            var err = StandardError()
            for problem in error.problems { print(problem, to: &err) }
            throw ExitCode(2)
        }
    }

    private func show(_ summary: RunSummary, in log: CrawlLog, output: LogsOutput,
                      filter: EventFilter) throws {
        let events = try log.events(of: summary)
        for entry in events.entries where filter.accepts(entry) {
            output.printEvent(entry)
        }
        if !events.malformedLines.isEmpty {
            Self.warn("\(summary.file): skipped unreadable line(s) \(events.malformedLines.map(String.init).joined(separator: ", "))")
        }
        if !events.isComplete {
            Self.warn(log.isRunning(summary)
                      ? "run \(summary.id) is still running (follow it with --follow)"
                      : "run \(summary.id) ended without a run-end event (its process is gone)")
        }
    }

    private func stream(_ summary: RunSummary, in log: CrawlLog, output: LogsOutput,
                        filter: EventFilter) async throws {
        do {
            for try await entry in log.follow(summary) where filter.accepts(entry) {
                output.printEvent(entry)
            }
        } catch let error as CrawlLogError {
            Self.fail(error.description)
        }
    }

    /// The running run to follow: the one of `crawl` (waiting for the next if none runs), or
    /// the only running one.
    private func runToFollow(in log: CrawlLog) async throws -> RunSummary {
        let running = try log.runningRuns(crawl: crawl)
        if let newest = running.last, crawl != nil || running.count == 1 { return newest }
        guard let crawl else {
            if running.isEmpty { Self.fail("no crawl is running; name one to wait for its next run") }
            usageError("\(running.count) crawls are running (\(running.map(\.crawl).joined(separator: ", "))); name one")
        }
        Self.warn("waiting for the next run of \(crawl)...")
        let asked = Date()
        while true {
            try await Task.sleep(for: .milliseconds(300))
            if let next = try log.runs(crawl: crawl, since: asked.addingTimeInterval(-1)).last {
                return next
            }
        }
    }

    private func usageError(_ message: String) -> Never {
        Self.warn(message)
        Self.warn("usage: herald logs [CRAWL] [--run ID] [--errors] [--since DURATION] [--follow] [--json]")
        Foundation.exit(2)
    }

    private static func fail(_ message: String) -> Never {
        warn(message)
        Foundation.exit(1)
    }

    private static func warn(_ message: String) {
        FileHandleStderr.write("herald logs: \(message)\n")
    }
}

/// Which events `--errors` and `--since` let through; run boundaries always pass so a shown
/// slice of a run still says which run it is and how it ended.
struct EventFilter {
    let errorsOnly: Bool
    let since: Date?

    func accepts(_ entry: LogEntry) -> Bool {
        switch entry.event {
        case .runStart, .runEnd: return true
        default: break
        }
        if let since, entry.time < since { return false }
        return !errorsOnly || entry.event.isError
    }
}
