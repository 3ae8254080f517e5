import Foundation

/// Run identifiers: `20261129T142300Z-lbci-3f9a` — UTC start second, crawl name, random suffix.
///
/// They sort by start time as plain strings (in file listings too) and name the crawl at a
/// glance; the suffix, together with the exclusive creation of the run file, keeps them unique.
public enum RunID {
    /// A new id for a run of `crawl` starting at `start`.
    public static func make(crawl: String, start: Date) -> String {
        let suffix = String(UInt16.random(in: .min ... .max), radix: 16)
        let padded = String(repeating: "0", count: 4 - suffix.count) + suffix
        return "\(stamp(start))-\(safeName(crawl))-\(padded)"
    }

    /// The crawl name restricted to characters safe in file names and ids.
    public static func safeName(_ crawl: String) -> String {
        let mapped = crawl.lowercased().unicodeScalars.map { s -> Character in
            switch s {
            case "a"..."z", "0"..."9", "_", "-", ".": Character(s)
            default: "_"
            }
        }
        let name = String(mapped).trimmingCharacters(in: CharacterSet(charactersIn: "."))
        return name.isEmpty ? "crawl" : String(name.prefix(64))
    }

    static func stamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ v: Int?) -> String { v.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "00" }
        return "\(c.year ?? 1970)\(two(c.month))\(two(c.day))T\(two(c.hour))\(two(c.minute))\(two(c.second))Z"
    }
}
