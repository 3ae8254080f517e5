import Foundation
import HeraldExtract
import HeraldState
import HeraldTestSupport
@testable import HeraldSpool

/// A spool and state directory for one test, with helpers to restart (reopen both) and to see
/// what a consumer sees in `new/`.
final class SpoolFixture {
    let root: URL
    var spoolDir: URL { root.appendingPathComponent("spool") }
    var stateDir: URL { root.appendingPathComponent("state") }
    private(set) var store: SQLiteStateStore
    private(set) var delivery: ArticleDelivery

    init() throws {
        root = TestPaths.temporaryDirectory("spool")
        store = try SQLiteStateStore(directory: root.appendingPathComponent("state"))
        delivery = ArticleDelivery(spool: root.appendingPathComponent("spool"), store: store)
    }

    /// Simulates a process exit (or `kill -9`: nothing is flushed) and a fresh start.
    func restart() throws {
        delivery.releaseSpoolLock()
        try store.close()
        store = try SQLiteStateStore(directory: stateDir)
        delivery = ArticleDelivery(spool: spoolDir, store: store)
    }

    func files(in sub: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: spoolDir.appendingPathComponent(sub).path)) ?? []).sorted()
    }

    static func record(_ body: String, url: String = "https://news.example/story",
                       canonical: String? = nil) -> ArticleRecord {
        var r = ArticleRecord()
        r.url = url
        r.canonicalURL = canonical ?? url
        r.title = "A story"
        r.body = body
        r.wordCount = body.split(separator: " ").count
        r.contentHash = ContentHash.of(body: body)
        r.crawl = "test"
        return r
    }

    /// A distinct plausible article body (about 80 words) for number `n`.
    static func body(_ n: Int) -> String {
        let words = ["council", "river", "budget", "school", "harbour", "election", "storm", "museum",
                     "railway", "hospital", "market", "festival", "bridge", "court", "farm", "library"]
        var out = [String]()
        var x = UInt64(n) &* 0x9E37_79B9_7F4A_7C15 &+ 1
        for i in 0..<80 {
            x = x &* 6364136223846793005 &+ 1442695040888963407
            out.append(words[Int(x >> 60)] + (i % 9 == 8 ? "." : ""))
        }
        return "Story \(n): " + out.joined(separator: " ")
    }

    static func hex(_ record: ArticleRecord) -> String {
        String(record.contentHash.dropFirst("sha256:".count))
    }
}
