import Foundation

/// herald's one date grammar: ISO 8601 / W3C datetime (extended and basic), RFC 822, 1123 and
/// 850 (with every RFC 822 zone and the common named abbreviations), and the numeric and
/// written forms pages use (`20.02.2024`, `February 20, 2024`, `20 février 2024 à 07h27`,
/// `2024年2月20日`), with the time and zone that may follow.
///
/// Two ways to read: `parse` takes a whole value that must be one date (a feed or sitemap
/// field, an HTTP-style header, a command-line option); `match` finds a date starting at a
/// token of running text, where ordinary words must not be mistaken for zones. Pure functions;
/// thread-safe.
public enum DateGrammar {
    /// Where the text comes from, which decides how much the grammar may guess.
    public enum Mode: Sendable {
        /// A value that is a date and nothing else: two-digit years (RFC 822), RFC 850 dashes,
        /// reduced ISO dates (`2024`, `2024-11`), the basic form `20241128T101500Z`, military
        /// zone letters and unknown zone names (read as UTC, as RFC 2822 advises) are accepted.
        case field
        /// Running text: only forms that cannot be something else are dates.
        case text
    }

    /// The date a whole value names, or nil when the value is anything more or less than a date.
    public static func parse(_ text: String) -> CalendarDate? {
        let t = DateTokenizer.tokens(of: text, limit: 200)
        var k = 0
        // A leading weekday ("Thu,", "Thursday"), which RFC 822 allows and nothing checks.
        if k < t.count, case .word(let w) = t[k], months[w] == nil {
            k += 1
            if k < t.count, t[k].isPunct(",") { k += 1 }
        }
        guard k < t.count else { return nil }
        let iso: Bool
        if case .number(_, 4) = t[k] { iso = true } else if case .number(_, 8) = t[k] { iso = true } else { iso = false }
        guard var (date, end) = reducedISO(t, at: k) ?? match(t, at: k, monthFirst: false, mode: .field) else {
            return nil
        }
        // A zone name this grammar does not know gives no date rather than a wrong one (RFC
        // 2822 reads it as UTC, which puts a Pacific-time entry hours early and can make
        // `skip_older_than_last_run` skip it). A parenthesised comment ends the value.
        if !iso, end < t.count, t[end].isPunct("(") { end = t.count }
        guard end == t.count else { return nil }
        date.offsetMinutes = date.offsetMinutes ?? (date.time == nil ? nil : 0)
        return date
    }

    /// The instant a whole value names (`parse`; a missing zone means UTC).
    public static func instant(_ text: String) -> Date? {
        parse(text)?.instant
    }

