import Foundation
import HeraldTestSupport
import Testing

/// `herald crawl` (the real binary) against a generated news site on 127.0.0.1: home, sections
/// with pagination, articles, RSS/Atom/RDF feeds, a sitemap index with a news sitemap and a
/// gzip urlset, robots.txt with a Disallow and a Sitemap line, tracking-parameter and AMP
/// variants, exact and near duplicates. Asserted from the spool and the server's request log.
@Suite struct NewsSiteCrawlTests {
    static func definition(_ site: GeneratedNewsSite) -> String {
        """
        start: [\(site.base)/]
        feeds: [\(site.base)/feeds/world.rss, \(site.base)/feeds/business.atom, \(site.base)/feeds/tech.rdf]
        follow: {max_depth: 3}
        articles: {allow: ['/news/[a-z]+/\\d+-[^/]*\\.html$']}
        politeness: {per_host_concurrency: 3, per_host_delay: 0s}

        """
    }

    @Test func deliversEveryStoryOnceAndRecrawlsUnchangedSiteWithValidators() async throws {
        let site = try await GeneratedNewsSite.start(articles: 45)
        defer { site.server.stop() }
        let fixture = try HeraldInstallation.forCrawlTests()
        let crawl = try fixture.writeCrawl("news", Self.definition(site))

        let first = try await fixture.crawl([crawl.path])
        #expect(first.status == 0, "stderr: \(first.stderr)")
        #expect(first.stdout.contains("articles new \(site.distinctGroups)"), "\(first.stdout)")
        // stdout is a file here, not a terminal: the summary only, no progress line.
        #expect(first.stdout.hasPrefix("news (run "))
        #expect(!first.stdout.contains("\r"))

        // Every story exactly once, whatever variant (AMP, tracking parameters, republished
        // copy, near-duplicate) reached the spool first.
        let records = try fixture.records()
        let byGroup = Dictionary(grouping: records) { site.group(of: $0) ?? -1 }
        #expect(byGroup[-1] == nil, "records of unknown pages: \(byGroup[-1]?.compactMap { $0["url"] } ?? [])")
        #expect(byGroup.count == site.distinctGroups)
        #expect(byGroup.values.allSatisfy { $0.count == 1 },
                "stories delivered twice: \(byGroup.filter { $0.value.count > 1 }.keys.sorted())")
        for record in records {
            #expect(record["crawl"] as? String == "news")
            #expect((record["run_id"] as? String)?.contains("-news-") == true)
            #expect(record["http_status"] as? Int == 200)
            #expect((record["final_url"] as? String)?.hasPrefix(site.base) == true)
            #expect((record["fetched_at"] as? String)?.hasPrefix("20") == true)
            #expect((record["word_count"] as? Int ?? 0) >= 20)
        }

        let log = await site.server.requestLog()
        let firstRun = log
        // robots.txt before anything else, and nothing it disallows.
        #expect(firstRun.first?.path == "/robots.txt")
        if let robotsEnd = firstRun.first?.end {
            #expect(firstRun.dropFirst().allSatisfy { $0.start >= robotsEnd - 0.001 })
        }
        #expect(!firstRun.contains { $0.path.hasPrefix("/private/") })
        // Politeness: never more than the crawl's per-host concurrency at once.
        #expect(firstRun.maxConcurrency() <= 3)
        // Each URL at most once per run; tracking variants were normalized away.
        let targets = firstRun.map { $0.query.isEmpty ? $0.path : $0.path + "?" + $0.query }
        let repeated = Dictionary(grouping: targets, by: { $0 }).filter { $0.value.count > 1 }.keys
        #expect(repeated.isEmpty, "fetched more than once: \(repeated.sorted())")
        #expect(!firstRun.contains { $0.query.contains("utm_") })
        // Feeds and every kind of sitemap were read.
        for path in ["/feeds/world.rss", "/feeds/business.atom", "/feeds/tech.rdf", "/sitemap_index.xml",
                     "/sitemaps/news.xml", "/sitemaps/articles-1.xml.gz"] {
            #expect(firstRun.contains { $0.path == path }, "\(path) not fetched")
        }

        // Second run over the unchanged site: articles asked with validators, all 304, nothing new.
        let second = try await fixture.crawl([crawl.path])
        #expect(second.status == 0, "stderr: \(second.stderr)")
        #expect(second.stdout.contains("articles new 0"), "\(second.stdout)")
        #expect(try fixture.records().count == records.count)
        let secondRun = await site.server.requestLog().dropFirst(firstRun.count)
        // A story reached through another variant than last time (its AMP copy, say) has no
        // validators of its own yet; every article URL fetched before must be asked conditionally.
        let fetchedBefore = Set(firstRun.filter { $0.status == 200 }.map(\.path))
        let articlePages = secondRun.filter {
            $0.path.range(of: #"/news/[a-z]+/\d+-.*\.html$"#, options: .regularExpression) != nil
                && fetchedBefore.contains($0.path)
        }
        #expect(articlePages.count >= site.distinctGroups)
        for request in articlePages {
            #expect(request.headers["if-none-match"] != nil, "\(request.path) fetched without validators")
            #expect(request.status == 304, "\(request.path) answered \(request.status ?? 0)")
        }
        // robots.txt came from the 24-hour cache in the state.
        #expect(!secondRun.contains { $0.path == "/robots.txt" })

        // The run log has every fetch with its kind, and the summary matches it.
        let runs = try fixture.runEvents(crawl: "news")
        #expect(runs.count == 2)
        let kinds = runs[1].filter { $0["event"] as? String == "fetch" }.compactMap { $0["kind"] as? String }
        #expect(kinds.contains("not_modified"))
        #expect(runs[0].contains { $0["event"] as? String == "held_back" && $0["kind"] as? String == "robots_disallowed" })
        #expect(runs[0].contains { $0["event"] as? String == "held_back" && $0["kind"] as? String == "duplicate" })
    }

    @Test func maxPagesStopsTheRunEarlyButSuccessfully() async throws {
        let site = try await GeneratedNewsSite.start(articles: 20)
        defer { site.server.stop() }
        let fixture = try HeraldInstallation.forCrawlTests()
        let crawl = try fixture.writeCrawl("news", Self.definition(site))
        let result = try await fixture.crawl([crawl.path, "--max-pages", "6"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("max_pages"))
        #expect(await site.server.requestLog().count <= 6)
    }
}
