import Foundation
import HeraldFormats
import Testing

/// The one date grammar: whole values (feeds, sitemaps, options) and dates in running text.
@Suite("Date grammar")
struct DateGrammarTests {
    /// (text, expected instant in UTC as ISO 8601; nil = not a date)
    static let cases: [(String, String?)] = [
        // RFC 822 / 1123 as RSS pubDate
        ("Thu, 28 Nov 2024 10:15:00 GMT", "2024-11-28T10:15:00Z"),
        ("Thu, 28 Nov 2024 10:15:00 +0200", "2024-11-28T08:15:00Z"),
        ("Thu, 28 Nov 2024 10:15:00 -0500", "2024-11-28T15:15:00Z"),
        ("Thu, 28 Nov 2024 10:15:00 EST", "2024-11-28T15:15:00Z"),
        ("Thu, 28 Nov 2024 10:15:00 +02:00", "2024-11-28T08:15:00Z"),
        ("Thu, 28 Nov 2024 10:15:00 +0100 (CET)", "2024-11-28T09:15:00Z"),
        ("28 Nov 2024 10:15 GMT", "2024-11-28T10:15:00Z"),
        ("Thursday, 28 November 2024 10:15:00 Z", "2024-11-28T10:15:00Z"),
        ("Thu, 28 Nov 24 10:15:00 GMT", "2024-11-28T10:15:00Z"),
        ("Thu, 5 Dec 2024 09:00:00", "2024-12-05T09:00:00Z"),
        ("Thu Nov 28 2024 10:15:00 GMT", "2024-11-28T10:15:00Z"),
        ("  Thu, 28 Nov 2024 10:15:00 GMT\n", "2024-11-28T10:15:00Z"),
        // ISO 8601 / W3C datetime
        ("2024-11-28T10:15:00Z", "2024-11-28T10:15:00Z"),
        ("2024-11-28T10:15:00.123Z", "2024-11-28T10:15:00Z"),
        ("2024-11-28T12:15:00+02:00", "2024-11-28T10:15:00Z"),
        ("2024-11-28T05:15:00-0500", "2024-11-28T10:15:00Z"),
        ("2024-11-28T10:15+00:00", "2024-11-28T10:15:00Z"),
        ("2024-11-28 10:15:00", "2024-11-28T10:15:00Z"),
        ("2024-11-28", "2024-11-28T00:00:00Z"),
        ("2024-11", "2024-11-01T00:00:00Z"),
        ("2024", "2024-01-01T00:00:00Z"),
        ("20241128T101500Z", "2024-11-28T10:15:00Z"),
        ("2024-02-29T23:59:59Z", "2024-02-29T23:59:59Z"),
        ("1999-12-31T23:00:00-01:00", "2000-01-01T00:00:00Z"),
        // not dates
        ("", nil),
        ("yesterday", nil),
        ("2024-13-01", nil),
        ("2024-11-28T25:00:00Z", nil),
        ("Thu, 28 Foo 2024 10:15:00 GMT", nil),
        ("2024-11-28T10:15:00 garbage", nil),
        ("2024-02-30", nil),
        // RFC 850 and a zone after a two-digit year
        ("Thursday, 28-Nov-24 10:15:00 GMT", "2024-11-28T10:15:00Z"),
        ("Sunday, 06-Nov-94 08:49:37 GMT", "1994-11-06T08:49:37Z"),
        // basic ISO 8601 without seconds, and with an offset
        ("20241128T1015Z", "2024-11-28T10:15:00Z"),
        ("20241128T111500+0100", "2024-11-28T10:15:00Z"),
        // written forms
        ("March 5, 2024", "2024-03-05T00:00:00Z"),
        ("5 March 2024", "2024-03-05T00:00:00Z"),
        ("Feb. 20, 2024 at 6:01 p.m. EST", "2024-02-20T23:01:00Z"),
        ("20. Februar 2024, 7:27 Uhr", "2024-02-20T07:27:00Z"),
        ("2024年2月20日 07:27", "2024-02-20T07:27:00Z"),
        // GMT with an offset is that offset; a comment after it is ignored
        ("Tue Nov 19 2019 21:57:01 GMT+0100 (Central European Time)", "2019-11-19T20:57:01Z"),
    ]

    @Test("RFC 822 and ISO 8601 variants", arguments: cases)
    func parses(text: String, expected: String?) {
        #expect(DateGrammar.instant(text).map(Timestamp.iso8601) == expected)
    }

    @Test("instants count from the Unix epoch; fractions of a second are kept")
    func epoch() {
        #expect(Timestamp.iso8601(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
        #expect(DateGrammar.instant("2024-11-28T10:15:00Z")?.timeIntervalSince1970 == 1_732_788_900)
        let precise = DateGrammar.instant("2024-11-28T10:15:00.250Z")?.timeIntervalSince1970
        #expect(precise == 1_732_788_900.25)
    }

    /// Every zone name of the table, as RFC 822 writes it after a time.
    @Test("every zone name of the table", arguments: DateGrammar.zoneOffsets.keys.sorted())
    func zones(name: String) throws {
        let date = try #require(DateGrammar.parse("Thu, 28 Nov 2024 10:15:00 \(name.uppercased())"))
        #expect(date.offsetMinutes == DateGrammar.zoneOffsets[name])
    }