    /// A date (and the time that may follow it) starting at token `i`: the date and the index
    /// after the last token used. `monthFirst` reads ambiguous numeric dates like `03/04/2024`
    /// the US way.
    public static func match(_ t: [DateToken], at i: Int, monthFirst: Bool, mode: Mode = .text)
        -> (CalendarDate, end: Int)?
    {
        guard case .number(let first, let firstDigits) = t[i] else {
            if case .word(let w) = t[i], let month = months[w] {
                return matchMonthFirst(t, at: i, month: month, mode: mode)
            }
            return nil
        }
        // Epoch seconds or milliseconds, only as the whole text (data attributes, JSON).
        if mode == .text, t.count == 1, firstDigits == 10 || firstDigits == 13 {
            let seconds = firstDigits == 13 ? first / 1000 : first
            return CalendarDate(epochSeconds: seconds).map { ($0, 1) }
        }
        if firstDigits == 4 {
            // 2024-02-20, 2024/02/20, 2024.02.20, 2024年2月20日
            if i + 4 < t.count, case .number(let m, let md) = t[i + 2], md <= 2,
               case .number(let d, let dd) = t[i + 4], dd <= 2 {
                let sep1 = t[i + 1], sep2 = t[i + 3]
                let numeric = sep1.isPunct("-/.") && sep1 == sep2
                let cjk = sep1 == .word("年") && sep2 == .word("月")
                if numeric || cjk, var date = CalendarDate(year: first, month: m, day: d) {
                    var end = i + 5
                    if cjk, end < t.count, t[end] == .word("日") { end += 1 }
                    end = parseTime(t, from: end, into: &date, mode: mode)
                    return (date, end)
                }
            }
            // 20240220 is only taken from URLs and whole values (too many other 8-digit
            // numbers in text).
            return nil
        }
        guard firstDigits <= 2 else { return nil }
        // 20.02.2024, 02/20/2024, 20-02-2024
        if i + 4 < t.count, case .number(let second, let sd) = t[i + 2], sd <= 2,
           case .number(let year, 4) = t[i + 4], t[i + 1].isPunct("-/."), t[i + 1] == t[i + 3] {
            let dayFirst: Bool
            if first > 12 { dayFirst = true } else if second > 12 { dayFirst = false } else {
                dayFirst = t[i + 1] == .punct(".") || !monthFirst
            }
            let (d, m) = dayFirst ? (first, second) : (second, first)
            guard var date = CalendarDate(year: year, month: m, day: d) else { return nil }
            let end = parseTime(t, from: i + 5, into: &date, mode: mode)
            return (date, end)
        }
        // 20 February 2024, 20. Februar 2024, 20 de febrero de 2024, 1er mars 2024,
        // 20th of May, 2024; as a field also 28-Nov-24 (RFC 850) and 28 Nov 24 (RFC 822).
        let dash = mode == .field ? "-" : ""
        var k = i + 1
        var skipped = 0
        while k < t.count, skipped < 3 {
            if case .word(let w) = t[k], let month = months[w] {
                let y = skip(t, from: k + 1) { $0.isPunct(".," + dash) || $0 == .word("de") || $0 == .word("del") }
                return date(t, yearAt: y, month: month, day: first, mode: mode)
            }
            guard t[k].isPunct("." + dash) || t[k].isOrdinalOrConnector else { return nil }
            k += 1
            skipped += 1
        }
        return nil
    }

    /// A four-digit year, or in a field the two-digit years of RFC 822 (`24` = 2024, `99` =
    /// 1999, the RFC 2822 window).
    private static func year(_ token: DateToken, mode: Mode) -> Int? {
        switch token {
        case .number(let y, 4): y
        case .number(let y, 2) where mode == .field: y + (y < 50 ? 2000 : 1900)
        default: nil
        }
    }

    /// February 20, 2024; Feb. 20th 2024; février 20, 2024.
    private static func matchMonthFirst(_ t: [DateToken], at i: Int, month: Int, mode: Mode) -> (CalendarDate, end: Int)? {
        var k = i + 1
        if k < t.count, t[k].isPunct(".") { k += 1 }
        guard k < t.count, case .number(let day, let dd) = t[k], dd <= 2 else { return nil }
        let y = skip(t, from: k + 1) { $0.isPunct(",") || $0.isOrdinalOrConnector }
        return date(t, yearAt: y, month: month, day: day, mode: mode)
    }

    /// The index after at most two filler tokens from `k` ("," "of" "de" ...).
    private static func skip(_ t: [DateToken], from start: Int, filler: (DateToken) -> Bool) -> Int {
        var k = start
        while k < t.count, k < start + 2, filler(t[k]) { k += 1 }
        return k
    }

    /// The date of `day` and `month` with the year at token `y`, and the time after it.
    private static func date(_ t: [DateToken], yearAt y: Int, month: Int, day: Int, mode: Mode) -> (CalendarDate, end: Int)? {
        guard y < t.count, let year = year(t[y], mode: mode),
              var date = CalendarDate(year: year, month: month, day: day) else { return nil }
        let end = parseTime(t, from: y + 1, into: &date, mode: mode)
        return (date, end)
    }

