import Foundation
import HeraldFormats

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
               let date = ParsedDate.plausible(year: y, month: m, day: d) {
                return date
            }
            // /2024-02-20/ or a slug starting with it
            let bytes = Array(part.utf8)
            if bytes.count >= 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
               let y = Int(part.prefix(4)), let m = Int(part.dropFirst(5).prefix(2)),
               let d = Int(part.dropFirst(8).prefix(2)),
               bytes.count == 10 || !(bytes[10] >= 48 && bytes[10] <= 57),
               let date = ParsedDate.plausible(year: y, month: m, day: d) {
                return date
            }
            // /20240220/
            if bytes.count == 8, bytes.allSatisfy({ $0 >= 48 && $0 <= 57 }),
               let y = Int(part.prefix(4)), let m = Int(part.dropFirst(4).prefix(2)),
               let d = Int(part.suffix(2)), let date = ParsedDate.plausible(year: y, month: m, day: d) {
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
        return ParsedDate.plausible(year: y, month: m, day: d)
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

    /// A plausible date starting at token `i` and the index after it (`DateGrammar.match`).
    private static func match(_ t: [DateToken], at i: Int, monthFirst: Bool) -> (ParsedDate, Int)? {
        guard let (date, end) = DateGrammar.match(t, at: i, monthFirst: monthFirst),
              date.isPlausiblePublication else { return nil }
        return (date, end)
    }
}
