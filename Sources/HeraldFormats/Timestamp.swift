import Foundation

/// The written forms of an instant herald prints, one function per form, so that spool
/// records, run files, status and logs cannot drift apart. Reading them back is
/// `DateGrammar.instant`. Thread-safe.
public enum Timestamp {
    private static let seconds = Date.ISO8601FormatStyle()
    private static let milliseconds = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// `2024-11-28T10:15:00Z`: ISO 8601 in UTC to the second (spool records, `herald logs`).
    public static func iso8601(_ date: Date) -> String { seconds.format(date) }

    /// `2024-11-28T10:15:00.123Z`: ISO 8601 in UTC to the millisecond (run files, the control
    /// socket, the journal), where events a few milliseconds apart must keep their order.
    public static func iso8601Milliseconds(_ date: Date) -> String { milliseconds.format(date) }

    /// `14:05:09` in the machine's time zone, for people watching a terminal or the journal.
    public static func localClock(_ date: Date) -> String {
        let c = Calendar.current.dateComponents([.hour, .minute, .second], from: date)
        return "\(two(c.hour ?? 0)):\(two(c.minute ?? 0)):\(two(c.second ?? 0))"
    }

    /// `2024-11-28 14:05:09` in the machine's time zone.
    public static func localDateTime(_ date: Date) -> String {
        let c = Calendar.current.dateComponents([.year, .month, .day], from: date)
        return "\(c.year ?? 0)-\(two(c.month ?? 0))-\(two(c.day ?? 0)) " + localClock(date)
    }

    private static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
