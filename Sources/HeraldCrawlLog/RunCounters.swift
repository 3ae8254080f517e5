/// The tallies of one run: pages fetched, articles delivered, duplicates, errors and every
/// outcome kind. Summed by `RunLog` from the events it records.
public struct RunCounters: Codable, Sendable, Equatable {
    /// Fetch events (every page requested, whatever its result).
    public var pages: Int
    /// Articles written to the spool.
    public var new: Int
    /// Articles held back because their content (exactly or nearly) was already delivered.
    public var duplicates: Int
    /// Fetches with an error kind plus error events.
    public var errors: Int
    /// How often each outcome kind occurred across fetch, held-back and error events.
    public var kinds: [OutcomeKind: Int]

    public init(pages: Int = 0, new: Int = 0, duplicates: Int = 0, errors: Int = 0,
                kinds: [OutcomeKind: Int] = [:]) {
        self.pages = pages
        self.new = new
        self.duplicates = duplicates
        self.errors = errors
        self.kinds = kinds
    }

    /// The error kinds with their counts, most frequent first (for summaries).
    public var errorKinds: [(kind: OutcomeKind, count: Int)] {
        kinds.filter { $0.key.isError }
            .map { (kind: $0.key, count: $0.value) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.kind < $1.kind }
    }

    /// Adds what one event contributes.
    mutating func count(_ event: CrawlEvent) {
        switch event {
        case let .fetch(_, _, _, _, kind):
            pages += 1
            kinds[kind, default: 0] += 1
            if kind.isError { errors += 1 }
        case .article:
            new += 1
        case let .heldBack(_, kind, _, _):
            kinds[kind, default: 0] += 1
            if kind == .duplicate || kind == .nearDuplicate { duplicates += 1 }
            if kind.isError { errors += 1 }
        case let .error(_, kind, _):
            kinds[kind, default: 0] += 1
            errors += 1
        case .runStart, .runEnd:
            break
        }
    }

    /// `kinds` keyed by plain strings, which Codable writes as a JSON object (it writes other
    /// key types as an array of alternating keys and values).
    var kindsByName: [String: Int] {
        Dictionary(uniqueKeysWithValues: kinds.map { ($0.key.rawValue, $0.value) })
    }

    enum CodingKeys: String, CodingKey {
        case pages, new, duplicates, errors, kinds
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        pages = try c.decodeIfPresent(Int.self, forKey: .pages) ?? 0
        new = try c.decodeIfPresent(Int.self, forKey: .new) ?? 0
        duplicates = try c.decodeIfPresent(Int.self, forKey: .duplicates) ?? 0
        errors = try c.decodeIfPresent(Int.self, forKey: .errors) ?? 0
        let raw = try c.decodeIfPresent([String: Int].self, forKey: .kinds) ?? [:]
        kinds = Dictionary(uniqueKeysWithValues: raw.map { (OutcomeKind($0.key), $0.value) })
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(pages, forKey: .pages)
        try c.encode(new, forKey: .new)
        try c.encode(duplicates, forKey: .duplicates)
        try c.encode(errors, forKey: .errors)
        // A [String: Int] so the JSON is an object, not the array Codable makes of other keys.
        try c.encode(kindsByName, forKey: .kinds)
    }
}
