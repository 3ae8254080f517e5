import Foundation
import HeraldState
import HeraldTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `state_retention` through the real daemon: a state holding years of history is pruned in
/// the background to its windows, nothing inside them is forgotten, and what was delivered
/// inside the window is not delivered again.
@Suite("herald run: state retention", .serialized)
struct StateRetentionTests {
    static let day = 86_400.0

    @Test("the daemon prunes years of state to its windows and still knows every recent article")
    func daemonPrunesToTheWindows() async throws {
        let fixture = try await DaemonFixture.make(settings: """
            state_retention:
              delivered: 30d
              url_validators: 7d
            """)
        try fixture.writeCrawl("news", schedule: "every 1h")
        // Today's articles, delivered by a first crawl.
        let first = try await fixture.herald(["crawl", "--config", fixture.configFile.path, "news"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(fixture.spoolFiles().count == fixture.articles)

        // Three years of older history beside them, some of it inside the windows.
        let now = Date()
        do {
            let store = try SQLiteStateStore(directory: fixture.installation.state)
            var articles: [DeliveredArticle] = []
            var urls: [URLState] = []
            for n in 0..<3_000 {
                let at = now.addingTimeInterval(-Double(n) / 3 * Self.day - 3600)
                articles.append(DeliveredArticle(contentHash: "sha256:old\(n)", canonicalURL: "https://old.example/\(n)",
                                                 fingerprint: ContentFingerprint(body: "old story \(n) of the harbour and the ferry"),
                                                 deliveredAt: at))
                urls.append(URLState(url: "https://old.example/\(n)", etag: "\"\(n)\"", lastFetchedAt: at,
                                     httpStatus: 200, contentHash: "sha256:old\(n)"))
            }
            try store.importDelivered(articles)
            try store.saveURLStates(urls)
            try store.checkpoint()
        }

        let daemon = try fixture.startDaemon()
        defer { daemon.send(SIGKILL) }
        let pruned = try await eventually(within: .seconds(60), poll: .milliseconds(200)) {
            daemon.stderr.contains("state pruned:")
        }
        // A run on the daemon after the pruning (handed over by herald crawl): every article
        // delivered today is still known.
        let again = try await fixture.herald(["crawl", "--config", fixture.configFile.path, "news"])
        daemon.send(SIGTERM)
        #expect(await daemon.wait(within: .seconds(10))?.status == 0)
        #expect(pruned, "stderr: \(daemon.stderr)")
        #expect(again.status == 0, "\(again.stderr)")
        // Inside the delivered window nothing was forgotten: no article came twice.
        #expect(fixture.spoolFiles().count == fixture.articles)
        let line = daemon.stderr.split(separator: "\n").first { $0.contains("state pruned:") } ?? ""
        // 3 a day over 3,000 entries: 90 inside 30 days (n < 90) and 21 inside 7 days are kept.
        #expect(line.contains("2910 delivered hashes") && line.contains("2979 URL validators"), "\(line)")

        let store = try SQLiteStateStore(directory: fixture.installation.state)
        for n in stride(from: 0, to: 89, by: 4) {
            #expect(try store.ledgerStatus(contentHash: "sha256:old\(n)") == .delivered)
        }
        for n in stride(from: 0, to: 20, by: 3) { #expect(try store.urlState("https://old.example/\(n)") != nil) }
        for n in [91, 500, 2_999] { #expect(try store.ledgerStatus(contentHash: "sha256:old\(n)") == .unknown) }
        for n in [22, 1_000] { #expect(try store.urlState("https://old.example/\(n)") == nil) }
    }
}
