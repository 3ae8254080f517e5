import ArgumentParser
import Foundation
import HeraldConfig
import HeraldCrawlLog
import HeraldDaemon
import HeraldFormats

/// `herald status`: whether the daemon is up, each crawl's last run (from the crawl log), its
/// next run (from the daemon, when it answers) and the spool backlog. Works without the
/// daemon, minus what only the daemon knows.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show whether the daemon runs, each crawl's last and next run, and the spool backlog.",
        discussion: """
            Asks the daemon over its control socket for what runs now and when each crawl runs \
            next; the last runs come from the crawl log and the backlog is the number of files \
            waiting in the spool's new/ directory. When the daemon is down, the rest is still \
            shown. Exit status 0 either way (2 for a configuration error).
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var paths: PathOptions

    @Flag(name: .long, help: "Print one JSON object.")
    var json = false

    func run() async throws {
        let config: HeraldConfiguration
        do {
            config = try HeraldConfiguration.load(configFlag: global.config, overrides: paths.overrides)
        } catch {
            var err = StandardError()
            for problem in error.problems { print(problem, to: &err) }
            throw ExitCode(2)
        }
        // Without read access the answers would be wrong ("never ran", "no spool yet"), so
        // refuse instead, naming each path and its group.
        let refusals = [
            ReadAccess.refusal(config.controlSocket, what: "the daemon's control socket", write: true),
            ReadAccess.refusal(config.logDirectory, what: "the crawl logs"),
            ReadAccess.refusal(config.spoolDirectory.appendingPathComponent("new"), what: "the spool"),
        ].compactMap { $0 }
        if !refusals.isEmpty {
            var err = StandardError()
            for refusal in refusals { print("herald status: \(refusal)", to: &err) }
            throw ExitCode(1)
        }
        let socket = config.controlSocket.path
        let daemon: Result<DaemonStatus, any Error> = await Self.askDaemon(socket)
        let catalog = CrawlDirectory.load(config.crawlsDirectory)
        let log = CrawlLog(directory: config.logDirectory)
        let latest = (try? log.latestRuns()) ?? []
        let lastRuns = Dictionary(latest.map { ($0.crawl, $0) }, uniquingKeysWith: { a, _ in a })
        let backlog = Self.backlog(config.spoolDirectory.appendingPathComponent("new"))

        // The daemon's crawls when it answers (it may still run an old definition of a file
        // that broke), else those of the crawls directory.
        var rows: [StatusRow] = []
        switch daemon {
        case .success(let status):
            for crawl in status.crawls {
                rows.append(StatusRow(name: crawl.name, schedule: crawl.schedule, last: lastRuns[crawl.name],
                                      nextRun: crawl.nextRun, runningSince: crawl.runningSince,
                                      runID: crawl.runID, pages: crawl.pages))
            }
        case .failure:
            for definition in catalog.definitions {
                let last = lastRuns[definition.name]
                let running = last.flatMap { $0.outcome == nil && log.isRunning($0) ? $0 : nil }
                rows.append(StatusRow(name: definition.name, schedule: definition.schedule.description,
                                      last: running == nil ? last : nil, nextRun: nil,
                                      runningSince: running?.start, runID: running?.id, pages: nil))
            }
        }

        if json {
            printJSON(daemon: daemon, socket: socket, rows: rows, backlog: backlog, config: config)
        } else {
            printText(daemon: daemon, socket: socket, rows: rows, backlog: backlog, config: config,
                      problems: catalog.problems)
        }
    }

    /// The daemon's status, or why it is not available (not running, not answering in time).
    static func askDaemon(_ socket: String) async -> Result<DaemonStatus, any Error> {
        await ControlClient.onOwnThread {
            Result {
                var answer: ControlResponse?
                try ControlClient.exchange(path: socket, request: .status, timeout: .seconds(5)) { response in
                    answer = response
                    return false
                }
                switch answer {
                case .status(let status)?: return status
                case .error(let refusal)?: throw StatusError(message: refusal.message)
                default: throw StatusError(message: "the daemon gave no status")
                }
            }
        }
    }

    struct StatusError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// Files waiting in `new/` for a consumer; nil when the spool does not exist yet.
    static func backlog(_ directory: URL) -> Int? {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return nil }
        return names.filter { !$0.hasPrefix(".") }.count
    }

    struct StatusRow {
        var name: String
        var schedule: String
        var last: RunSummary?
        var nextRun: Date?
        var runningSince: Date?
        var runID: String?
        var pages: Int?
    }

    private func printText(daemon: Result<DaemonStatus, any Error>, socket: String, rows: [StatusRow],
                           backlog: Int?, config: HeraldConfiguration, problems: [ConfigProblem]) {
        var out = ""
        switch daemon {
        case .success(let status):
            out += "daemon: running (pid \(status.pid), up since \(Timestamp.localDateTime(status.startedAt)))"
                + (status.stopping ? ", stopping" : "") + "\n"
            for problem in status.problems { out += "  problem: \(problem)\n" }
        case .failure(let error):
            if case .notRunning? = error as? ControlSocketError {
                out += "daemon: not running (nothing answers on \(socket)); next runs are unknown\n"
            } else {
                // Up perhaps, but not talking to us (permissions, hung): say so, not "down".
                out += "daemon: unknown (\(error)); next runs are unknown\n"
            }
            for problem in problems { out += "  problem: \(problem)\n" }
        }
        if rows.isEmpty {
            out += "no crawls defined in \(config.crawlsDirectory.path)\n"
        } else {
            let header = ["CRAWL", "SCHEDULE", "LAST RUN", "NEXT RUN"]
            let table = rows.map { row -> [String] in
                [row.name, row.schedule, Self.lastText(row), Self.nextText(row)]
            }
            let widths = header.indices.map { c in max(header[c].count, table.map { $0[c].count }.max() ?? 0) }
            for cells in [header] + table {
                out += cells.indices.map { c in cells[c].padding(toLength: widths[c], withPad: " ", startingAt: 0) }
                    .joined(separator: "  ").trimmingCharacters(in: .whitespaces) + "\n"
            }
        }
        let spool = config.spoolDirectory.appendingPathComponent("new").path
        out += backlog.map { "spool backlog: \($0) file\($0 == 1 ? "" : "s") in \(spool)\n" }
            ?? "spool backlog: none (\(spool) does not exist yet)\n"
        FileHandle.standardOutput.write(Data(out.utf8))
    }

    private static func lastText(_ row: StatusRow) -> String {
        if let since = row.runningSince {
            let pages = row.pages.map { ", \($0) pages" } ?? ""
            return "running since \(Timestamp.localClock(since))\(pages)" + (row.runID.map { " (\($0))" } ?? "")
        }
        guard let last = row.last else { return "never" }
        let outcome = last.outcome?.rawValue ?? "abandoned"
        let took = last.duration.map { " in " + DurationSyntax.elapsed($0) } ?? ""
        let c = last.counters
        return "\(Timestamp.localDateTime(last.start)) \(outcome)\(took): \(c.pages) pages, \(c.new) new, \(c.errors) errors"
    }

    private static func nextText(_ row: StatusRow) -> String {
        if row.runningSince != nil { return "-" }
        return row.nextRun.map(Timestamp.localDateTime) ?? "-"
    }

    private func printJSON(daemon: Result<DaemonStatus, any Error>, socket: String, rows: [StatusRow],
                           backlog: Int?, config: HeraldConfiguration) {
        var object: [String: Any] = [
            "control_socket": socket,
            "spool_backlog": backlog.map { $0 as Any } ?? NSNull(),
        ]
        switch daemon {
        case .success(let status):
            object["daemon"] = ["running": true, "pid": Int(status.pid), "started_at": Timestamp.iso8601Milliseconds(status.startedAt),
                                "stopping": status.stopping, "problems": status.problems] as [String: Any]
        case .failure(let error):
            let down: Any = { if case .notRunning? = error as? ControlSocketError { return false }; return NSNull() }()
            object["daemon"] = ["running": down, "error": "\(error)"] as [String: Any]
        }
        object["crawls"] = rows.map { row -> [String: Any] in
            var crawl: [String: Any] = ["name": row.name, "schedule": row.schedule,
                                        "next_run": row.nextRun.map { Timestamp.iso8601Milliseconds($0) as Any } ?? NSNull(),
                                        "running_since": row.runningSince.map { Timestamp.iso8601Milliseconds($0) as Any } ?? NSNull(),
                                        "run_id": row.runID.map { $0 as Any } ?? NSNull()]
            if let last = row.last {
                crawl["last_run"] = [
                    "id": last.id, "start": Timestamp.iso8601Milliseconds(last.start),
                    "end": last.end.map { Timestamp.iso8601Milliseconds($0) as Any } ?? NSNull(),
                    "outcome": last.outcome?.rawValue ?? "abandoned",
                    "pages": last.counters.pages, "new": last.counters.new,
                    "duplicates": last.counters.duplicates, "errors": last.counters.errors,
                ] as [String: Any]
            } else {
                crawl["last_run"] = NSNull()
            }
            return crawl
        }
        if let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) {
            FileHandle.standardOutput.write(data + Data("\n".utf8))
        }
    }
}
