import Foundation
import HeraldConfig
import HeraldTestSupport
import Testing

@Suite("README configuration reference")
struct ReadmeConfigTableTests {
    /// The first column of the table under `## Configuration`, without backticks.
    func readmeKeys() throws -> [String] {
        let readme = try String(contentsOf: TestPaths.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        guard let start = readme.range(of: "## Configuration\n") else { return [] }
        let lines = readme[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false)
        let body = lines.prefix { !$0.hasPrefix("## ") }
        return body.filter { $0.hasPrefix("| `") }.map { line in
            String(line.dropFirst(3).prefix { $0 != "`" })
        }
    }

    @Test("README's configuration table lists exactly the keys herald.yaml accepts, in order")
    func tableMatchesParser() throws {
        #expect(try readmeKeys() == HeraldConfiguration.keys)
    }

    @Test("every key in the README table is accepted by the parser, with the stated default")
    func tableDefaultsParse() throws {
        let readme = try String(contentsOf: TestPaths.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let rows = readme.split(separator: "\n").filter { $0.hasPrefix("| `") }
        var yaml = ""
        for row in rows {
            let cells = row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 2, HeraldConfiguration.keys.contains(cells[0].trimmingCharacters(in: ["`"])) else { continue }
            let value = cells[1].trimmingCharacters(in: ["`"])
            // A flow mapping is written as YAML; every other default as a quoted string.
            let written = value.hasPrefix("{") ? value : "\"\(value)\""
            yaml += "\(cells[0].trimmingCharacters(in: ["`"])): \(written)\n"
        }
        let base = URL(fileURLWithPath: "/etc/herald")
        let parsed = try HeraldConfiguration.parse(yaml: yaml, file: "README.md", baseDirectory: base)
        #expect(parsed == HeraldConfiguration.defaults(baseDirectory: base))
    }
}
