import Foundation
import HeraldTestSupport
import Testing

/// The alert rules shipped for Prometheus load in Prometheus's own checker (promtool, from
/// Debian's `prometheus` package, which `make deps` installs).
@Suite struct AlertRulesTests {
    @Test("contrib/prometheus/herald-alerts.yml passes promtool check rules, all three rules")
    func alertRulesLoad() async throws {
        let rules = TestPaths.packageRoot.appendingPathComponent("contrib/prometheus/herald-alerts.yml")
        let checked = try await ChildProcess.run(URL(fileURLWithPath: "/usr/bin/promtool"), ["check", "rules", rules.path])
        #expect(checked.status == 0, "\(checked.stdout)\(checked.stderr)")
        #expect((checked.stdout + checked.stderr).contains("SUCCESS: 3 rules found"))
    }
}
