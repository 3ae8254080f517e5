import Foundation
import HeraldTestSupport
import Testing

/// The generated news site (`Resources/newssite.py`, template mode) served by the test site
/// server, with its manifest: which URLs are articles and which of them are one story.
struct NewsSite: Sendable {
    let server: TestSite
    let root: URL
    let base: String
    /// Article URL (canonical, as the site links it) -> story group.
    let groups: [String: Int]
    let distinctGroups: Int
    let disallowed: [String]

    /// Starts the server first (the site embeds its own address), then generates the site
    /// into the directory it serves.
    static func start(articles: Int) async throws -> NewsSite {
        let root = TestPaths.temporaryDirectory("herald-newssite")
        let server = try await TestSite.start(root: root)
        let base = server.url("").trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        let script = TestPaths.packageRoot.appendingPathComponent("Tests/HeraldTestSupport/Resources/newssite.py")
        let status = try await runPython([script.path, "--out", root.path, "--base", base,
                                          "--articles", String(articles), "--corpus", TestPaths.corpus.path])
        guard status == 0 else { throw GenerationFailed(status: status) }
        let manifest = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: root.appendingPathComponent("manifest.json"))) as? [String: Any])
        var groups: [String: Int] = [:]
        for article in manifest["articles"] as? [[String: Any]] ?? [] {
            if let url = article["url"] as? String, let group = article["group"] as? Int { groups[url] = group }
        }
        return NewsSite(server: server, root: root, base: base, groups: groups,
                        distinctGroups: manifest["distinct_groups"] as? Int ?? 0,
                        disallowed: manifest["disallowed"] as? [String] ?? [])
    }

    struct GenerationFailed: Error { var status: Int32 }

    /// The story a delivered record belongs to: its canonical URL (AMP copies and tracking
    /// variants point there) or its own URL without the AMP prefix.
    func group(of record: [String: Any]) -> Int? {
        if let canonical = record["canonical_url"] as? String, let g = groups[canonical] { return g }
        guard let url = record["url"] as? String else { return nil }
        return groups[url.replacingOccurrences(of: base + "/amp/", with: base + "/")]
    }

    private static func runPython(_ arguments: [String]) async throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        return try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
    }
}
