import Foundation
import HeraldConfig
import HeraldCrawlLog
import HeraldFormats
import Testing

@Suite("Sizes and log retention")
struct ValueSyntaxTests {
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
