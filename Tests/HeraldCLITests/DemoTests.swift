import Foundation
import HeraldTestSupport
import Testing

/// `make demo`'s script, as a newcomer runs it on a fresh clone (no evaluation corpus): the
/// bundled site is crawled end to end and the output shows records and the run's log.
@Suite struct DemoTests {
    @Test func theOfflineFirstLookCrawlsTheBundledSite() async throws {
        let work = TestPaths.temporaryDirectory("herald-demo")
        for item in ["scripts", "Tests"] {
            try FileManager.default.createSymbolicLink(at: work.appendingPathComponent(item),
                                                       withDestinationURL: TestPaths.packageRoot.appendingPathComponent(item))
        }
        let run = try await ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"),
                                             ["HERALD=\(TestPaths.heraldBinary.path)", "CORPUS=/nonexistent",
                                              "bash", "scripts/demo.sh"], in: work)
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stdout.contains("articles new 24"), "\(run.stdout)")
        #expect(run.stdout.components(separatedBy: "  by Dana Writer, published ").count == 4)
        let logs = run.stdout.components(separatedBy: "== herald logs\n").last ?? ""
        #expect(logs.hasPrefix("RUN ") && logs.contains(" demo ") && logs.hasSuffix(" ok\n"), "\(logs)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: work.appendingPathComponent("var/demo/spool/new").path).count == 24)
    }
}
