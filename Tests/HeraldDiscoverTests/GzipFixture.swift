import Foundation
import HeraldTestSupport

/// Makes `.gz` test inputs with the system's gzip (a real compressor, so a "bomb" is small).
enum GzipFixture {
    struct Failed: Error {}

    static func compress(_ bytes: [UInt8]) async throws -> [UInt8] {
        let dir = TestPaths.temporaryDirectory("herald-gzip")
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("in")
        try Data(bytes).write(to: input)
        let gzip = try await ChildProcess.run(URL(fileURLWithPath: "/bin/gzip"), ["-9", "-n", "-k", input.path])
        guard gzip.status == 0 else { throw Failed() }
        return Array(try Data(contentsOf: dir.appendingPathComponent("in.gz")))
    }
}
