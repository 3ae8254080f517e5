import Foundation

/// Parses the dates pages carry (ISO 8601, RFC 822, numeric `20.02.2024`, written
/// `20 février 2024`, `Feb. 20, 2024 at 6:01 am`, `2024-02-20 | 07:27`, `2024年2月20日`) into
/// ISO 8601 text.
///
/// Output: `YYYY-MM-DD` when the page gives no time, `YYYY-MM-DDTHH:MM:SS` (local time of the
/// page) when it gives no offset, else with `Z` or `±HH:MM`. Dates before 1995 or more than a
/// day in the future are rejected as implausible publication dates. Pure functions.
enum DateParser {
    /// The first plausible date in `raw` as ISO 8601, or nil.
    static func parse(_ raw: String) -> String? {
        find(in: raw, skipUpdated: false, monthFirst: false)?.iso
    }

    /// The first plausible date in `text`. With `skipUpdated`, a date introduced by "updated",
    /// "modified", "aktualisiert", "mis à jour" ... is passed over. `monthFirst` resolves
    /// ambiguous numeric dates like `03/04/2024` the US way.
    static func find(in text: String, skipUpdated: Bool, monthFirst: Bool) -> ParsedDate? {
        let tokens = DateTokenizer.tokens(of: text)
        var i = 0
        var lastEnd = 0
        while i < tokens.count {
            if let (date, end) = match(tokens, at: i, monthFirst: monthFirst) {
                if skipUpdated, introducesUpdate(tokens, from: lastEnd, to: i) {
                    lastEnd = end
                    i = end
                    continue
                }
                return date
            }
            i += 1
        }
        return nil
    }

    /// The first date in `text` introduced as an update ("Updated April 29, 2019 at 3:33 pm",
    /// "Mis à jour le ..."), or nil.
    static func findUpdate(in text: String, monthFirst: Bool) -> ParsedDate? {
        let tokens = DateTokenizer.tokens(of: text)
        var i = 0
        var lastEnd = 0
        while i < tokens.count {
            if let (date, end) = match(tokens, at: i, monthFirst: monthFirst) {
                if introducesUpdate(tokens, from: lastEnd, to: i) { return date }
                lastEnd = end
                i = end
                continue
            }
            i += 1
        }
        return nil
    }

    /// A date found in a URL path: `/2024/02/20/`, `/2024-02-20/`, `/20240220/`.
    static func fromURLPathDate(_ url: String) -> ParsedDate? {
        guard let path = URLComponents(string: url)?.path, !path.isEmpty else { return nil }
        let parts = path.split(separator: "/").map(String.init)
        for (k, part) in parts.enumerated() {
            // /2024/02/20/
            if part.count == 4, let y = Int(part), k + 2 < parts.count,
               parts[k + 1].count <= 2, let m = Int(parts[k + 1]),
               parts[k + 2].count <= 2, let d = Int(parts[k + 2]),
               let date = ParsedDate(year: y, month: m, day: d) {
                return date
            }
            // /2024-02-20/ or a slug starting with it
            let bytes = Array(part.utf8)
            if bytes.count >= 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
               let y = Int(part.prefix(4)), let m = Int(part.dropFirst(5).prefix(2)),
               let d = Int(part.dropFirst(8).prefix(2)),
               bytes.count == 10 || !(bytes[10] >= 48 && bytes[10] <= 57),
               let date = ParsedDate(year: y, month: m, day: d) {
                return date
            }
            // /20240220/
            if bytes.count == 8, bytes.allSatisfy({ $0 >= 48 && $0 <= 57 }),
               let y = Int(part.prefix(4)), let m = Int(part.dropFirst(4).prefix(2)),
               let d = Int(part.suffix(2)), let date = ParsedDate(year: y, month: m, day: d) {
                return date
            }
        }
        return nil
    }

    // MARK: every date in a text, with what introduces it

    /// What the words before a date in visible text say it is.
    enum DateLabel: Equatable {
        /// Nothing: a bare date.
        case none
        /// "Published", "Posted", "Datum:", "Erschienen am" ...
        case published
        /// "Updated", "Aktualisiert", "Stand:", "Letzte Änderung" ...
        case updated
        /// "©", "Copyright".
        case copyright
        /// Not a publication date at all: the current time, a registration date, an
        /// availability or deadline ("Aktuelle Zeit:", "Registriert:", "verfügbar bis").
        case notPublication
    }

    /// A date found in visible text.
    struct LabelledDate {
        var date: ParsedDate
        var label: DateLabel
        /// One end of a range ("12.10. - 15.10.2023", "vom 6. bis 7. März"): an event, not a
        /// publication.
        var isRange: Bool
        /// Among the first few words of the text: a dateline, even at the head of a paragraph.
        var isLeading: Bool = false
    }