    @Test("zones the two old tables read differently get their standard meaning")
    func zoneDisagreements() {
        // IST is India (+05:30), not a whole +5 hours.
        #expect(DateGrammar.zoneOffsets["ist"] == 330)
        // RFC 822 military letters are unknown, hence UTC (RFC 1123 5.2.14, RFC 2822 4.3).
        #expect(DateGrammar.zoneOffsets["a"] == 0 && DateGrammar.zoneOffsets["y"] == 0)
        #expect(DateGrammar.zoneOffsets["j"] == nil)
        // The US zones of RFC 822 and the European ones pages write.
        #expect(DateGrammar.zoneOffsets["pdt"] == -420 && DateGrammar.zoneOffsets["mesz"] == 120)
    }

    @Test("in running text, zone names that are also words are words")
    func wordLikeZonesInText() throws {
        let text = DateTokenizer.tokens(of: "20.02.2024, 07:27 Uhr ist ein Dienstag")
        let (date, _) = try #require(DateGrammar.match(text, at: 0, monthFirst: false))
        #expect(date.iso == "2024-02-20T07:27:00")
        let field = try #require(DateGrammar.parse("Thu, 28 Nov 2024 10:15:00 IST"))
        #expect(field.iso == "2024-11-28T10:15:00+05:30")
    }

    @Test("running text keeps the date as written: local time without a zone, no guessing")
    func textForms() throws {
        func iso(_ text: String, monthFirst: Bool = false) -> String? {
            let tokens = DateTokenizer.tokens(of: text)
            return tokens.indices.lazy.compactMap { DateGrammar.match(tokens, at: $0, monthFirst: monthFirst)?.0.iso }.first
        }
        #expect(iso("Posted 03/04/2024") == "2024-04-03")
        #expect(iso("Posted 03/04/2024", monthFirst: true) == "2024-03-04")
        #expect(iso("1708413420") == "2024-02-20T07:17:00Z")
        // Two-digit years and reduced ISO dates are too easily something else in prose.
        #expect(iso("on 28 Nov 24 we") == nil)
        #expect(iso("in 2024 alone") == nil)
    }

    @Test("days that do not exist are not dates", arguments: [(2023, 2, 29), (2024, 4, 31), (2024, 13, 1), (0, 1, 1)])
    func calendar(year: Int, month: Int, day: Int) {
        #expect(CalendarDate(year: year, month: month, day: day) == nil)
    }

    @Test func civilCalendarRoundTrips() {
        for days in stride(from: -800_000, through: 800_000, by: 997) {
            let (y, m, d) = CivilCalendar.date(fromDays: days)
            #expect(CivilCalendar.days(year: y, month: m, day: d) == days)
        }
        #expect(CivilCalendar.daysIn(month: 2, year: 2000) == 29 && CivilCalendar.daysIn(month: 2, year: 1900) == 28)
    }
}

/// A feed or sitemap date with a zone gives the right instant or none, never a wrong one.
@Suite("Date grammar: zones in whole values")
struct DateZoneTests {
    static func iso(_ text: String) -> String? {
        DateGrammar.instant(text).map { $0.formatted(.iso8601) }
    }

    /// Region names follow their region's daylight rules on that date.
    @Test(arguments: [
        ("Tue, 02 Jul 2024 09:15:00 PT", "2024-07-02T16:15:00Z"),
        ("Tue, 03 Dec 2024 09:15:00 PT", "2024-12-03T17:15:00Z"),
        ("Tue, 02 Jul 2024 09:15:00 ET", "2024-07-02T13:15:00Z"),
        ("Tue, 03 Dec 2024 09:15:00 ET", "2024-12-03T14:15:00Z"),
        ("Tue, 03 Dec 2024 09:15:00 CT", "2024-12-03T15:15:00Z"),
        ("Tue, 03 Dec 2024 09:15:00 MT", "2024-12-03T16:15:00Z"),
        ("Tue, 03 Dec 2024 09:15:00 AT", "2024-12-03T13:15:00Z"),
        ("Tue, 02 Jul 2024 09:15:00 MET", "2024-07-02T07:15:00Z"),
        ("Tue, 02 Jul 2024 09:15:00 MEST", "2024-07-02T07:15:00Z"),
        ("Tue, 02 Jul 2024 09:15:00 MSK", "2024-07-02T06:15:00Z"),
        ("Tue, 02 Jul 2024 09:15:00 HKT", "2024-07-02T01:15:00Z"),
        ("Tue, 02 Jul 2024 09:15:00 SGT", "2024-07-02T01:15:00Z"),
        ("Tue, 02 Jul 2024 09:15:00 GMT-01:01", "2024-07-02T10:16:00Z"),
    ])
    func namedZonesGiveTheirOffset(text: String, expected: String) {
        #expect(Self.iso(text) == expected, "\(text)")
    }

    /// A zone nobody can read, or an offset no place has, gives no date at all.
    @Test(arguments: ["Tue, 02 Jul 2024 09:15:00 XYZT", "Tue, 02 Jul 2024 09:15:00 Pacific",
                      "Tue, 02 Jul 2024 09:15:00 -99:99", "2024-07-02T09:15:00-99:99",
                      "Tue, 02 Jul 2024 09:15:00 +2400"])
    func unreadableZonesGiveNoDate(text: String) {
        #expect(DateGrammar.instant(text) == nil, "\(text) read as \(String(describing: Self.iso(text)))")
    }
}
