import Foundation
import HeraldConfig
import Testing

@Suite("Durations, sizes and log retention")
struct ValueSyntaxTests {
    @Test("durations in every unit, combined, and zero", arguments: [
        ("500ms", Duration.milliseconds(500)), ("30s", .seconds(30)), ("15m", .seconds(900)),
        ("2h", .seconds(7200)), ("1d", .seconds(86_400)), ("1h30m", .seconds(5400)),
        ("1.5s", .milliseconds(1500)), (" 10 s ", .seconds(10)), ("0", .zero), ("2H", .seconds(7200)),
    ])
    func durations(text: String, expected: Duration) throws {
        #expect(try DurationSyntax.parse(text) == expected)
    }

    @Test("durations without a unit or with an unknown unit are rejected with a hint",
          arguments: ["30", "", "10x", "s", "1h30", "fast", "-5s"])
    func badDurations(text: String) {
        #expect(throws: ValueSyntaxError.self) { try DurationSyntax.parse(text) }
    }

    @Test func durationErrorSaysWhatToWrite() {
        #expect {
            try DurationSyntax.parse("30")
        } throws: { error in
            "\(error)".contains("needs a unit") && "\(error)".contains("30s")
        }
    }

    @Test("durations print in the largest exact unit")
    func durationFormat() {
        #expect(DurationSyntax.format(.seconds(3600)) == "1h")
        #expect(DurationSyntax.format(.seconds(90)) == "90s")
        #expect(DurationSyntax.format(.milliseconds(1500)) == "1500ms")
        #expect(DurationSyntax.format(.seconds(86_400 * 30)) == "30d")
        #expect(Duration.milliseconds(1500).timeInterval == 1.5)
    }

    @Test("sizes: SI units are powers of 1000, binary units powers of 1024", arguments: [
        ("10MB", 10_000_000), ("512KB", 512_000), ("1GB", 1_000_000_000), ("1GiB", 1 << 30),
        ("512KiB", 512 << 10), ("2MiB", 2 << 20), ("100", 100), ("100B", 100), ("10mb", 10_000_000),
        ("1.5MB", 1_500_000), ("64 KiB", 64 << 10),
    ])
    func sizes(text: String, expected: Int) throws {
        #expect(try ByteSizeSyntax.parse(text) == expected)
    }

    @Test("malformed sizes are rejected", arguments: ["10XB", "MB", "", "ten", "-1MB", "1TB"])
    func badSizes(text: String) {
        #expect(throws: ValueSyntaxError.self) { try ByteSizeSyntax.parse(text) }
    }

    @Test func sizeFormat() {
        #expect(ByteSizeSyntax.format(10_000_000) == "10MB")
        #expect(ByteSizeSyntax.format(1 << 20) == "1MiB")
        #expect(ByteSizeSyntax.format(1234) == "1234B")
    }

    @Test("log retention is a number of runs or an age")
    func logRetention() throws {
        #expect(try LogRetention(parsing: "100 runs") == .runs(100))
        #expect(try LogRetention(parsing: "1 run") == .runs(1))
        #expect(try LogRetention(parsing: "30d") == .age(.seconds(30 * 86_400)))
        #expect(throws: ValueSyntaxError.self) { try LogRetention(parsing: "0 runs") }
        #expect(throws: ValueSyntaxError.self) { try LogRetention(parsing: "forever") }
        #expect(throws: ValueSyntaxError.self) { try LogRetention(parsing: "0") }
        #expect(LogRetention.runs(100).description == "100 runs")
    }
}
