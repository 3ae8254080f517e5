import Foundation
import HeraldFormats

/// A date extraction found: a `CalendarDate` that passed `isPlausiblePublication`.
typealias ParsedDate = CalendarDate

extension CalendarDate {
    /// The date, when it exists and is a plausible publication date (1995 ... tomorrow).
    static func plausible(year: Int, month: Int, day: Int) -> CalendarDate? {
        CalendarDate(year: year, month: month, day: day).flatMap { $0.isPlausiblePublication ? $0 : nil }
    }

    /// Between 1995 and tomorrow in UTC (one day of slack for pages east of UTC): a date a
    /// news page can have been published on.
    var isPlausiblePublication: Bool {
        guard (1995...2100).contains(year) else { return false }
        let tomorrow = CivilCalendar.date(fromDays: Int(Date().timeIntervalSince1970 / 86400) + 1)
        return (year, month, day) <= tomorrow
    }

    /// Later than a day after `reference` (the slack covers pages east of UTC).
    func isAfter(_ reference: Date) -> Bool {
        dayNumber > Int(reference.timeIntervalSince1970 / 86400) + 1
    }
}
