import Foundation
import HeraldFormats

/// A classic 5-field cron expression (minute hour day-of-month month day-of-week) with `*`,
/// lists, ranges, steps, month and weekday names, and the `@hourly`-style shorthands. As in
/// Vixie cron, when both day fields are restricted a day matching either one fires.
public struct CronExpression: Sendable, Hashable, CustomStringConvertible {
    /// The expression as written.
    public let source: String
    let minutes: UInt64       // bit n = minute n
    let hours: UInt64
    let daysOfMonth: UInt64   // bits 1...31
    let months: UInt64        // bits 1...12
    let daysOfWeek: UInt64    // bits 0...6, Sunday = 0
    let dayOfMonthRestricted: Bool
    let dayOfWeekRestricted: Bool

    static let shorthands = [
        "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
        "@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
    ]
    static let monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    static let dayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]

    /// Parses `text`; the error names the field and value that is wrong.
    public init(parsing text: String) throws(ValueSyntaxError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        source = trimmed
        let expanded = Self.shorthands[trimmed.lowercased()] ?? trimmed
        let fields = expanded.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count == 5 else {
            throw ValueSyntaxError("\"\(trimmed)\" is not a cron expression: it needs 5 fields (minute hour day-of-month month day-of-week), found \(fields.count)")
        }
        minutes = try Self.field(fields[0], name: "minute", range: 0...59, names: [])
        hours = try Self.field(fields[1], name: "hour", range: 0...23, names: [])
        daysOfMonth = try Self.field(fields[2], name: "day of month", range: 1...31, names: [])
        months = try Self.field(fields[3], name: "month", range: 1...12, names: Self.monthNames, firstNameValue: 1)
        var dow = try Self.field(fields[4], name: "day of week", range: 0...7, names: Self.dayNames)
        if dow & (1 << 7) != 0 { dow = (dow | 1) & ~(1 << 7) }  // 7 is Sunday too
        daysOfWeek = dow
        dayOfMonthRestricted = !fields[2].hasPrefix("*")
        dayOfWeekRestricted = !fields[4].hasPrefix("*")

        // A day-of-month-only expression like "0 0 30 2 *" would never fire: say so now
        // instead of letting a crawl silently never run.
        if dayOfMonthRestricted && !dayOfWeekRestricted {
            let longest = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
            let possible = (1...12).contains { month in
                months & (1 << month) != 0 && (1...longest[month]).contains { daysOfMonth & (1 << $0) != 0 }
            }
            if !possible { throw ValueSyntaxError("\"\(trimmed)\" never fires: no month has that day") }
        }
    }

    public var description: String { source }

    private static func field(_ text: String, name: String, range: ClosedRange<Int>, names: [String],
                              firstNameValue: Int = 0) throws(ValueSyntaxError) -> UInt64 {
        func value(_ token: Substring) throws(ValueSyntaxError) -> Int {
            if let n = Int(token) {
                guard range.contains(n) else {
                    throw ValueSyntaxError("cron \(name) \(n) is out of range \(range.lowerBound)-\(range.upperBound)")
                }
                return n
            }
            if let index = names.firstIndex(of: token.lowercased()) { return index + firstNameValue }
            throw ValueSyntaxError("cron \(name) field: \"\(token)\" is not a number\(names.isEmpty ? "" : " or name")")
        }
        var bits: UInt64 = 0
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            var rangePart = item
            var step = 1
            if let slash = item.firstIndex(of: "/") {
                rangePart = item[..<slash]
                guard let s = Int(item[item.index(after: slash)...]), s > 0 else {
                    throw ValueSyntaxError("cron \(name) field: \"\(item)\" needs a step above 0 after /")
                }
                step = s
            }
            let low: Int, high: Int
            if rangePart == "*" {
                (low, high) = (range.lowerBound, range.upperBound)
            } else if let dash = rangePart.firstIndex(of: "-") {
                low = try value(rangePart[..<dash])
                high = try value(rangePart[rangePart.index(after: dash)...])
                guard low <= high else {
                    throw ValueSyntaxError("cron \(name) field: range \"\(rangePart)\" runs backwards")
                }
            } else if rangePart.isEmpty {
                throw ValueSyntaxError("cron \(name) field \"\(text)\" has an empty entry")
            } else {
                low = try value(rangePart)
                high = step > 1 ? range.upperBound : low   // "5/15" means 5, 20, 35, 50
            }
            for n in stride(from: low, through: high, by: step) { bits |= 1 << UInt64(n) }
        }
        return bits
    }

    /// Whether the expression fires on this calendar day (weekday 0 = Sunday).
    func matchesDay(day: Int, month: Int, weekday: Int) -> Bool {
        guard months & (1 << month) != 0 else { return false }
        let domMatch = daysOfMonth & (1 << day) != 0
        let dowMatch = daysOfWeek & (1 << weekday) != 0
        switch (dayOfMonthRestricted, dayOfWeekRestricted) {
        case (true, true): return domMatch || dowMatch
        case (true, false): return domMatch
        case (false, true): return dowMatch
        case (false, false): return true
        }
    }

    /// The first minute strictly after `date` at which the expression fires, in `timeZone`'s
    /// wall-clock time. Local times skipped by a DST jump fire at the moment the clock jumps
    /// to; repeated local times fire once.
    public func nextFire(after date: Date, timeZone: TimeZone = .current) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        var (year, month, day, hour, minute) = (c.year!, c.month!, c.day!, c.hour!, c.minute! + 1)
        let limit = year + 30
        while year <= limit {
            if minute > 59 { minute = 0; hour += 1 }
            if hour > 23 { hour = 0; day += 1 }
            if day > CivilCalendar.daysIn(month: month, year: year) { day = 1; month += 1; hour = 0; minute = 0 }
            if month > 12 { month = 1; year += 1 }
            if months & (1 << month) == 0 {
                month += 1; day = 1; hour = 0; minute = 0
                continue
            }
            guard day <= CivilCalendar.daysIn(month: month, year: year) else { continue }
            if !matchesDay(day: day, month: month, weekday: Self.weekday(year: year, month: month, day: day)) {
                day += 1; hour = 0; minute = 0
                continue
            }
            if hours & (1 << hour) == 0 {
                hour += 1; minute = 0
                continue
            }
            guard let nextMinute = (minute...59).first(where: { minutes & (1 << $0) != 0 }) else {
                hour += 1; minute = 0
                continue
            }
            minute = nextMinute
            let parts = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute)
            if let fire = calendar.date(from: parts), fire > date { return fire }
            minute += 1
        }
        return .distantFuture   // unreachable for a parsed expression; kept total rather than trapping
    }

    /// Day of week in the proleptic Gregorian calendar, Sunday = 0 (Sakamoto's method).
    static func weekday(year: Int, month: Int, day: Int) -> Int {
        let offsets = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4]
        let y = month < 3 ? year - 1 : year
        return (y + y / 4 - y / 100 + y / 400 + offsets[month - 1] + day) % 7
    }
}
