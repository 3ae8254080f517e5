import HeraldFormats

/// How much crawl history to keep (`log_retention`): the newest N runs of each crawl
/// (`100 runs`), or the runs that started within a period (`30d`). Older run files and their
/// index entries are deleted after each run.
public enum LogRetention: Sendable, Hashable, CustomStringConvertible {
    /// Keep the newest `count` runs per crawl.
    case runs(Int)
    /// Keep runs that started less than this long ago.
    case age(Duration)

    /// The default: a hundred runs per crawl.
    public static let standard = LogRetention.runs(100)

    /// Parses `100 runs`, `1 run` or a duration such as `30d`.
    public init(parsing text: String) throws(ValueSyntaxError) {
        let words = text.split(separator: " ", omittingEmptySubsequences: true)
        if words.count == 2, words[1] == "runs" || words[1] == "run" {
            guard let count = Int(words[0]), count > 0 else {
                throw ValueSyntaxError("\"\(text)\": the number of runs must be a whole number above 0")
            }
            self = .runs(count)
            return
        }
        guard let age = try? DurationSyntax.parse(text) else {
            throw ValueSyntaxError("\"\(text)\" is neither a number of runs (\"100 runs\") nor a duration (\"30d\")")
        }
        guard age > .zero else { throw ValueSyntaxError("\"\(text)\" must be longer than 0") }
        self = .age(age)
    }

    public var description: String {
        switch self {
        case .runs(let n): return n == 1 ? "1 run" : "\(n) runs"
        case .age(let d): return DurationSyntax.format(d)
        }
    }

    /// The age limit in seconds, for date arithmetic.
    var seconds: Double? {
        guard case let .age(d) = self else { return nil }
        return d.timeInterval
    }
}
