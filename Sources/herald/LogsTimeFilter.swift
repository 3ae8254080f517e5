import Foundation
import HeraldFormats

/// Parses `--since`: a duration back from now (`45s`, `30m`, `2h`, `7d`, `1w`) or an ISO 8601
/// date or date-time (`2026-11-29`, `2026-11-29T14:00:00Z`).
enum LogsTimeFilter {
    struct BadValue: Error, CustomStringConvertible {
        let text: String
        var description: String {
            "--since \"\(text)\" is neither a duration (30m, 2h, 7d) nor an ISO 8601 date (2026-11-29)"
        }
    }

    static func date(since text: String, now: Date) throws -> Date {
        if let back = try? DurationSyntax.parse(text) { return now.addingTimeInterval(-back.timeInterval) }
        if let date = DateGrammar.instant(text) { return date }
        throw BadValue(text: text)
    }
}
