import Foundation
import HeraldTestSupport
import HeraldXML
import Testing

/// The extraction quality gate over every annotated corpus set at once, scored through the
/// release `herald extract` as a user runs it (a debug build would take minutes): body precision,
/// recall, F1 and misses per set, dates on htmldate-dev, exact titles on readability-dev, all
/// printed as one table. Every figure is a ratchet set just under what the extractor reached:
/// a change that helps one set and costs another fails here. Raise the floors as it improves,
/// never lower them.
@Suite("Corpus quality (release herald extract)")
struct CorpusQualityTests {
    /// Body floors: precision, recall, F1, most misses (recall < 0.3) allowed.
    static let bodyFloors: [String: (precision: Double, recall: Double, f1: Double, misses: Int)] = [
        "zyte-dev": (0.986, 0.979, 0.983, 0),
        "readability-dev": (0.969, 0.923, 0.946, 2),
        "l3s-gn1-dev": (0.940, 0.979, 0.959, 3),
        "cleaneval": (0.916, 0.876, 0.896, 27),
        "cleanportaleval": (0.979, 0.882, 0.928, 0),
        "dragnet": (0.924, 0.741, 0.823, 194),
    ]
    static let dateFloors = (accuracy: 0.815, precision: 0.921)
    static let titleExactFloor = 0.754

    /// One page of a set: where it is, its URL, and what it should give.
    struct Page {
        var name: String
        var file: String
        var url: String?
        var expected: String
    }

    /// The release binary: `HERALD_RELEASE_BIN`, else `.build/release/herald` (`make test` builds it).
    static let binary: URL = {
        if let path = ProcessInfo.processInfo.environment["HERALD_RELEASE_BIN"] { return URL(fileURLWithPath: path) }
        return TestPaths.packageRoot.appendingPathComponent(".build/release/herald")
    }()