    /// Every plausible date in the first `limit` characters of `text`, each with the label the
    /// words before it give. A lone number (epoch seconds are a data-attribute form) is not a
    /// visible date.
    static func all(in text: String, monthFirst: Bool, limit: Int = 400) -> [LabelledDate] {
        let tokens = DateTokenizer.tokens(of: text, limit: limit)
        guard tokens.count > 1 else { return [] }
        var out: [LabelledDate] = []
        var i = 0
        var lastEnd = 0
        while i < tokens.count {
            if let (date, end) = match(tokens, at: i, monthFirst: monthFirst) {
                let range = isRangeEnd(tokens, before: i) || isRangeStart(tokens, after: end)
                out.append(LabelledDate(date: date, label: label(tokens, from: lastEnd, to: i), isRange: range,
                                        isLeading: i < 12))
                lastEnd = end
                i = end
                continue
            }
            i += 1
        }
        return out
    }

    /// The label of the nearest label word among the few words before token `to`.
    private static func label(_ t: [DateToken], from: Int, to: Int) -> DateLabel {
        var k = to - 1
        var looked = 0
        while k >= from, looked < 6 {
            switch t[k] {
            case .word(let w):
                if updateWords.contains(w) { return .updated }
                if publishWords.contains(w) || publishLabels.contains(w) { return .published }
                if copyrightWords.contains(w) { return .copyright }
                if notPublicationWords.contains(w) { return .notPublication }
                looked += 1
            case .punct(let c):
                if c == "©" { return .copyright }
            case .number:
                looked += 1
            }
            k -= 1
        }
        return .none
    }

    /// "12.10. - 15.10.2023", "6. - 7. März 2020", "bis 7. März": a dash or "bis"/"to" right
    /// before, with a number before that.
    private static func isRangeEnd(_ t: [DateToken], before i: Int) -> Bool {
        var k = i - 1
        if k >= 0, t[k].isPunct(".") { k -= 1 }
        guard k >= 1 else { return false }
        let joins = t[k].isPunct("-–—") || rangeWords.contains(word(t[k]))
        guard joins else { return false }
        var j = k - 1
        if j >= 0, t[j].isPunct(".") { j -= 1 }
        if j >= 0, case .number = t[j] { return true }
        return false
    }

    /// "28.01.2022 – 29.01.2022", "6. bis 7. März": a dash or "bis"/"to" right after, then a
    /// number.
    private static func isRangeStart(_ t: [DateToken], after end: Int) -> Bool {
        guard end + 1 < t.count else { return false }
        let joins = t[end].isPunct("-–—") || rangeWords.contains(word(t[end]))
        guard joins, case .number = t[end + 1] else { return false }
        return true
    }

    private static func word(_ t: DateToken) -> String {
        if case .word(let w) = t { return w }
        return ""
    }

    private static let publishLabels: Set<String> = [
        "datum", "date", "fecha", "data", "erschienen", "veröffentlichung", "publiziert", "eingestellt",
        "gespeichert", "submitted", "issued", "released",
    ]
    private static let copyrightWords: Set<String> = ["copyright", "urheberrecht"]
    private static let notPublicationWords: Set<String> = [
        "zeit", "currently", "current", "registriert", "registered", "joined", "seit", "since",
        "verfügbar", "available", "until", "bis", "expires", "gültig", "valid", "deadline", "frist",
        "geburtstag", "born", "geboren", "retrieved", "accessed", "abgerufen", "ab",
    ]
    private static let rangeWords: Set<String> = ["bis", "to", "until", "till", "au", "al"]

    // MARK: relative dates