    /// The ISO 8601 forms only a whole value may take: `2024`, `2024-11`, and the basic
    /// `20241128`, `20241128T1015Z`, `20241128T101500+0100`.
    private static func reducedISO(_ t: [DateToken], at i: Int) -> (CalendarDate, end: Int)? {
        switch t[i] {
        case .number(let year, 4):
            if i + 1 == t.count { return CalendarDate(year: year, month: 1, day: 1).map { ($0, i + 1) } }
            if i + 3 == t.count, t[i + 1].isPunct("-"), case .number(let m, 2) = t[i + 2] {
                return CalendarDate(year: year, month: m, day: 1).map { ($0, i + 3) }
            }
            return nil
        case .number(let n, 8):
            guard var date = CalendarDate(year: n / 10000, month: n / 100 % 100, day: n % 100) else { return nil }
            var k = i + 1
            if k + 1 < t.count, t[k] == .word("t"), case .number(let clock, let digits) = t[k + 1], digits == 4 || digits == 6 {
                let hms = digits == 4 ? clock * 100 : clock
                guard hms / 10000 < 24, hms / 100 % 100 < 60, hms % 100 <= 60 else { return nil }
                date.time = (hms / 10000, hms / 100 % 100, hms % 100)
                k = parseZone(t, from: k + 2, into: &date, mode: .field)
            }
            return (date, k)
        default:
            return nil
        }
    }

    /// Reads `07:27`, `7:27:05.123`, `6:01 a.m.`, `07h27`, `07.27 Uhr` and a zone after it, if
    /// present right after the date; returns the index after what it used.
    private static func parseTime(_ t: [DateToken], from start: Int, into date: inout CalendarDate, mode: Mode) -> Int {
        var k = start
        var skipped = 0
        while k < t.count, skipped < 3 {
            if t[k].isPunct(",|-–—·@/") || t[k].isTimeConnector { k += 1; skipped += 1; continue }
            break
        }
        guard k + 2 < t.count, case .number(var hour, let hd) = t[k], hd <= 2,
              t[k + 1].isPunct(":.") || t[k + 1] == .word("h"),
              case .number(let minute, 2) = t[k + 2] else { return start }
        // "19.05.2007 20.05.2007": the next date, not a time.
        if t[k + 1].isPunct("."), k + 4 < t.count, t[k + 3].isPunct("."), case .number(_, 4) = t[k + 4] { return start }
        var second = 0
        var fraction = 0.0
        k += 3
        if k + 1 < t.count, t[k].isPunct(":"), case .number(let s, 2) = t[k + 1] {
            second = s
            k += 2
            if k + 1 < t.count, t[k].isPunct(".,"), case .number(let f, let digits) = t[k + 1] {
                if digits <= 15 { fraction = Double(f) / pow(10, Double(digits)) }
                k += 2
            }
        }
        // am / pm, a.m. / p.m.
        if k < t.count, case .word(let w) = t[k] {
            var meridiem: String?
            if w == "am" || w == "pm" { meridiem = w; k += 1 }
            else if (w == "a" || w == "p"), k + 2 < t.count, t[k + 1].isPunct("."), t[k + 2] == .word("m") {
                meridiem = w + "m"
                k += 3
                if k < t.count, t[k].isPunct(".") { k += 1 }
            } else if w == "uhr" || w == "h" { k += 1 }
            if let meridiem {
                guard hour >= 1, hour <= 12 else { return start }
                if meridiem == "pm", hour != 12 { hour += 12 }
                if meridiem == "am", hour == 12 { hour = 0 }
            }
        }
        guard hour < 24, minute < 60, second <= 60 else { return start }
        date.time = (hour, minute, second)
        date.secondFraction = fraction
        return parseZone(t, from: k, into: &date, mode: mode)
    }

    private static func parseZone(_ t: [DateToken], from start: Int, into date: inout CalendarDate, mode: Mode) -> Int {
        var k = start
        guard k < t.count else { return k }
        if case .word(let w) = t[k] {
            if w == "z" { date.offsetMinutes = 0; return k + 1 }
            if w == "utc" || w == "gmt" || w == "ut" && mode == .field {
                date.offsetMinutes = 0
                k += 1
                // GMT+1, UTC-05:00
                if let (offset, next) = numericOffset(t, at: k) { date.offsetMinutes = offset; return next }
                return k
            }
            if let offset = zoneOffsets[w], mode == .field || !wordLikeZones.contains(w) {
                date.offsetMinutes = offset
                return k + 1
            }
            if mode == .field, let identifier = regionZones[w], let zone = TimeZone(identifier: identifier),
               let time = date.time {
                // Standard or daylight time, whichever the region kept on that day and hour.
                let local = Double(date.dayNumber * 86_400 + time.hour * 3600 + time.minute * 60 + time.second)
                let guess = zone.secondsFromGMT(for: Date(timeIntervalSince1970: local))
                let seconds = zone.secondsFromGMT(for: Date(timeIntervalSince1970: local - Double(guess)))
                date.offsetMinutes = seconds / 60
                return k + 1
            }
            return k
        }
        if let (offset, next) = numericOffset(t, at: k) { date.offsetMinutes = offset; return next }
        return k
    }

