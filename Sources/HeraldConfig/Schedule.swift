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

    /// How long the crawl may go without a run while keeping to its schedule: the interval,
    /// or for cron the longest gap between consecutive due times in the week after `date` (a
    /// weekdays-only cron gives the weekend; a monthly one its month). Metrics export it, so
    /// an alert can say "no success for 3 periods" for every schedule alike.
    public func period(after date: Date, timeZone: TimeZone = .current) -> Duration {
        switch self {
        case .every(let interval):
            return interval
        case .cron:
            let horizon = date.addingTimeInterval(8 * 86400)
            var previous = nextFire(after: date, timeZone: timeZone)
            var longest: TimeInterval = 0
            // At least one gap, even when the first due time is beyond the week (monthly).
            // Bounded: an every-minute cron reaches 2,000 due times in 33 hours, enough to see
            // that its gap is a minute.
            for step in 0..<2000 where step == 0 || previous < horizon {
                let next = nextFire(after: previous, timeZone: timeZone)
                longest = max(longest, next.timeIntervalSince(previous))
                previous = next
            }
            return .milliseconds(Int64(longest * 1000))
        }
    }

    public var description: String {
        switch self {
        case .every(let interval): return "every \(DurationSyntax.format(interval))"
        case .cron(let expression): return expression.source
        }
    }
}
