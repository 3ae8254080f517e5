import Foundation
import Testing
@testable import HeraldDiscover

@Suite("FeedDate parsing")
struct FeedDateTests {
    /// (text, expected instant in UTC as ISO 8601; nil = not a date)
    static let cases: [(String, String?)] = [
        // RFC 822 / 1123 as RSS pubDate
        ("Thu, 28 Nov 2024 10:15:00 GMT", "2024-11-28T10:15:00Z"),
        ("Thu, 28 Nov 2024 10:15:00 +0200", "2024-11-28T08:15:00Z"),
        ("Thu, 28 Nov 2024 10:15:00 -0500", "2024-11-28T15:15:00Z"),
        ("Thu, 28 Nov 2024 10:15:00 EST", "2024-11-28T15:15:00Z"),
        ("Thu, 28 Nov 2024 10:15:00 +02:00", "2024-11-28T08:15:00Z"),
        ("Thu, 28 Nov 2024 10:15:00 +0100 (CET)", "2024-11-28T09:15:00Z"),
        ("28 Nov 2024 10:15 GMT", "2024-11-28T10:15:00Z"),
        ("Thursday, 28 November 2024 10:15:00 Z", "2024-11-28T10:15:00Z"),
        ("Thu, 28 Nov 24 10:15:00 GMT", "2024-11-28T10:15:00Z"),
        ("Thu, 5 Dec 2024 09:00:00", "2024-12-05T09:00:00Z"),
        ("Thu Nov 28 2024 10:15:00 GMT", "2024-11-28T10:15:00Z"),
        ("  Thu, 28 Nov 2024 10:15:00 GMT\n", "2024-11-28T10:15:00Z"),
        // ISO 8601 / W3C datetime
        ("2024-11-28T10:15:00Z", "2024-11-28T10:15:00Z"),
        ("2024-11-28T10:15:00.123Z", "2024-11-28T10:15:00Z"),
        ("2024-11-28T12:15:00+02:00", "2024-11-28T10:15:00Z"),
        ("2024-11-28T05:15:00-0500", "2024-11-28T10:15:00Z"),
        ("2024-11-28T10:15+00:00", "2024-11-28T10:15:00Z"),
        ("2024-11-28 10:15:00", "2024-11-28T10:15:00Z"),
        ("2024-11-28", "2024-11-28T00:00:00Z"),
        ("2024-11", "2024-11-01T00:00:00Z"),
        ("2024", "2024-01-01T00:00:00Z"),
        ("20241128T101500Z", "2024-11-28T10:15:00Z"),
        ("2024-02-29T23:59:59Z", "2024-02-29T23:59:59Z"),
        ("1999-12-31T23:00:00-01:00", "2000-01-01T00:00:00Z"),
        // not dates
        ("", nil),
        ("yesterday", nil),
        ("2024-13-01", nil),
        ("2024-11-28T25:00:00Z", nil),
        ("Thu, 28 Foo 2024 10:15:00 GMT", nil),
        ("2024-11-28T10:15:00 garbage", nil),
    ]

    @Test("RFC 822 and ISO 8601 variants", arguments: cases)
    func parses(text: String, expected: String?) {
        #expect(FeedDate.parse(text).map(FeedDate.iso8601String) == expected)
    }

    @Test("formatting matches Foundation's epoch")
    func epoch() {
        #expect(FeedDate.iso8601String(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
        #expect(FeedDate.parse("2024-11-28T10:15:00Z")?.timeIntervalSince1970 == 1_732_788_900)
    }
}
