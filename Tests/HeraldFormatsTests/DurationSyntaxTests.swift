import Foundation
import HeraldFormats
import Testing

/// Durations as operators write them and as herald prints them.
@Suite("Durations")
struct DurationSyntaxTests {
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
        #expect(DurationSyntax.format(.seconds(86_400 * 7)) == "7d")
        #expect(Duration.milliseconds(1500).timeInterval == 1.5)
    }

    @Test("what format prints parses back to the same duration", arguments: [
        Duration.zero, .milliseconds(1), .milliseconds(1500), .seconds(59), .seconds(90), .seconds(3600),
        .seconds(5400), .seconds(86_400 * 30), .seconds(604_800),
    ])
    func roundTrip(duration: Duration) throws {
        #expect(try DurationSyntax.parse(DurationSyntax.format(duration)) == duration)
    }

    @Test("weeks are read (`herald logs --since 1w`)")
    func weeks() throws {
        #expect(try DurationSyntax.parse("1w") == .seconds(604_800))
        #expect(try DurationSyntax.parse("1.5h") == .seconds(5400))
    }

    @Test("elapsed times: seconds, then minutes and seconds, then hours and minutes")
    func elapsed() {
        #expect(DurationSyntax.elapsed(44.6) == "45s")
        #expect(DurationSyntax.elapsed(44.64, tenths: true) == "44.6s")
        #expect(DurationSyntax.elapsed(125) == "2m05s")
        #expect(DurationSyntax.elapsed(125, tenths: true) == "2m05s")
        #expect(DurationSyntax.elapsed(3725) == "1h02m")
        #expect(DurationSyntax.elapsed(59.6) == "1m00s")
    }
}
