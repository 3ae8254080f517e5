import Foundation
import HeraldCrawlLog
import HeraldFormats

/// How `herald logs` prints: an aligned table of runs and one readable line per event, or
/// JSON lines with `--json`. Times in the table are local; JSON times are UTC.
final class LogsOutput {
    let json: Bool
    /// Start times of the runs seen, to give each run-end line its duration.
    private var starts: [String: Date] = [:]

    init(json: Bool) {
        self.json = json
    }

    func printRuns(_ runs: [RunSummary], in directory: URL, running: (RunSummary) -> Bool) {
        if json {
            for run in runs { emit(Self.jsonLine(RunLine(run, state: state(run, running)))) }
            return
        }
        guard !runs.isEmpty else {
            FileHandleStderr.write("herald logs: no runs logged in \(directory.path)\n")
            return
        }
        let header = ["RUN", "CRAWL", "START", "DURATION", "PAGES", "NEW", "DUP", "ERRORS", "OUTCOME"]
        let rows = runs.map { run -> [String] in
            [run.id, run.crawl, Timestamp.localDateTime(run.start),
             run.duration.map { DurationSyntax.elapsed($0) } ?? "-",
             "\(run.counters.pages)", "\(run.counters.new)", "\(run.counters.duplicates)",
             "\(run.counters.errors)", state(run, running)]
        }
        let numeric: Set<Int> = [3, 4, 5, 6, 7]
        let widths = header.indices.map { c in max(header[c].count, rows.map { $0[c].count }.max() ?? 0) }
        for row in [header] + rows {
            let cells = row.indices.map { c in
                numeric.contains(c) ? Self.padLeft(row[c], widths[c]) : Self.padRight(row[c], widths[c])
            }
            emit(cells.joined(separator: "  ").trimmingCharacters(in: .whitespaces))
        }
    }

    func printEvent(_ entry: LogEntry) {
        if json {
            if let data = try? entry.jsonLine() { emit(String(decoding: data, as: UTF8.self)) }
            return
        }
        let time = Timestamp.localClock(entry.time)
        let text: String
        switch entry.event {
        case let .runStart(crawl, digest):
            starts[entry.runID] = entry.time
            text = "start    run \(entry.runID) of \(crawl)" + (digest.isEmpty ? "" : " (config \(digest))")
        case let .fetch(url, status, bytes, ms, kind):
            text = "fetch    \(Self.padLeft(status.map(String.init) ?? "---", 3))  \(Self.padLeft("\(bytes) B", 10))  "
                + "\(Self.padLeft("\(ms) ms", 8))  \(Self.padRight(kind.rawValue, 17)) \(url)"
        case let .article(url, hash, file):
            text = "article  \(file)  \(url)" + (file.contains(hash.replacingOccurrences(of: "sha256:", with: "")) ? "" : "  \(hash)")
        case let .heldBack(url, kind, reason, duplicateOf):
            var details: [String] = []
            if let reason { details.append(reason) }
            if let duplicateOf { details.append("duplicate of \(duplicateOf)") }
            text = "held     \(Self.padRight(kind.rawValue, 17)) \(url)"
                + (details.isEmpty ? "" : "  (\(details.joined(separator: "; ")))")
        case let .error(url, kind, message):
            text = "error    \(Self.padRight(kind.rawValue, 17)) " + (url.map { "\($0): " } ?? "") + message
        case let .runEnd(c, outcome, message):
            var parts = ["pages \(c.pages)", "new \(c.new)", "dup \(c.duplicates)", "errors \(c.errors)"]
            let kinds = c.errorKinds.map { "\($0.kind) \($0.count)" }
            if !kinds.isEmpty { parts[3] += " (\(kinds.joined(separator: ", ")))" }
            let took = starts[entry.runID].map { " after " + DurationSyntax.elapsed(entry.time.timeIntervalSince($0)) } ?? ""
            text = "end      \(outcome.rawValue)\(took): \(parts.joined(separator: ", "))" + (message.map { " — \($0)" } ?? "")
        }
        emit("\(time)  \(text)")
    }

    private func state(_ run: RunSummary, _ running: (RunSummary) -> Bool) -> String {
        run.outcome?.rawValue ?? (running(run) ? "running" : "abandoned")
    }

    private func emit(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// One run as a JSON line (`--json` without `--run`).
    struct RunLine: Encodable {
        let id: String
        let crawl: String
        let start: String
        let end: String?
        let durationS: Double?
        let pages: Int
        let new: Int
        let duplicates: Int
        let errors: Int
        let kinds: [String: Int]
        let outcome: String

        init(_ run: RunSummary, state: String) {
            id = run.id
            crawl = run.crawl
            start = Timestamp.iso8601(run.start)
            end = run.end.map(Timestamp.iso8601)
            durationS = run.duration.map { ($0 * 1000).rounded() / 1000 }
            pages = run.counters.pages
            new = run.counters.new
            duplicates = run.counters.duplicates
            errors = run.counters.errors
            kinds = Dictionary(uniqueKeysWithValues: run.counters.kinds.map { ($0.key.rawValue, $0.value) })
            outcome = state
        }

        enum CodingKeys: String, CodingKey {
            case id, crawl, start, end, durationS = "duration_s", pages, new, duplicates, errors, kinds, outcome
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(crawl, forKey: .crawl)
            try c.encode(start, forKey: .start)
            try c.encode(end, forKey: .end)
            try c.encode(durationS, forKey: .durationS)
            try c.encode(pages, forKey: .pages)
            try c.encode(new, forKey: .new)
            try c.encode(duplicates, forKey: .duplicates)
            try c.encode(errors, forKey: .errors)
            try c.encode(kinds, forKey: .kinds)
            try c.encode(outcome, forKey: .outcome)
        }
    }

    private static func jsonLine(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    private static func padLeft(_ s: String, _ w: Int) -> String { String(repeating: " ", count: max(0, w - s.count)) + s }
    private static func padRight(_ s: String, _ w: Int) -> String { s + String(repeating: " ", count: max(0, w - s.count)) }
}
