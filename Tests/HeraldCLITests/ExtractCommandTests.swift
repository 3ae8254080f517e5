import Foundation
import HeraldTestSupport
import Testing

/// `herald extract` as a user runs it: the real debug binary on saved pages.
@Suite("herald extract")
struct ExtractCommandTests {
    struct Run {
        var status: Int32
        var stdout: String
        var lines: [[String: Any]] {
            stdout.split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
        }
    }

    func herald(_ arguments: [String], stdin: Data? = nil) async throws -> Run {
        let exit = try await ChildProcess.run(TestPaths.heraldBinary, arguments, input: stdin.map { .bytes($0) } ?? .none)
        return Run(status: exit.status, stdout: exit.stdout)
    }

    static let seed = TestPaths.corpus.appendingPathComponent("seed/lbci-putin-limo.html").path

    @Test("a saved page gives one JSON record with every SPEC field, nulls included")
    func seedRecord() async throws {
        let run = try await herald(["extract", Self.seed])
        #expect(run.status == 0)
        let records = run.lines
        #expect(records.count == 1)
        let record = try #require(records.first)
        for key in ["source", "url", "canonical_url", "title", "authors", "published", "modified", "section",
                    "tags", "language", "description", "site_name", "image", "body", "word_count",
                    "content_hash", "crawl", "run_id", "fetched_at", "http_status", "final_url"] {
            #expect(record.keys.contains(key), "missing \(key)")
        }
        let body = try #require(record["body"] as? String)
        #expect(body.hasPrefix("Vladimir Putin gave Kim Jong Un"))
        #expect(!body.contains("Most Read"))
        #expect((record["content_hash"] as? String)?.hasPrefix("sha256:") == true)
        #expect(record["crawl"] is NSNull)
    }

    @Test("output is byte-for-byte stable between runs (sorted keys)")
    func stableOutput() async throws {
        let first = try await herald(["extract", Self.seed])
        let second = try await herald(["extract", Self.seed])
        #expect(first.stdout == second.stdout)
        let authors = try #require(first.stdout.range(of: "\"authors\""))
        let body = try #require(first.stdout.range(of: "\"body\""))
        #expect(authors.lowerBound < body.lowerBound)
    }

    @Test("gzip-compressed pages and stdin are read")
    func gzipAndStdin() async throws {
        let zyte = TestPaths.corpus.appendingPathComponent("zyte-dev/html")
        let gz = try #require(FileManager.default.contentsOfDirectory(atPath: zyte.path).sorted().first { $0.hasSuffix(".gz") })
        let run = try await herald(["extract", zyte.appendingPathComponent(gz).path])
        #expect(run.status == 0)
        #expect(((run.lines.first?["word_count"] as? Int) ?? 0) > 50)

        let piped = try await herald(["extract", "-"], stdin: try Data(contentsOf: URL(fileURLWithPath: Self.seed)))
        #expect(piped.status == 0)
        #expect((piped.lines.first?["body"] as? String)?.hasPrefix("Vladimir Putin") == true)
    }

    @Test("--now resolves relative dates against the given time; without it they are left out")
    func nowResolvesRelativeDates() async throws {
        let dir = TestPaths.temporaryDirectory("herald-extract")
        defer { try? FileManager.default.removeItem(at: dir) }
        let page = dir.appendingPathComponent("relative.html")
        let html = """
            <html><head><title>Ein Artikel</title></head><body><article><h1>Die Schlagzeile des Tages</h1>
            <div class="meta">Von Erika Muster, vor 2 Tagen</div><p>Ein Absatz mit genug Worten.</p></article></body></html>
            """
        try Data(html.utf8).write(to: page)
        let with = try await herald(["extract", "--now", "2024-03-10T08:00:00Z", page.path])
        #expect(with.status == 0)
        #expect(with.lines.first?["published"] as? String == "2024-03-08")
        let without = try await herald(["extract", page.path])
        #expect(without.lines.first?["published"] is NSNull)
        let bad = try await herald(["extract", "--now", "yesterday", page.path])
        #expect(bad.status != 0)
    }

