import Foundation

/// Parses and prints durations as operators write them (configuration files, `--since`): a
/// number with a unit (`500ms`, `30s`, `15m`, `2h`, `1d`, `1w`), several of them combined
/// (`1h30m`), or a bare `0`; and prints elapsed times for people (`4.2s`, `2m05s`, `1h02m`).
/// Pure functions; thread-safe.
public enum DurationSyntax {
    static let units: [(suffix: String, milliseconds: Int64)] = [
        ("ms", 1), ("s", 1_000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000), ("w", 604_800_000),
    ]

    /// Parses `text`; throws a `ValueSyntaxError` explaining the accepted forms otherwise.
    public static func parse(_ text: String) throws(ValueSyntaxError) -> Duration {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let hint = "use a number with a unit: 500ms, 30s, 15m, 2h, 1d"
        if trimmed == "0" { return .zero }
        if trimmed.isEmpty { throw ValueSyntaxError("empty duration (\(hint))") }
        if Double(trimmed) != nil { throw ValueSyntaxError("\"\(trimmed)\" needs a unit (\(hint))") }
        var total: Double = 0
        var rest = Substring(trimmed)
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, let value = Double(number) else {
                throw ValueSyntaxError("\"\(trimmed)\" is not a duration (\(hint))")
            }
            rest = rest.dropFirst(number.count).drop { $0 == " " }
            let unitText = rest.prefix { $0.isLetter }
            guard let unit = units.first(where: { $0.suffix == unitText.lowercased() }) else {
                throw ValueSyntaxError("\"\(trimmed)\" is not a duration (\(hint))")
            }
            rest = rest.dropFirst(unitText.count).drop { $0 == " " }
            total += value * Double(unit.milliseconds)
        }
        guard total.isFinite, total < 1e15 else { throw ValueSyntaxError("\"\(trimmed)\" is too long") }
        return .milliseconds(Int64(total.rounded()))
    }

    /// The shortest exact spelling of `duration` in this syntax (`90s` prints as `90s`,
    /// `3600s` as `1h`), so messages and summaries echo what an operator would write.
    public static func format(_ duration: Duration) -> String {
        let ms = milliseconds(duration)
        if ms == 0 { return "0" }
        // Weeks are read but not printed: `7d` has always printed as `7d`.
        for unit in units.dropLast().reversed() where ms % unit.milliseconds == 0 {
            return "\(ms / unit.milliseconds)\(unit.suffix)"
        }
        return "\(ms)ms"
    }

    /// An elapsed time at a glance: under a minute in seconds (`45s`, or `44.6s` with
    /// `tenths`), then minutes and seconds (`2m05s`), then hours and minutes (`1h02m`).
    public static func elapsed(_ seconds: Double, tenths: Bool = false) -> String {
        if tenths, seconds < 60 { return String(format: "%.1fs", seconds) }
        let whole = Int(seconds.rounded())
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        if whole < 60 { return "\(whole)s" }
        if whole < 3600 { return "\(whole / 60)m\(two(whole % 60))s" }
        return "\(whole / 3600)h\(two(whole / 60 % 60))m"
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        let c = duration.components
        return c.seconds * 1_000 + c.attoseconds / 1_000_000_000_000_000
    }
}

extension Duration {
    /// The duration in seconds, for `Date` arithmetic and C APIs that take seconds.
    public var timeInterval: TimeInterval {
        let c = components
        return Double(c.seconds) + Double(c.attoseconds) / 1e18
    }
}
