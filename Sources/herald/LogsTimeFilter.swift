import Foundation

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
        let t = text.trimmingCharacters(in: .whitespaces)
        if let unit = t.last, let n = Double(t.dropLast()), n >= 0 {
            let seconds: Double? = switch unit {
            case "s": n
            case "m": n * 60
            case "h": n * 3600
            case "d": n * 86400
            case "w": n * 7 * 86400
            default: nil
            }
            if let seconds { return now.addingTimeInterval(-seconds) }
        }
        if let date = try? Date(t, strategy: .iso8601) { return date }
        if let day = try? Date.ISO8601FormatStyle().year().month().day().parse(t) { return day }
        throw BadValue(text: text)
    }
}
