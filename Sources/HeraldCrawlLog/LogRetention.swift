import Foundation

/// How much crawl history to keep (`log_retention`): the newest N runs of each crawl, or the
/// runs that started within a period. Older run files and their index entries are deleted.
public enum LogRetention: Sendable, Equatable, CustomStringConvertible {
    /// Keep the newest `count` runs per crawl ("100 runs").
    case runs(Int)
    /// Keep runs that started less than this many seconds ago ("30d", "12h", "2w").
    case age(TimeInterval)

    /// The default: a hundred runs per crawl.
    public static let standard = LogRetention.runs(100)

    /// Parses `"100 runs"`, `"100"`, `"30d"`, `"12h"`, `"2w"`, `"90m"`.
    public init(parsing text: String) throws {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        let digits = t.prefix { $0.isNumber }
        let rest = t.dropFirst(digits.count).trimmingCharacters(in: .whitespaces)
        guard let n = Int(digits), n > 0 else {
            throw CrawlLogError.badRetention(text)
        }
        switch rest {
        case "", "run", "runs": self = .runs(n)
        case "m", "min": self = .age(TimeInterval(n) * 60)
        case "h": self = .age(TimeInterval(n) * 3600)
        case "d", "day", "days": self = .age(TimeInterval(n) * 86400)
        case "w", "week", "weeks": self = .age(TimeInterval(n) * 7 * 86400)
        default: throw CrawlLogError.badRetention(text)
        }
    }

    public var description: String {
        switch self {
        case let .runs(n): "\(n) runs"
        case let .age(s): s.truncatingRemainder(dividingBy: 86400) == 0 ? "\(Int(s / 86400))d" : "\(Int(s))s"
        }
    }
}
