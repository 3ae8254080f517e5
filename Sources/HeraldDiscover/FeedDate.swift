import Foundation
import HeraldExtract

/// Parses the dates feeds and sitemaps carry: ISO 8601 / W3C datetime (Atom, `dc:date`,
/// sitemap `lastmod`, `news:publication_date`) and RFC 822/1123 (RSS `pubDate`), including the
/// sloppy variants real feeds publish (no weekday, full month names, two-digit years, named
/// US zones, `+01:00` offsets, a trailing `(CET)`). A date without a zone is taken as UTC.
/// Pure functions; thread-safe.
public enum FeedDate {
    /// The instant `text` names, or nil when it is not a date in a format above.
    public static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        var start = 0, end = bytes.count
        while start < end, bytes[start] <= 0x20 { start += 1 }
        while end > start, bytes[end - 1] <= 0x20 { end -= 1 }
        guard end - start >= 4 else { return nil }
        let trimmed = bytes[start..<end]
        if trimmed.prefix(4).allSatisfy(isDigit) { return iso8601(trimmed) }
        return rfc822(trimmed)
    }

    /// Formats a date as ISO 8601 in UTC (`2024-11-28T10:15:00Z`), for logs and state.
    public static func iso8601String(_ date: Date) -> String {
        var seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = Int((Double(seconds) / 86400).rounded(.down))
        seconds -= days * 86400
        let (y, m, d) = CivilCalendar.date(fromDays: days)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(y)-\(two(m))-\(two(d))T\(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60))Z"
    }

    // MARK: ISO 8601

    private static func iso8601(_ b: ArraySlice<UInt8>) -> Date? {
        var i = b.startIndex
        func number(_ count: Int) -> Int? {
            guard i + count <= b.endIndex else { return nil }
            var v = 0
            for k in i..<(i + count) {
                guard isDigit(b[k]) else { return nil }
                v = v * 10 + Int(b[k] - 0x30)
            }
            i += count
            return v
        }
        func accept(_ c: Character) -> Bool {
            if i < b.endIndex, b[i] == c.asciiValue! { i += 1; return true }
            return false
        }
        guard let year = number(4) else { return nil }
        var month = 1, day = 1, hour = 0, minute = 0, second = 0.0, offset = 0
        if accept("-") {
            guard let m = number(2) else { return nil }
            month = m
            if accept("-") {
                guard let d = number(2) else { return nil }
                day = d
            }
        } else if i < b.endIndex {
            // Basic format: 20241128[T101500Z]
            guard let m = number(2), let d = number(2) else { return nil }
            month = m
            day = d
        }
        if i < b.endIndex, b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: "t") || b[i] == 0x20 {
            i += 1
            guard let h = number(2) else { return nil }
            hour = h
            _ = accept(":")
            guard let mi = number(2) else { return nil }
            minute = mi
            if i < b.endIndex, b[i] == UInt8(ascii: ":") || isDigit(b[i]) {
                _ = accept(":")
                guard let s = number(2) else { return nil }
                second = Double(s)
                if i < b.endIndex, b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: ",") {
                    i += 1
                    var scale = 0.1
                    while i < b.endIndex, isDigit(b[i]) {
                        second += Double(b[i] - 0x30) * scale
                        scale /= 10
                        i += 1
                    }
                }
            }
            while i < b.endIndex, b[i] == 0x20 { i += 1 }
            if i < b.endIndex {
                if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
                    i += 1
                } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
                    let sign = b[i] == UInt8(ascii: "-") ? -1 : 1
                    i += 1
                    guard let oh = number(2) else { return nil }
                    _ = accept(":")
                    let om = number(2) ?? 0
                    offset = sign * (oh * 3600 + om * 60)
                } else {
                    return nil
                }
            }
        }
        guard i == b.endIndex else { return nil }
        return make(year: year, month: month, day: day, hour: hour, minute: minute, second: second,
                     offset: offset)
    }

    // MARK: RFC 822

    private static let months: [String: Int] = [
        "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
        "oct": 10, "nov": 11, "dec": 12,
    ]
    private static let zones: [String: Int] = [
        "gmt": 0, "ut": 0, "utc": 0, "z": 0, "est": -5, "edt": -4, "cst": -6, "cdt": -5,
        "mst": -7, "mdt": -6, "pst": -8, "pdt": -7, "bst": 1, "cet": 1, "cest": 2, "eet": 2,
        "eest": 3, "ist": 5, "jst": 9, "aest": 10, "aedt": 11,
    ]

    private static func rfc822(_ b: ArraySlice<UInt8>) -> Date? {
        // Tokens split on spaces and commas; a parenthesised comment ends the date.
        var tokens: [String] = []
        for raw in String(decoding: b, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" }) {
            if raw.hasPrefix("(") { break }
            tokens.append(raw.lowercased())
        }
        var k = 0
        if k < tokens.count, tokens[k].first?.isLetter == true, months[String(tokens[k].prefix(3))] == nil {
            k += 1 // weekday
        }
        var day: Int?, month: Int?
        // "28 Nov 2024" or "Nov 28 2024"
        if k + 1 < tokens.count {
            if let d = Int(tokens[k]), let m = months[String(tokens[k + 1].prefix(3))] {
                day = d; month = m
            } else if let m = months[String(tokens[k].prefix(3))], let d = Int(tokens[k + 1]) {
                day = d; month = m
            }
            k += 2
        }
        guard let day, let month, k < tokens.count, var year = Int(tokens[k]) else { return nil }
        k += 1
        if tokens[k - 1].count <= 2 { year += year < 50 ? 2000 : 1900 }
        var hour = 0, minute = 0, second = 0.0, offset = 0
        if k < tokens.count, tokens[k].contains(":") {
            let parts = tokens[k].split(separator: ":")
            guard parts.count >= 2, let h = Int(parts[0]), let m = Int(parts[1]) else { return nil }
            hour = h; minute = m
            if parts.count > 2 { guard let s = Double(parts[2]) else { return nil }; second = s }
            k += 1
        }
        if k < tokens.count {
            let zone = tokens[k]
            if let hours = zones[zone] {
                offset = hours * 3600
            } else if let sign = zone.first, sign == "+" || sign == "-" {
                let digits = zone.dropFirst().filter(\.isNumber)
                guard digits.count == 4 || digits.count == 2, let v = Int(digits) else { return nil }
                let h = digits.count == 4 ? v / 100 : v, m = digits.count == 4 ? v % 100 : 0
                offset = (sign == "-" ? -1 : 1) * (h * 3600 + m * 60)
            }
            // Anything else (military letters, unknown abbreviations): UTC.
        }
        return make(year: year, month: month, day: day, hour: hour, minute: minute, second: second,
                     offset: offset)
    }

    // MARK: calendar arithmetic

    private static func make(year: Int, month: Int, day: Int, hour: Int, minute: Int,
                             second: Double, offset: Int) -> Date? {
        guard (1...12).contains(month), (1...31).contains(day), (0...24).contains(hour),
              (0...59).contains(minute), second >= 0, second < 61, (1...9999).contains(year) else {
            return nil
        }
        let days = CivilCalendar.days(year: year, month: month, day: day)
        let seconds = Double(days * 86400 + hour * 3600 + minute * 60 - offset) + second
        return Date(timeIntervalSince1970: seconds)
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
}