    @Test("every corpus set scores at or above its floors: F1, precision, recall, misses, dates, titles")
    func everySet() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary.path),
                     "no release binary at \(Self.binary.path): run `swift build -c release --product herald` (make test does)")
        var table = ["set               pages  precision  recall     F1  misses  other"]
        var failures: [String] = []
        for set in ["zyte-dev", "readability-dev", "l3s-gn1-dev", "cleaneval", "cleanportaleval", "dragnet"] {
            let pages = try Self.bodyPages(set)
            let records = try await Self.extract(pages)
            var scores: [BodyScore] = []
            var titles = (exact: 0, total: 0)
            for (page, record) in zip(pages, records) {
                scores.append(BodyScore(expected: page.expected, extracted: record["body"] as? String ?? ""))
                if set == "readability-dev", let title = try Self.expectedTitle(page) {
                    titles.total += 1
                    if Self.fold(title) == Self.fold(record["title"] as? String ?? "") { titles.exact += 1 }
                }
            }
            let summary = BodyScore.Summary(scores)
            let misses = scores.filter { $0.recall < 0.3 }.count
            var other = ""
            if titles.total > 0 {
                let rate = Double(titles.exact) / Double(titles.total)
                other = String(format: "titles exact %.3f (%d/%d)", rate, titles.exact, titles.total)
                if rate < Self.titleExactFloor { failures.append("readability-dev titles exact \(rate) < \(Self.titleExactFloor)") }
            }
            table.append(String(format: "%-16@ %6d %10.4f %7.4f %7.4f %7d  %@", set as NSString, pages.count,
                                summary.precision, summary.recall, summary.f1, misses, other as NSString))
            let floor = try #require(Self.bodyFloors[set])
            if summary.precision < floor.precision { failures.append("\(set) precision \(summary.precision) < \(floor.precision)") }
            if summary.recall < floor.recall { failures.append("\(set) recall \(summary.recall) < \(floor.recall)") }
            if summary.f1 < floor.f1 { failures.append("\(set) F1 \(summary.f1) < \(floor.f1)") }
            if misses > floor.misses { failures.append("\(set) misses \(misses) > \(floor.misses)") }
        }

        let datePages = try Self.datePages()
        let dated = try await Self.extract(datePages)
        var answered = 0, correct = 0
        for (page, record) in zip(datePages, dated) {
            guard let published = record["published"] as? String else { continue }
            answered += 1
            if published.prefix(10) == page.expected { correct += 1 }
        }
        let accuracy = Double(correct) / Double(datePages.count)
        let precision = answered == 0 ? 0 : Double(correct) / Double(answered)
        table.append(String(format: "%-16@ %6d %10.4f %7.4f %7@ %7@  dates: accuracy %.4f, answered %.4f",
                            "htmldate-dev" as NSString, datePages.count, precision, Double(answered) / Double(datePages.count),
                            "" as NSString, "" as NSString, accuracy, Double(answered) / Double(datePages.count)))
        if accuracy < Self.dateFloors.accuracy { failures.append("htmldate-dev date accuracy \(accuracy) < \(Self.dateFloors.accuracy)") }
        if precision < Self.dateFloors.precision { failures.append("htmldate-dev date precision \(precision) < \(Self.dateFloors.precision)") }

        let seed = try Self.seedPage()
        let seedRecord = try #require(try await Self.extract([seed]).first)
        let seedMiss = !(seedRecord["body"] as? String ?? "").hasPrefix(seed.expected)
        table.append(String(format: "%-16@ %6d %10@ %7@ %7@ %7d", "seed" as NSString, 1, "" as NSString, "" as NSString,
                            "" as NSString, seedMiss ? 1 : 0))
        if seedMiss { failures.append("seed: the body does not start with the story") }

        print(table.joined(separator: "\n"))
        #expect(failures.isEmpty, "\(failures.joined(separator: "; "))")
    }

    /// Runs the release binary over the pages (two processes, one per core) and returns one
    /// decoded record per page, in order.
    static func extract(_ pages: [Page]) async throws -> [[String: Any]] {
        let half = (pages.count + 1) / 2
        let parts = [Array(pages[..<half]), Array(pages[half...])].filter { !$0.isEmpty }
        let dir = TestPaths.temporaryDirectory("corpus-quality")
        defer { try? FileManager.default.removeItem(at: dir) }
        return try await withThrowingTaskGroup(of: (Int, [[String: Any]]).self) { group in
            for (n, part) in parts.enumerated() {
                let list = dir.appendingPathComponent("list-\(n)")
                try part.map { $0.url.map { url in "\($0.file)\t\(url)" } ?? $0.file }
                    .joined(separator: "\n").write(to: list, atomically: true, encoding: .utf8)
                group.addTask {
                    let exit = try await ChildProcess.run(binary, ["extract", "--list", list.path], in: dir)
                    let lines = exit.stdout.split(separator: "\n").map {
                        (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) ?? [:]
                    }
                    return (n, lines)
                }
            }
            var results = [[[String: Any]]](repeating: [], count: parts.count)
            for try await (n, lines) in group { results[n] = lines }
            let all = results.flatMap { $0 }
            guard all.count == pages.count else {
                throw QualityError("herald extract gave \(all.count) records for \(pages.count) pages")
            }
            return all
        }
    }

    static func bodyPages(_ set: String) throws -> [Page] {
        let folder = TestPaths.corpus.appendingPathComponent(set)
        if set == "readability-dev" {
            return try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().compactMap { name in
                let dir = folder.appendingPathComponent(name)
                guard let html = try? Data(contentsOf: dir.appendingPathComponent("expected.html")) else { return nil }
                return Page(name: name, file: dir.appendingPathComponent("source.html").path,
                            url: "http://fakehost/test/page.html", expected: visibleText(html))
            }
        }
        let truth = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("ground-truth.json")))
            as? [String: [String: Any]] ?? [:]
        return truth.keys.sorted().map { id in
            Page(name: id, file: folder.appendingPathComponent("html/\(id).html.gz").path,
                 url: truth[id]?["url"] as? String, expected: truth[id]?["articleBody"] as? String ?? "")
        }
    }

    static func datePages() throws -> [Page] {
        let folder = TestPaths.corpus.appendingPathComponent("htmldate-dev")
        let truth = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("evaldata.json")))
            as? [String: [String: String]] ?? [:]
        return truth.keys.sorted().map { url in
            Page(name: url, file: folder.appendingPathComponent("html/\(truth[url]?["file"] ?? "")").path,
                 url: url, expected: truth[url]?["date"] ?? "")
        }
    }

    static func seedPage() throws -> Page {
        let seed = TestPaths.corpus.appendingPathComponent("seed")
        let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: seed.appendingPathComponent("lbci-putin-limo.expected.json")))
            as? [String: Any] ?? [:]
        return Page(name: "seed", file: seed.appendingPathComponent("lbci-putin-limo.html").path,
                    url: expected["url"] as? String, expected: expected["body_starts_with"] as? String ?? "")
    }

    static func expectedTitle(_ page: Page) throws -> String? {
        let file = URL(fileURLWithPath: page.file).deletingLastPathComponent().appendingPathComponent("expected-metadata.json")
        let metadata = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any]
        guard let title = metadata?["title"] as? String, !title.isEmpty else { return nil }
        return title
    }

    /// The corpus README's title comparison: whitespace collapsed, case folded.
    static func fold(_ s: String) -> String {
        s.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// The text of Readability's expected article HTML, as libxml2 reads it.
    static func visibleText(_ html: Data) -> String {
        guard let document = try? HTMLDocument(bytes: [UInt8](html)) else { return "" }
        return withExtendedLifetime(document) { $0.root?.textContent ?? "" }
    }
}

struct QualityError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
