import Foundation
import HeraldFormats

/// One line of a run file: an event, when it happened and which run it belongs to.
///
/// Encodes as one flat JSON object with snake_case keys, e.g.
/// `{"time":"2026-11-29T14:23:01.456Z","run_id":"20261129T142300Z-lbci-3f9a","event":"fetch",
/// "url":"https://...","status":200,"bytes":48213,"ms":156,"kind":"ok"}`. Absent optional values
/// are written as null, never omitted, so every line of one event type has the same keys.
public struct LogEntry: Codable, Sendable, Equatable {
    public var time: Date
    public var runID: String
    public var event: CrawlEvent

    public init(time: Date, runID: String, event: CrawlEvent) {
        self.time = time
        self.runID = runID
        self.event = event
    }

    enum CodingKeys: String, CodingKey {
        case time, runID = "run_id", event
        case crawl, configDigest = "config_digest"
        case url, status, bytes, ms, kind
        case hash, file
        case reason, duplicateOf = "duplicate_of"
        case message
        case counters, outcome
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let stamp = try c.decode(String.self, forKey: .time)
        guard let time = DateGrammar.instant(stamp) else {
            throw DecodingError.dataCorruptedError(forKey: .time, in: c,
                                                   debugDescription: "not an ISO 8601 time: \(stamp)")
        }
        self.time = time
        runID = try c.decode(String.self, forKey: .runID)
        let name = try c.decode(String.self, forKey: .event)
        switch name {
        case "run_start":
            event = .runStart(crawl: try c.decode(String.self, forKey: .crawl),
                              configDigest: try c.decodeIfPresent(String.self, forKey: .configDigest) ?? "")
        case "fetch":
            event = .fetch(url: try c.decode(String.self, forKey: .url),
                           status: try c.decodeIfPresent(Int.self, forKey: .status),
                           bytes: try c.decodeIfPresent(Int.self, forKey: .bytes) ?? 0,
                           ms: try c.decodeIfPresent(Int.self, forKey: .ms) ?? 0,
                           kind: try c.decode(OutcomeKind.self, forKey: .kind))
        case "article":
            event = .article(url: try c.decode(String.self, forKey: .url),
                             hash: try c.decode(String.self, forKey: .hash),
                             file: try c.decode(String.self, forKey: .file))
        case "held_back":
            event = .heldBack(url: try c.decode(String.self, forKey: .url),
                              kind: try c.decode(OutcomeKind.self, forKey: .kind),
                              reason: try c.decodeIfPresent(String.self, forKey: .reason),
                              duplicateOf: try c.decodeIfPresent(String.self, forKey: .duplicateOf))
        case "error":
            event = .error(url: try c.decodeIfPresent(String.self, forKey: .url),
                           kind: try c.decode(OutcomeKind.self, forKey: .kind),
                           message: try c.decodeIfPresent(String.self, forKey: .message) ?? "")
        case "run_end":
            event = .runEnd(counters: try c.decode(RunCounters.self, forKey: .counters),
                            outcome: try c.decode(RunOutcome.self, forKey: .outcome),
                            message: try c.decodeIfPresent(String.self, forKey: .message))
        default:
            throw DecodingError.dataCorruptedError(forKey: .event, in: c,
                                                   debugDescription: "unknown event type \(name)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Timestamp.iso8601Milliseconds(time), forKey: .time)
        try c.encode(runID, forKey: .runID)
        try c.encode(event.name, forKey: .event)
        switch event {
        case let .runStart(crawl, digest):
            try c.encode(crawl, forKey: .crawl)
            try c.encode(digest, forKey: .configDigest)
        case let .fetch(url, status, bytes, ms, kind):
            try c.encode(url, forKey: .url)
            try c.encode(status, forKey: .status)
            try c.encode(bytes, forKey: .bytes)
            try c.encode(ms, forKey: .ms)
            try c.encode(kind, forKey: .kind)
        case let .article(url, hash, file):
            try c.encode(url, forKey: .url)
            try c.encode(hash, forKey: .hash)
            try c.encode(file, forKey: .file)
        case let .heldBack(url, kind, reason, duplicateOf):
            try c.encode(url, forKey: .url)
            try c.encode(kind, forKey: .kind)
            try c.encode(reason, forKey: .reason)
            try c.encode(duplicateOf, forKey: .duplicateOf)
        case let .error(url, kind, message):
            try c.encode(url, forKey: .url)
            try c.encode(kind, forKey: .kind)
            try c.encode(message, forKey: .message)
        case let .runEnd(counters, outcome, message):
            try c.encode(counters, forKey: .counters)
            try c.encode(outcome, forKey: .outcome)
            try c.encode(message, forKey: .message)
        }
    }

    /// The entry as one JSON line without its newline (keys in a stable order).
    public func jsonLine() throws -> Data {
        try LogEntry.encoder.encode(self)
    }

    /// Decodes one JSON line.
    public static func decode(line: some DataProtocol) throws -> LogEntry {
        try JSONDecoder().decode(LogEntry.self, from: Data(line))
    }

    private static var encoder: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.withoutEscapingSlashes]
        return e
    }
}