    /// `+01:00`, `+0100`, `-05`, `+1` (after GMT/UTC).
    private static func numericOffset(_ t: [DateToken], at k: Int) -> (Int, Int)? {
        guard k + 1 < t.count, t[k].isPunct("+-−"), case .number(let n, let digits) = t[k + 1] else { return nil }
        let sign = t[k] == .punct("+") ? 1 : -1
        var minutes: Int
        var next = k + 2
        switch digits {
        case 4: minutes = (n / 100) * 60 + n % 100
        case 1, 2:
            minutes = n * 60
            if next + 1 < t.count, t[next].isPunct(":"), case .number(let m, 2) = t[next + 1] {
                minutes += m
                next += 2
            }
        default: return nil
        }
        guard minutes <= 14 * 60 else { return nil }
        return (sign * minutes, next)
    }

    /// Month names and abbreviations in English, French, German, Spanish, Italian, Portuguese,
    /// Dutch and Russian (genitive), lower case.
    public static let months: [String: Int] = {
        var map: [String: Int] = [:]
        let lists: [[String]] = [
            ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"],
            ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
            ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"],
            ["janv", "févr", "mars", "avr", "mai", "juin", "juil", "août", "sept", "oct", "nov", "déc"],
            ["januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "dezember"],
            ["jan", "feb", "mär", "apr", "mai", "jun", "jul", "aug", "sep", "okt", "nov", "dez"],
            ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"],
            ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"],
            ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"],
            ["janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro", "novembro", "dezembro"],
            ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"],
            ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"],
        ]
        for list in lists { for (n, name) in list.enumerated() { map[name] = n + 1 } }
        let extra: [String: Int] = [
            "sept": 9, "fevrier": 2, "aout": 8, "decembre": 12, "fevr": 2, "dec": 12, "jänner": 1,
            "maerz": 3, "setiembre": 9, "marco": 3, "janu": 1, "febr": 2,
        ]
        map.merge(extra) { old, _ in old }
        return map
    }()

    /// Zone names in minutes east of UTC: every RFC 822 zone (UT, GMT, the US zones, the
    /// military letters) and the common abbreviations news sites and feeds write. The military
    /// letters count as UTC: RFC 822 gave their signs backwards, and RFC 1123 and 2822 say to
    /// treat them as unknown. IST is India's (+05:30), the meaning feeds use.
    public static let zoneOffsets: [String: Int] = {
        var map: [String: Int] = [
            "ut": 0, "utc": 0, "gmt": 0, "z": 0,
            "est": -300, "edt": -240, "cst": -360, "cdt": -300, "mst": -420, "mdt": -360,
            "pst": -480, "pdt": -420, "wet": 0, "west": 60, "bst": 60, "cet": 60, "cest": 120,
            "mez": 60, "mesz": 120, "mest": 120, "eet": 120, "eest": 180, "msk": 180, "ist": 330, "hkt": 480,
            "sgt": 480, "jst": 540, "kst": 540, "aest": 600, "aedt": 660,
        ]
        for letter in "abcdefghiklmnopqrstuvwxy" { map[String(letter)] = 0 }
        return map
    }()

    /// Region names that are standard time in winter and daylight time in summer (`PT` is
    /// PST or PDT by the date), read through the region's rules. Whole values only.
    static let regionZones: [String: String] = [
        "pt": "America/Los_Angeles", "mt": "America/Denver", "ct": "America/Chicago",
        "et": "America/New_York", "at": "America/Halifax", "met": "Europe/Berlin",
    ]

    /// Zone names that are also everyday words ("a", German "ist", Latin "ut"): in running
    /// text the word after a time is far more often the sentence going on.
    private static let wordLikeZones: Set<String> = {
        var words: Set<String> = ["ut", "ist"]
        for letter in "abcdefghiklmnopqrstuvwxy" { words.insert(String(letter)) }
        return words
    }()
}
