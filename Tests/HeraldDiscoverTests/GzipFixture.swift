import Foundation
import HeraldTestSupport

/// Makes `.gz` test inputs with the system's gzip (a real compressor, so a "bomb" is small).
enum GzipFixture {
    struct Failed: Error {}

    static func compress(_ bytes: [UInt8]) throws -> [UInt8] {
        let dir = TestPaths.temporaryDirectory("herald-gzip")
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("in")
        try Data(bytes).write(to: input)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-9", "-n", "-k", input.path]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Failed() }
        return Array(try Data(contentsOf: dir.appendingPathComponent("in.gz")))
    }
}