    /// A relative date ("3 hours ago", "vor 2 Tagen", "il y a 3 jours", "hace 2 días",
    /// "2 giorni fa", "yesterday", "gestern") resolved against `now`, as the UTC calendar day it
    /// names (date only: "3 hours ago" says nothing about the minute). Units up to weeks; "2
    /// months ago" is too coarse for a day and gives nil. "Today"/"yesterday" words count only
    /// when `standalone` (a short dateline), since menus say "Today" too.
    static func relative(in text: String, now: Date, standalone: Bool) -> ParsedDate? {
        let tokens = DateTokenizer.tokens(of: text, limit: 200)
        var seconds: Int?
        for (k, token) in tokens.enumerated() {
            guard case .word(let w) = token else {
                // "3 hours ago", "2 giorni fa", "3 dagen geleden": number, unit, then "ago".
                if case .number(let n, let digits) = token, digits <= 3, k + 2 < tokens.count,
                   let unit = relativeUnits[word(tokens[k + 1])], agoAfter.contains(word(tokens[k + 2])) {
                    seconds = n * unit
                }
                if seconds != nil { break }
                continue
            }
            // "vor 2 Tagen", "il y a 3 jours", "hace 2 días", "há 3 horas", "vor einer Stunde".
            if agoBefore.contains(w) {
                var j = k + 1
                // "il y a": skip "y" and "a".
                while j < tokens.count, ["y", "a"].contains(word(tokens[j])), w == "il" { j += 1 }
                guard j + 1 < tokens.count else { continue }
                var count: Int?
                if case .number(let n, let digits) = tokens[j], digits <= 3 { count = n }
                else if oneWords.contains(word(tokens[j])) { count = 1 }
                if let count, let unit = relativeUnits[word(tokens[j + 1])] {
                    seconds = count * unit
                    break
                }
                continue
            }
            if standalone, let days = dayWords[w] {
                seconds = days * 86400
                break
            }
        }
        guard let seconds else { return nil }
        let day = Int((now.timeIntervalSince1970 - Double(seconds)) / 86400)
        let (y, m, d) = CivilCalendar.date(fromDays: day)
        return ParsedDate(year: y, month: m, day: d)
    }

    private static let agoAfter: Set<String> = ["ago", "fa", "geleden", "siden", "sedan", "temu"]
    private static let agoBefore: Set<String> = ["vor", "il", "hace", "há", "ha", "hai", "acum"]
    private static let oneWords: Set<String> = [
        "a", "an", "one", "einer", "einem", "un", "une", "una", "uno", "um", "uma", "een", "o",
    ]
    private static let dayWords: [String: Int] = [
        "today": 0, "heute": 0, "aujourd": 0, "hoy": 0, "oggi": 0, "hoje": 0, "vandaag": 0,
        "yesterday": 1, "gestern": 1, "hier": 1, "ayer": 1, "ieri": 1, "ontem": 1, "gisteren": 1,
        "vorgestern": 2, "anteayer": 2,
    ]
    /// Unit words (singular and plural) in seconds, up to weeks.
    private static let relativeUnits: [String: Int] = {
        var map: [String: Int] = [:]
        let units: [(Int, [String])] = [
            (1, ["second", "seconds", "sec", "secs", "sekunde", "sekunden", "seconde", "secondes", "segundo", "segundos",
                 "secondo", "secondi", "seconden"]),
            (60, ["minute", "minutes", "min", "mins", "minuten", "minuto", "minutos", "minuti", "minuut"]),
            (3600, ["hour", "hours", "hr", "hrs", "stunde", "stunden", "heure", "heures", "hora", "horas", "ora", "ore",
                    "uur"]),
            (86400, ["day", "days", "tag", "tagen", "tage", "jour", "jours", "día", "días", "dia", "dias", "giorno",
                     "giorni", "dag", "dagen", "zile", "zi"]),
            (604_800, ["week", "weeks", "woche", "wochen", "semaine", "semaines", "semana", "semanas", "settimana",
                       "settimane", "weken"]),
        ]
        for (seconds, words) in units { for w in words { map[w] = seconds } }
        return map
    }()

    // MARK: matching

    private static func introducesUpdate(_ t: [DateToken], from: Int, to: Int) -> Bool {
        var k = to - 1
        var looked = 0
        while k >= from, looked < 6 {
            if case .word(let w) = t[k] {
                if updateWords.contains(w) { return true }
                if publishWords.contains(w) { return false }
                looked += 1
            }
            k -= 1
        }
        return false
    }

    private static let updateWords: Set<String> = [
        "updated", "update", "modified", "edited", "revised", "aktualisiert", "geändert", "aktualisierung",
        "jour", "modifié", "modifie", "actualizado", "actualizada", "actualización", "aggiornato",
        "aggiornamento", "atualizado", "bijgewerkt", "änderung", "stand",
    ]
    private static let publishWords: Set<String> = [
        "published", "posted", "publié", "publie", "veröffentlicht", "publicado", "publicada",
        "pubblicato", "gepubliceerd", "erstellt", "created",
    ]

