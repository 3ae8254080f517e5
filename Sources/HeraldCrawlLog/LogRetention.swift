import HeraldFormats

/// How long crawl logs are kept: the last N runs of each crawl (`100 runs`), or runs younger
/// than a duration (`30d`). Older run logs are deleted by the daemon after each run.
public enum LogRetention: Sendable, Hashable, CustomStringConvertible {
    case runs(Int)
    case age(Duration)

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
}
