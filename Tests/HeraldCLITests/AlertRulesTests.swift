import Foundation
import HeraldTestSupport
import Testing

/// The alert rules shipped for Prometheus, judged by Prometheus's own tool (promtool, from
/// Debian's `prometheus` package, which `make deps` installs).
@Suite struct AlertRulesTests {
    /// Runs promtool on a file in contrib/prometheus; the test fails on any status but 0.
    func promtool(_ command: String, _ file: String) async throws -> String {
        let path = TestPaths.packageRoot.appendingPathComponent("contrib/prometheus/\(file)").path
        let run = try await ChildProcess.run(URL(fileURLWithPath: "/usr/bin/promtool"), [command, "rules", path])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        return run.stdout + run.stderr
    }

    @Test("contrib/prometheus/herald-alerts.yml passes promtool check rules, all three rules")
    func alertRulesLoad() async throws {
        #expect(try await promtool("check", "herald-alerts.yml").contains("SUCCESS: 3 rules found"))
    }

    /// The expressions themselves: a stale crawl, a crawl that never succeeded, an error ratio and
    /// a growing backlog fire, and their healthy neighbours do not (the never-succeeded case
    /// once matched nothing at all: the start time has no crawl label).
    @Test("the alerts fire on the series in herald-alerts.test.yml and only there (promtool test rules)")
    func alertRulesFire() async throws {
        #expect(try await promtool("test", "herald-alerts.test.yml").contains("SUCCESS"))
    }
}
