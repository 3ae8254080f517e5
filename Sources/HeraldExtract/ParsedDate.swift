import Foundation

/// A calendar date with an optional time of day and UTC offset, validated on creation.
struct ParsedDate: Equatable {
    let year: Int, month: Int, day: Int
    var time: (hour: Int, minute: Int, second: Int)?
    var offsetMinutes: Int?

    /// Nil unless the date exists and is a plausible publication date (1995 ... tomorrow).
    init?(year: Int, month: Int, day: Int) {
        guard (1995...2100).contains(year), (1...12).contains(month), day >= 1,
              day <= ParsedDate.daysIn(month: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
        guard !isInFuture else { return nil }
    }

    init?(epochSeconds: Int) {
        guard epochSeconds >= 0 else { return nil }
        let (y, m, d) = CivilCalendar.date(fromDays: epochSeconds / 86400)
        self.init(year: y, month: m, day: d)
        let s = epochSeconds % 86400
        time = (s / 3600, s % 3600 / 60, s % 60)
        offsetMinutes = 0
    }

    static func == (a: ParsedDate, b: ParsedDate) -> Bool { a.iso == b.iso }

    /// Days since 1970-01-01 of the calendar day as written.
    var dayNumber: Int { CivilCalendar.days(year: year, month: month, day: day) }

    /// Later than a day after `reference` (the slack covers pages east of UTC).
    func isAfter(_ reference: Date) -> Bool {
        dayNumber > Int(reference.timeIntervalSince1970 / 86400) + 1
    }

    /// The same calendar day as written, whatever the time.
    func sameDay(as other: ParsedDate) -> Bool { year == other.year && month == other.month && day == other.day }

    /// Later than tomorrow in UTC (one day of slack for pages east of UTC).
    private var isInFuture: Bool {
        let tomorrow = CivilCalendar.date(fromDays: Int(Date().timeIntervalSince1970 / 86400) + 1)
        return (year, month, day) > tomorrow
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// ISO 8601 text: date only, local date-time, or date-time with `Z` / `±HH:MM`.
    var iso: String {
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
