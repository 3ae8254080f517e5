import Foundation
import HeraldTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `herald crawl --metrics-listen`: a foreground run serving its own Prometheus metrics while
/// it runs, scraped over HTTP midway and at its end.
@Suite struct CrawlMetricsCommandTests {
    @Test func aForegroundCrawlServesItsMetricsWhileItRuns() async throws {
        let site = try await GeneratedNewsSite.start(articles: 12)
        defer { site.server.stop() }
        let fixture = try HeraldInstallation.forCrawlTests()
        let slow = try CrawlCommandTests.writeNewsCrawl(fixture, site, concurrency: 1, delay: "200ms")
        let child = try fixture.start("crawl", [slow.path, "--metrics-listen", "127.0.0.1:0"])
        defer { child.send(SIGKILL) }
        let announced = await child.line(in: .stderr, within: .seconds(30)) { $0.contains("serving metrics on http://127.0.0.1:") }
        let line = try #require(announced, "stderr: \(child.stderr)")
        let port = try #require(Int(line.split(separator: ":").last?.split(separator: "/").first ?? ""), "\(line)")

        // Scrape until an article has been delivered, while the run is still going.
        var midway: MetricsScrape?
        _ = try await eventually(within: .seconds(60), poll: .milliseconds(100)) {
            guard !child.hasExited else { return true }
            let scrape = try MetricsScrape.get(port: port)
            if scrape.value("herald_articles_delivered_total", ["crawl": "news"]) ?? 0 >= 1 { midway = scrape }
            return midway != nil
        }
        let during = try #require(midway, "the run ended before a scrape saw an article; stderr: \(child.stderr)")
        #expect(during.sum("herald_fetches_total", ["crawl": "news"]) >= 2)
        #expect(during.sum("herald_runs_total") == 0, "the run is still going")
        #expect(during.value("herald_queue_length", ["crawl": "news"]) ?? 0 > 0, "URLs wait in the frontier: \(during.body)")
        #expect(during.value("herald_crawl_schedule_period_seconds", ["crawl": "news"]) == 3600, "the default schedule")
        #expect(try MetricsScrape.get(port: port, path: "/status").status == 404)

        let exit = await child.wait()
        #expect(exit.status == 0, "\(exit.stderr)")
        #expect(exit.stdout.contains("articles new \(site.distinctGroups)"), "\(exit.stdout)")
        // The endpoint goes with the run.
        #expect(throws: MetricsScrape.Failure.self) { try MetricsScrape.get(port: port) }
    }

    @Test func aBadMetricsAddressIsAUsageError() async throws {
        let fixture = try HeraldInstallation.forCrawlTests()
        try fixture.writeCrawl("news", "start: [http://127.0.0.1:9/]\narticles: {allow: ['/a/']}\n")
        let exit = try await fixture.herald("crawl", ["news", "--metrics-listen", "localhost:9464"])
        #expect(exit.status == 2)
        #expect(exit.stderr.contains("herald crawl: --metrics-listen: \"localhost:9464\": \"localhost\" is not an IPv4 address"), "\(exit.stderr)")
        #expect(fixture.files("new").isEmpty)
    }
}
