import Foundation
import HeraldConfig
import Testing

@Suite("Schedules: every <duration> and cron")
struct ScheduleTests {
    let utc = TimeZone(identifier: "UTC")!

    /// `yyyy-MM-dd HH:mm` in UTC.
    func date(_ text: String) -> Date {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = utc
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.date(from: text.count == 16 ? text + ":00" : text)!
    }

    func next(_ expression: String, after: String) throws -> Date {
        try Schedule(parsing: expression).nextFire(after: date(after), timeZone: utc)
    }

    @Test func everyIsMeasuredFromTheGivenTime() throws {
        let schedule = try Schedule(parsing: "every 15m")
        #expect(schedule == .every(.seconds(900)))
        #expect(schedule.nextFire(after: date("2026-03-01 10:07")) == date("2026-03-01 10:22"))
        #expect(schedule.description == "every 15m")
    }

    @Test("*/15 fires on the quarter hours, strictly after the given time")
    func quarterHours() throws {
        #expect(try next("*/15 * * * *", after: "2026-03-01 10:07") == date("2026-03-01 10:15"))
        #expect(try next("*/15 * * * *", after: "2026-03-01 10:15") == date("2026-03-01 10:30"))
        #expect(try next("*/15 * * * *", after: "2026-03-01 10:14:59") == date("2026-03-01 10:15"))
        #expect(try next("*/15 * * * *", after: "2026-03-01 23:50") == date("2026-03-02 00:00"))
    }

    @Test("0 9 * * 1-5 fires at 9:00 on weekdays only")
    func weekdays() throws {
        // 2026-03-06 is a Friday.
        #expect(try next("0 9 * * 1-5", after: "2026-03-06 08:00") == date("2026-03-06 09:00"))
        #expect(try next("0 9 * * 1-5", after: "2026-03-06 09:00") == date("2026-03-09 09:00"))
        #expect(try next("0 9 * * mon-fri", after: "2026-03-07 12:00") == date("2026-03-09 09:00"))
    }

    @Test("Feb 29 fires only in leap years")
    func leapDay() throws {
        #expect(try next("0 0 29 2 *", after: "2026-03-01 00:00") == date("2028-02-29 00:00"))
        #expect(try next("30 12 29 feb *", after: "2096-03-01 00:00") == date("2104-02-29 12:30"))  // 2100 is no leap year
    }

    @Test("when both day fields are restricted, either matching fires")
    func dayOfMonthOrWeek() throws {
        // 1st of the month or any Monday. 2026-03-02 is a Monday.
        #expect(try next("0 0 1 * mon", after: "2026-02-27 12:00") == date("2026-03-01 00:00"))
        #expect(try next("0 0 1 * mon", after: "2026-03-01 12:00") == date("2026-03-02 00:00"))
        // Day of week starting with * does not restrict: only the 13th counts.
        #expect(try next("0 0 13 * */1", after: "2026-03-01 00:00") == date("2026-03-13 00:00"))
    }

    @Test("lists, ranges with steps, offsets with steps, names and Sunday as 0 or 7")
    func fieldSyntax() throws {
        #expect(try next("5,35 */6 * * *", after: "2026-03-01 06:10") == date("2026-03-01 06:35"))
        #expect(try next("5,35 */6 * * *", after: "2026-03-01 06:40") == date("2026-03-01 12:05"))
        #expect(try next("0 8-18/5 * * *", after: "2026-03-01 13:01") == date("2026-03-01 18:00"))
        #expect(try next("10/20 * * * *", after: "2026-03-01 06:31") == date("2026-03-01 06:50"))
        #expect(try next("0 0 * jun *", after: "2026-03-01 00:00") == date("2026-06-01 00:00"))
        // 2026-03-01 is a Sunday.
        #expect(try next("0 12 * * 7", after: "2026-02-27 00:00") == date("2026-03-01 12:00"))
        #expect(try next("0 12 * * SUN", after: "2026-02-27 00:00") == date("2026-03-01 12:00"))
        #expect(try next("0 12 * * 0", after: "2026-02-27 00:00") == date("2026-03-01 12:00"))
    }