    @Test("an empty or missing file gives an error line and status 1; the other inputs still come out")
    func badInputsReported() async throws {
        let dir = TestPaths.temporaryDirectory("herald-extract")
        defer { try? FileManager.default.removeItem(at: dir) }
        let empty = dir.appendingPathComponent("empty.html")
        #expect(FileManager.default.createFile(atPath: empty.path, contents: Data()))
        let missing = dir.appendingPathComponent("missing.html").path
        let run = try await herald(["extract", empty.path, Self.seed, missing])
        #expect(run.status == 1)
        let lines = run.lines
        #expect(lines.count == 3)
        #expect(lines[0]["source"] as? String == empty.path)
        #expect((lines[0]["error"] as? String)?.contains("empty") == true)
        #expect((lines[1]["body"] as? String)?.isEmpty == false)
        #expect(lines[2]["source"] as? String == missing)
        #expect((lines[2]["error"] as? String)?.contains("cannot read") == true)
    }

    @Test("a page read through a pipe by its path (process substitution, /dev/stdin) is extracted; a directory is named as one")
    func pipesByPath() async throws {
        let page = try Data(contentsOf: URL(fileURLWithPath: Self.seed))
        let piped = try await herald(["extract", "/dev/stdin"], stdin: page)
        #expect(piped.status == 0)
        #expect((piped.lines.first?["body"] as? String)?.isEmpty == false)

        let dir = TestPaths.temporaryDirectory("herald-extract")
        defer { try? FileManager.default.removeItem(at: dir) }
        let folder = try await herald(["extract", dir.path])
        #expect(folder.status == 1)
        #expect(folder.lines.first?["error"] as? String == "cannot read \(dir.path): Is a directory")
    }

    @Test("--list reads page paths with their own URLs, one record per line in order")
    func listWithURLs() async throws {
        let dir = TestPaths.temporaryDirectory("extract-list")
        let list = dir.appendingPathComponent("pages.tsv")
        try "\(Self.seed)\thttps://example.test/a\n\(Self.seed)\n\n\(dir.path)/missing.html\thttps://example.test/c\n"
            .write(to: list, atomically: true, encoding: .utf8)
        let run = try await herald(["extract", "--list", list.path])
        #expect(run.status == 1) // the missing page
        let records = run.lines
        #expect(records.count == 3)
        #expect(records[0]["url"] as? String == "https://example.test/a")
        #expect(records[1]["url"] is NSNull)
        #expect((records[2]["error"] as? String)?.contains("missing.html") == true)
        #expect((records[0]["body"] as? String) == (records[1]["body"] as? String))
        // A list that cannot be read is a usage error: nothing is extracted.
        let missing = try await herald(["extract", "--list", dir.appendingPathComponent("nope.tsv").path])
        #expect(missing.status != 0 && missing.status != 1)
        #expect(missing.lines.isEmpty)
    }

    @Test("--explain adds how the body was chosen: strategy, checks, candidates with XPath and verdicts")
    func explain() async throws {
        let run = try await herald(["extract", "--explain", Self.seed])
        #expect(run.status == 0)
        let record = try #require(run.lines.first)
        let explain = try #require(record["explain"] as? [String: Any])
        #expect(explain["strategy"] as? String == "known-container")
        let candidates = try #require(explain["candidates"] as? [[String: Any]])
        #expect(!candidates.isEmpty)
        #expect((candidates.first?["verdict"] as? String)?.hasPrefix("chosen") == true)
        #expect(((candidates.first?["xpath"] as? [String])?.first)?.hasPrefix("/html/body") == true)
        #expect(candidates.allSatisfy { $0["words"] is Int && $0["prose_words"] is Int })
        let plain = try await herald(["extract", Self.seed])
        #expect(plain.lines.first?["explain"] == nil)
        #expect(plain.lines.first?["body"] as? String == record["body"] as? String)
    }
}
