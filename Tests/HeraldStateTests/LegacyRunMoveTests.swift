import Foundation
import HeraldTestSupport
import Testing
@testable import HeraldState

@Suite("Run history of earlier versions moves out of the state file")
struct LegacyRunMoveTests {
    @Test func versionOneHistoryIsHandedOverOnceThenDeleted() throws {
        let dir = TestPaths.temporaryDirectory("state")
        try VersionOneStateFile.write(in: dir, schema: StateSchema.versionOne, sql: """
            INSERT INTO runs (id, crawl, started_at, finished_at, outcome, message)
                VALUES (1, 'lbci', 1790000000, 1790000095, 'ok', NULL),
                       (2, 'lbci', 1790000900, 1790000905, 'failed', 'no start URL could be fetched'),
                       (3, 'bbc', 1790001000, NULL, 'running', NULL);
            INSERT INTO run_counters (run_id, name, value)
                VALUES (1, 'pages', 120), (1, 'new', 14), (1, 'kind.http_4xx', 2);
            INSERT INTO urls (url, etag) VALUES ('https://example.com/a', '"x"');
            """)
        let store = try SQLiteStateStore(directory: dir)
        #expect(try store.urlState("https://example.com/a")?.etag == "\"x\"")

        // A move that fails keeps the history for the next attempt.
        struct Refused: Error {}
        #expect(throws: Refused.self) { try store.moveLegacyRuns { _ in throw Refused() } }

        var moved: [LegacyRun] = []
        try store.moveLegacyRuns { moved = $0 }
        let t0 = Date(timeIntervalSince1970: 1_790_000_000)
        #expect(moved.map(\.crawl) == ["lbci", "lbci", "bbc"])
        #expect(moved[0] == LegacyRun(crawl: "lbci", startedAt: t0, finishedAt: t0.addingTimeInterval(95),
                                      outcome: "ok", message: nil,
                                      counters: ["pages": 120, "new": 14, "kind.http_4xx": 2]))
        #expect(moved[1].outcome == "failed" && moved[1].message == "no start URL could be fetched")
        // A run a dead process left running ends interrupted.
        #expect(moved[2].outcome == "interrupted" && moved[2].finishedAt == moved[2].startedAt)

        var again: [LegacyRun]?
        try store.moveLegacyRuns { again = $0 }
        #expect(again == [])
    }
}
