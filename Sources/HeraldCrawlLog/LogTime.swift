import Foundation

/// The timestamp format of run files and `--json` output: ISO 8601 in UTC with milliseconds.
enum LogTime {
    private static let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    private static let plain = Date.ISO8601FormatStyle()

    static func format(_ date: Date) -> String {
        withFraction.format(date)
    }

    static func parse(_ text: String) -> Date? {
        (try? withFraction.parse(text)) ?? (try? plain.parse(text))
    }
}
