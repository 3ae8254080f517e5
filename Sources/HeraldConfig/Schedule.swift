import Foundation
import HeraldFormats

/// When a crawl runs: `every <duration>` (measured from the previous run's start) or a
/// 5-field cron expression in local time.
public enum Schedule: Sendable, Hashable, CustomStringConvertible {
    case every(Duration)
    case cron(CronExpression)

    /// The schedule a crawl gets when its definition names none.
    public static let defaultSchedule = Schedule.every(.seconds(3600))

    /// Parses `every 15m`, `*/15 * * * *` or a shorthand such as `@hourly`.
    public init(parsing text: String) throws(ValueSyntaxError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.lowercased().hasPrefix("every ") {
            let interval: Duration
            do {
                interval = try DurationSyntax.parse(String(trimmed.dropFirst(6)))
            } catch {
                throw ValueSyntaxError("\"\(trimmed)\": \(error.message)")
            }
            guard interval > .zero else { throw ValueSyntaxError("\"\(trimmed)\": the interval must be longer than 0") }
            self = .every(interval)
            return
        }
        do {
            self = .cron(try CronExpression(parsing: trimmed))
        } catch {
            // Text that starts like a cron expression gets the cron parser's precise complaint.
            if let first = trimmed.first, first.isNumber || first == "*" || first == "@" { throw error }
            throw ValueSyntaxError("\"\(trimmed)\" is neither \"every <duration>\" (e.g. every 15m) nor a 5-field cron expression (e.g. \"*/15 * * * *\")")
        }
    }

    /// The next time the crawl is due after `date`: for `every`, `date` plus the interval
    /// (pass the previous run's start); for cron, the next matching minute in `timeZone`.
    public func nextFire(after date: Date, timeZone: TimeZone = .current) -> Date {
        switch self {
        case .every(let interval): return date.addingTimeInterval(interval.timeInterval)
        case .cron(let expression): return expression.nextFire(after: date, timeZone: timeZone)
        }
    }

    public var description: String {
        switch self {
        case .every(let interval): return "every \(DurationSyntax.format(interval))"
        case .cron(let expression): return expression.source
        }
    }
}
