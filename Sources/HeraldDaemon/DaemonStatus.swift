import Foundation
import HeraldFormats

/// The daemon's answer to a `status` request on the control socket: what it schedules, what
/// runs now and when each crawl runs next. JSON with snake_case keys and ISO 8601 dates.
public struct DaemonStatus: Sendable, Equatable, Codable {
    /// One crawl as the daemon sees it.
    public struct Crawl: Sendable, Equatable, Codable {
        public var name: String
        /// The schedule as written (`every 15m`, `*/15 * * * *`).
        public var schedule: String
        /// When the next run starts (nil while a run is in progress).
        public var nextRun: Date?
        /// Start of the run in progress.
        public var runningSince: Date?
        /// The crawl-log id of the run in progress, once known.
        public var runID: String?
        /// Pages fetched so far by the run in progress.
        public var pages: Int?
        /// The definition file.
        public var file: String?

        public init(name: String, schedule: String, nextRun: Date?, runningSince: Date?,
                    runID: String?, pages: Int?, file: String?) {
            self.name = name
            self.schedule = schedule
            self.nextRun = nextRun
            self.runningSince = runningSince
            self.runID = runID
            self.pages = pages
            self.file = file
        }

        enum CodingKeys: String, CodingKey {
            case name, schedule, nextRun = "next_run", runningSince = "running_since"
            case runID = "run_id", pages, file
        }
    }

    public var pid: Int32
    public var startedAt: Date
    /// Scheduled crawls plus any one-off run from a definition outside crawls_dir, by name.
    public var crawls: [Crawl]
    /// Problems of the last (re)load, as `file:line: message`.
    public var problems: [String]
    /// True once SIGTERM/SIGINT arrived: no new runs start.
    public var stopping: Bool

    public init(pid: Int32, startedAt: Date, crawls: [Crawl], problems: [String], stopping: Bool) {
        self.pid = pid
        self.startedAt = startedAt
        self.crawls = crawls
        self.problems = problems
        self.stopping = stopping
    }

    enum CodingKeys: String, CodingKey {
        case pid, startedAt = "started_at", crawls, problems, stopping
    }

    /// The encoder used on the wire (dates as ISO 8601 with fractional seconds).
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamp.iso8601Milliseconds(date))
        }
        return encoder
    }

    /// The matching decoder.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            if let date = DateGrammar.instant(text) { return date }
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an ISO 8601 date: \(text)"))
        }
        return decoder
    }
}