    /// A date (and the time that may follow it) starting at token `i`; returns the date and the
    /// index after the last token used.
    private static func match(_ t: [DateToken], at i: Int, monthFirst: Bool) -> (ParsedDate, Int)? {
        guard case .number(let first, let firstDigits) = t[i] else {
            if case .word(let w) = t[i], let month = months[w] {
                return matchMonthFirst(t, at: i, month: month)
            }
            return nil
        }
        // Epoch seconds or milliseconds, only as the whole value (data attributes, JSON).
        if t.count == 1, firstDigits == 10 || firstDigits == 13 {
            let seconds = firstDigits == 13 ? first / 1000 : first
            return ParsedDate(epochSeconds: seconds).map { ($0, 1) }
        }
        if firstDigits == 4 {
            // 2024-02-20, 2024/02/20, 2024.02.20, 2024年2月20日
            if i + 4 < t.count, case .number(let m, let md) = t[i + 2], md <= 2,
               case .number(let d, let dd) = t[i + 4], dd <= 2 {
                let sep1 = t[i + 1], sep2 = t[i + 3]
                let numeric = sep1.isPunct("-/.") && sep1 == sep2
                let cjk = sep1 == .word("年") && sep2 == .word("月")
                if numeric || cjk, var date = ParsedDate(year: first, month: m, day: d) {
                    var end = i + 5
                    if cjk, end < t.count, t[end] == .word("日") { end += 1 }
                    end = parseTime(t, from: end, into: &date)
                    return (date, end)
                }
            }
            // 20240220 is only taken from URLs (too many other 8-digit numbers in text).
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
            if var date = ParsedDate(year: year, month: m, day: d) {
                let end = parseTime(t, from: i + 5, into: &date)
                return (date, end)
            }
            return nil
        }
        // 20 February 2024, 20. Februar 2024, 20 de febrero de 2024, 1er mars 2024, 20th of May, 2024
        var k = i + 1
        var skipped = 0
        while k < t.count, skipped < 3 {
            if case .word(let w) = t[k], let month = months[w] {
                var y = k + 1
                var filler = 0
                while y < t.count, filler < 2, t[y].isPunct(".,") || t[y] == .word("de") || t[y] == .word("del") {
                    y += 1
                    filler += 1
                }
                guard y < t.count, case .number(let year, 4) = t[y],
                      var date = ParsedDate(year: year, month: month, day: first) else { return nil }
                let end = parseTime(t, from: y + 1, into: &date)
                return (date, end)
            }
            guard t[k].isPunct(".") || t[k].isOrdinalOrConnector else { return nil }
            k += 1
            skipped += 1
        }
        return nil
    }

    /// February 20, 2024; Feb. 20th 2024; février 20, 2024.
    private static func matchMonthFirst(_ t: [DateToken], at i: Int, month: Int) -> (ParsedDate, Int)? {
        var k = i + 1
        if k < t.count, t[k].isPunct(".") { k += 1 }
        guard k < t.count, case .number(let day, let dd) = t[k], dd <= 2 else { return nil }
        k += 1
        var filler = 0
        while k < t.count, filler < 2, t[k].isPunct(",") || t[k].isOrdinalOrConnector {
            k += 1
            filler += 1
        }
        guard k < t.count, case .number(let year, 4) = t[k],
              var date = ParsedDate(year: year, month: month, day: day) else { return nil }
        let end = parseTime(t, from: k + 1, into: &date)
        return (date, end)
    }

    /// Reads `07:27`, `7:27:05.123`, `6:01 a.m.`, `07h27`, `07.27 Uhr` and a zone after it, if
    /// present right after the date; returns the index after what it used.
    private static func parseTime(_ t: [DateToken], from start: Int, into date: inout ParsedDate) -> Int {
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
        k += 3
        if k + 1 < t.count, t[k].isPunct(":"), case .number(let s, 2) = t[k + 1] {
            second = s
            k += 2
            // fractional seconds
            if k + 1 < t.count, t[k].isPunct(".,"), case .number = t[k + 1] { k += 2 }
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
        k = parseZone(t, from: k, into: &date)
        return k
    }

    private static func parseZone(_ t: [DateToken], from start: Int, into date: inout ParsedDate) -> Int {
        var k = start
        guard k < t.count else { return k }
        if case .word(let w) = t[k] {
            if w == "z" { date.offsetMinutes = 0; return k + 1 }
            if w == "utc" || w == "gmt" {
                date.offsetMinutes = 0
                k += 1
                // GMT+1, UTC-05:00
                if let (offset, next) = numericOffset(t, at: k) { date.offsetMinutes = offset; return next }
                return k
            }
            if let offset = zoneAbbreviations[w] { date.offsetMinutes = offset; return k + 1 }
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
    static let months: [String: Int] = {
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

    /// Common zone abbreviations with an unambiguous offset, in minutes.
    static let zoneAbbreviations: [String: Int] = [
        "est": -300, "edt": -240, "cst": -360, "cdt": -300, "mst": -420, "mdt": -360,
        "pst": -480, "pdt": -420, "cet": 60, "cest": 120, "mez": 60, "mesz": 120, "bst": 60,
        "eet": 120, "eest": 180, "msk": 180, "jst": 540, "kst": 540, "hkt": 480, "sgt": 480,
        "aest": 600, "aedt": 660, "wet": 0, "west": 60,
    ]
}
