import Foundation

/// A date as text writes it: a calendar day that exists, with the time of day and the UTC
/// offset when the text gives them. `DateGrammar` produces it; it does not judge whether the
/// date is plausible for any purpose (callers do).
public struct CalendarDate: Equatable, Sendable {
    public let year: Int, month: Int, day: Int
    /// The time of day as written, when the text gives one.
    public var time: (hour: Int, minute: Int, second: Int)?
    /// The part of a second the text gives after the seconds (`.123`); not part of `iso`.
    public var secondFraction: Double = 0
    /// Minutes east of UTC, when the text names a zone or an offset.
    public var offsetMinutes: Int?

    /// Nil unless the day exists in the proleptic Gregorian calendar (years 1 ... 9999).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
              day <= CivilCalendar.daysIn(month: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// The UTC date and time of whole seconds since 1970 (epoch values in data attributes).
    public init?(epochSeconds: Int) {
        guard epochSeconds >= 0 else { return nil }
        let (y, m, d) = CivilCalendar.date(fromDays: epochSeconds / 86400)
        self.init(year: y, month: m, day: d)
        let s = epochSeconds % 86400
        time = (s / 3600, s % 3600 / 60, s % 60)
        offsetMinutes = 0
    }

    public static func == (a: CalendarDate, b: CalendarDate) -> Bool { a.iso == b.iso }

    /// Days since 1970-01-01 of the calendar day as written.
    public var dayNumber: Int { CivilCalendar.days(year: year, month: month, day: day) }

    /// The same calendar day as written, whatever the time.
    public func sameDay(as other: CalendarDate) -> Bool {
        year == other.year && month == other.month && day == other.day
    }

    /// The instant it names; without an offset the time is read as UTC (feeds and sitemaps
    /// that omit the zone mean UTC far more often than anything else), and without a time it
    /// is midnight.
    public var instant: Date {
        let (h, m, s) = time ?? (0, 0, 0)
        let seconds = dayNumber * 86400 + h * 3600 + m * 60 + s - (offsetMinutes ?? 0) * 60
        return Date(timeIntervalSince1970: Double(seconds) + secondFraction)
    }

    /// ISO 8601 text: date only, local date-time, or date-time with `Z` / `±HH:MM`.
    public var iso: String {
        var s = "\(pad(year, 4))-\(pad(month))-\(pad(day))"
        guard let time else { return s }
        s += "T\(pad(time.hour)):\(pad(time.minute)):\(pad(time.second))"
        guard let offset = offsetMinutes else { return s }
        if offset == 0 { return s + "Z" }
        let sign = offset < 0 ? "-" : "+"
        return s + "\(sign)\(pad(abs(offset) / 60)):\(pad(abs(offset) % 60))"
    }

    private func pad(_ n: Int, _ width: Int = 2) -> String {
        let digits = String(n)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
