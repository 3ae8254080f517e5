import Foundation
import HeraldTestSupport
import Testing

/// The module graph in README's Architecture section is the one `Package.swift` builds.
@Suite("README architecture")
struct ReadmeArchitectureTests {
    /// C library targets by the name README gives the library; outside packages by their
    /// repository name without `.swift`.
    static let readmeNames = ["CLibXML2": "libxml2", "CZlib": "zlib", "CCurl": "libcurl", "GRDB.swift": "GRDB"]

    /// Each herald module of `Package.swift` (test targets aside) with what it depends on.
    func packageGraph() throws -> [String: Set<String>] {
        let manifest = try String(contentsOf: TestPaths.packageRoot.appendingPathComponent("Package.swift"), encoding: .utf8)
        var graph: [String: Set<String>] = [:]
        for chunk in manifest.components(separatedBy: "\n        .") {
            guard chunk.hasPrefix("target(") || chunk.hasPrefix("executableTarget("),
                  let name = Self.quoted(after: "name: ", in: chunk), name.lowercased().hasPrefix("herald"),
                  name != "HeraldTestSupport" else { continue }
            var dependencies = Set<String>()
            if let list = chunk.range(of: "dependencies: [") {
                // `.product(name: "Logging", package: "swift-log")` counts as its package.
                var body = String(chunk[list.upperBound...].prefix { $0 != "]" })
                while let product = body.range(of: ".product(") {
                    let call = body[product.lowerBound...].prefix { $0 != ")" }
                    if let package = Self.quoted(after: "package: ", in: String(call)) { dependencies.insert(package) }
                    body.removeSubrange(product.lowerBound..<call.endIndex)
                }
                for (index, piece) in body.split(separator: "\"", omittingEmptySubsequences: false).enumerated()
                where index % 2 == 1 {
                    dependencies.insert(String(piece))
                }
            }
            graph[name] = Set(dependencies.map { Self.readmeNames[$0] ?? $0 })
        }
        return graph
    }

    /// The graph block under `## Architecture`: a line starting with a module name, then what it
    /// imports, continued on indented lines; `[a, b]` lists C libraries and packages, `-` none.
    func readmeGraph() throws -> [String: Set<String>] {
        let readme = try String(contentsOf: TestPaths.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        guard let section = readme.range(of: "## Architecture\n"),
              let intro = readme.range(of: "The module graph as", range: section.upperBound..<readme.endIndex),
              let open = readme.range(of: "```\n", range: intro.upperBound..<readme.endIndex),
              let close = readme.range(of: "```", range: open.upperBound..<readme.endIndex) else { return [:] }
        var graph: [String: Set<String>] = [:]
        var current: String?
        for line in readme[open.upperBound..<close.lowerBound].split(separator: "\n") {
            var words = line.replacingOccurrences(of: "[", with: " ").replacingOccurrences(of: "]", with: " ")
                .replacingOccurrences(of: ",", with: " ").split(separator: " ").map(String.init)
            if line.hasPrefix(" ") && !line.hasPrefix("  ") {
                current = words.removeFirst()
                graph[current!] = []
            }
            guard let current else { continue }
            graph[current]!.formUnion(words.filter { $0 != "-" })
        }
        return graph
    }

    @Test("README's module graph lists every module with exactly the dependencies Package.swift declares")
    func graphMatchesPackage() throws {
        let package = try packageGraph()
        #expect(package.count >= 14, "read \(package.keys.sorted()) from Package.swift")
        let readme = try readmeGraph()
        #expect(readme.keys.sorted() == package.keys.sorted())
        for (module, dependencies) in package {
            #expect(readme[module] == dependencies, "\(module)")
        }
    }

    static func quoted(after prefix: String, in text: String) -> String? {
        guard let start = text.range(of: prefix + "\"") else { return nil }
        let rest = text[start.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end])
    }
}
