import Foundation
import HeraldConfig
import HeraldTestSupport

/// Writes YAML files into a fresh temporary directory for one test.
struct ConfigFixture {
    let directory = TestPaths.temporaryDirectory("herald-config")

    @discardableResult
    func write(_ name: String, _ text: String) -> URL {
        let url = directory.appendingPathComponent(name)
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try! text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}

/// The problems a throwing load reports (empty when it succeeds).
func problems<T>(_ load: () throws -> T) -> [ConfigProblem] {
    do {
        _ = try load()
        return []
    } catch let error as ConfigurationError {
        return error.problems
    } catch {
        return [ConfigProblem(file: "?", line: nil, message: "unexpected error \(error)")]
    }
}