    @Test("month ends and year ends roll over")
    func rollover() throws {
        #expect(try next("0 0 31 * *", after: "2026-04-01 00:00") == date("2026-05-31 00:00"))
        #expect(try next("59 23 31 12 *", after: "2026-12-31 23:59") == date("2027-12-31 23:59"))
        #expect(try next("@hourly", after: "2026-12-31 23:30") == date("2027-01-01 00:00"))
        #expect(try next("@daily", after: "2026-12-31 23:30") == date("2027-01-01 00:00"))
    }

    @Test("local time: a cron fires at local wall-clock time")
    func localTime() throws {
        let beirut = TimeZone(identifier: "Asia/Tokyo")!  // UTC+9, no DST
        let fire = try Schedule(parsing: "0 9 * * *").nextFire(after: date("2026-03-01 00:00"), timeZone: beirut)
        #expect(fire == date("2026-03-02 00:00"))  // 09:00 in Tokyo is 00:00 UTC
    }

    @Test("invalid schedules explain themselves", arguments: [
        ("61 * * * *", "minute 61 is out of range 0-59"),
        ("* * * *", "needs 5 fields"),
        ("0 0 30 2 *", "never fires"),
        ("*/0 * * * *", "step above 0"),
        ("0 0 * * fri-mon", "runs backwards"),
        ("0 0 * foo *", "\"foo\" is not a number or name"),
        ("every 10", "needs a unit"),
        ("every 0s", "longer than 0"),
        ("hourly", "neither \"every <duration>\""),
        ("1,,2 * * * *", "empty entry"),
    ])
    func invalid(text: String, expected: String) {
        #expect {
            try Schedule(parsing: text)
        } throws: { error in
            "\(error)".contains(expected)
        }
    }

    @Test("the period metrics export: the interval, or the longest gap of a cron in the coming week")
    func period() throws {
        let utc = TimeZone(identifier: "UTC")!
        let monday = Date(timeIntervalSince1970: 1_790_000_000)  // a date; the week after it counts
        #expect(try Schedule(parsing: "every 15m").period(after: monday) == .seconds(900))
        #expect(try Schedule(parsing: "*/15 * * * *").period(after: monday, timeZone: utc) == .seconds(900))
        #expect(try Schedule(parsing: "@hourly").period(after: monday, timeZone: utc) == .seconds(3600))
        // Weekdays at 09:00: the weekend makes the longest gap, Friday to Monday.
        #expect(try Schedule(parsing: "0 9 * * 1-5").period(after: monday, timeZone: utc) == .seconds(3 * 86400))
        // Monthly: a gap of a whole month, though the week looked at holds at most one due time.
        let monthly = try Schedule(parsing: "0 0 1 * *").period(after: monday, timeZone: utc)
        #expect(monthly >= .seconds(28 * 86400) && monthly <= .seconds(31 * 86400))
    }
}

@Suite("Cron across daylight-saving changes")
struct CronDaylightSavingTests {
    let berlin = TimeZone(identifier: "Europe/Berlin")!

    func date(_ text: String, _ zone: TimeZone) -> Date {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.date(from: text)!
    }

    @Test("a local time skipped by the spring jump fires once, right after the jump")
    func springForward() throws {
        // 2026-03-29 02:00 CET jumps to 03:00 CEST in Berlin.
        let cron = try CronExpression(parsing: "30 2 * * *")
        let fire = cron.nextFire(after: date("2026-03-29 00:00", berlin), timeZone: berlin)
        #expect(fire > date("2026-03-29 00:00", berlin))
        #expect(fire <= date("2026-03-29 03:30", berlin))
        #expect(cron.nextFire(after: fire, timeZone: berlin) == date("2026-03-30 02:30", berlin))
    }

    @Test("a local time repeated by the autumn change fires once")
    func fallBack() throws {
        // 2026-10-25 03:00 CEST falls back to 02:00 CET: 02:30 happens twice.
        let cron = try CronExpression(parsing: "30 2 * * *")
        let first = cron.nextFire(after: date("2026-10-25 00:00", berlin), timeZone: berlin)
        let second = cron.nextFire(after: first, timeZone: berlin)
        #expect(second.timeIntervalSince(first) > 20 * 3600)
    }
}
