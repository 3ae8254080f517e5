import Foundation
import HeraldTestSupport
import Testing

/// The spool's exactly-once promise under `kill -9`, shown through the real binary: `herald
/// crawl` of a generated 500-story news site (with exact and near duplicates and AMP copies) is
/// killed with SIGKILL at random moments and restarted, again and again, while a consumer moves
/// files from `new/` to `cur/` and deletes some from both. After a final clean run every story
/// has been delivered exactly once: no hash twice over the whole test, none missing, no file
/// incomplete, and the same set a clean reference crawl of the site delivers (up to which
/// version of a near-duplicated story came first).
///
/// `HERALD_KILL_ITERATIONS` (default 50) sets the number of kills, `HERALD_KILL_SEED` replays a
/// failing run (the seed is printed), `HERALD_KILL_ARTICLES` (default 1000; a debug build
/// crawls them in about 8 s) the site's stories,
/// `HERALD_KILL_MAX_MS` (default 1500) the latest kill after start (the earliest is 50 ms).
@Suite("kill -9 soak: exactly-once delivery through the real binary", .serialized)
struct KillNineSoakTests {
    static let environment = ProcessInfo.processInfo.environment
    static let iterations = Int(environment["HERALD_KILL_ITERATIONS"] ?? "") ?? 50
    static let articles = Int(environment["HERALD_KILL_ARTICLES"] ?? "") ?? 1000
    static let maxDelayMs = max(60, Int(environment["HERALD_KILL_MAX_MS"] ?? "") ?? 1500)

    @Test func killedCrawlsDeliverEveryStoryExactlyOnce() async throws {
        let seed = UInt64(Self.environment["HERALD_KILL_SEED"] ?? "") ?? UInt64.random(in: 1...UInt64(UInt32.max))
        print("kill -9 soak: seed \(seed) (HERALD_KILL_SEED=\(seed) replays the kill timing), "
              + "\(Self.iterations) kills, \(Self.articles) stories, kills 50...\(Self.maxDelayMs) ms after start")
        var random = SeededRandom(seed: seed)
        let clock = ContinuousClock()
        let testStart = clock.now

        let site = try await GeneratedNewsSite.start(articles: Self.articles, label: "herald-proof-site")
        defer { site.server.stop() }
        #expect(site.groups.count >= 500 || Self.articles < 500, "the site has \(site.groups.count) article pages")
        let expected = try await site.extractedHashes()
        let groupsWithTwoCandidates = Dictionary(grouping: expected.values, by: { $0 }).filter { $0.value.count > 1 }.count
        print("kill -9 soak: \(site.groups.count) article pages, \(site.distinctGroups) stories, "
              + "\(expected.count) distinct extracted hashes (\(groupsWithTwoCandidates) stories with a near-duplicate)")

        // The reference: one clean, uninterrupted crawl into a fresh spool and state.
        let reference = try HeraldInstallation(crawlDefinition: site.crawlDefinition(), label: "herald-proof-reference")
        let referenceRun = try await reference.crawl()
        #expect(referenceRun.status == 0, "reference crawl: \(referenceRun.stderr)")
        let referenceHashes = Set(reference.files("new").map { "sha256:" + $0.dropLast(".json".count) })
        #expect(referenceHashes.count == site.distinctGroups && Set(referenceHashes.compactMap { expected[$0] }).count == site.distinctGroups,
                "the clean crawl delivered \(referenceHashes.count) files for \(site.distinctGroups) stories")
        print("kill -9 soak: reference crawl: \(referenceRun.stdout.split(separator: "\n").prefix(2).joined(separator: "; "))")
        try? FileManager.default.removeItem(at: reference.root)

        let install = try HeraldInstallation(crawlDefinition: site.crawlDefinition())
        let consumer = SpoolConsumer(spool: install.spool, seed: seed ^ 0x5EED)
        consumer.start()

        var kills = 0, cleanExits = 0, attempts = 0, killsWhileDelivering = 0
        var unexpected: [String] = []
        while kills < Self.iterations && attempts < Self.iterations * 3 {
            attempts += 1
            let before = consumer.deliveries.count
            // Two runs in three, while stories remain, are killed in the middle of delivering: a
            // random 0-200 ms after their first new file appeared (a run must first get through
            // the pages earlier runs finished, which takes longer as the soak goes on; the short
            // window leaves stories for later kills even on a fast machine). The others die at
            // a random moment 50 ms to HERALD_KILL_MAX_MS after start: start-up, recovery,
            // robots.txt, listings, conditional GETs, deliveries.
            let duringDelivery = random.next() % 3 != 0 && before < site.distinctGroups
            let delay = duringDelivery ? Int(random.next() % 201) : 50 + Int(random.next() % UInt64(Self.maxDelayMs - 49))
            let child = try install.startCrawl()
            let started = clock.now
            if duringDelivery {
                _ = await eventually(within: .seconds(20), poll: .milliseconds(5)) { consumer.deliveries.count > before }
            }
            // The kill moment itself is the seeded random input, not something awaited.
            try await Task.sleep(for: .milliseconds(delay))
            let killedAfter = clock.now - started
            let killed = child.killNow()
            let exit = await child.wait()
            if killed && exit.signalled && exit.status == SIGKILL {
                kills += 1
                // Delivering when killed: files appeared during the run, and more were to come.
                _ = await consumer.caughtUp()
                let after = consumer.deliveries.count
                if after > before && after < site.distinctGroups { killsWhileDelivering += 1 }
            } else if !exit.signalled && exit.status == 0 {
                cleanExits += 1
            } else {
                unexpected.append("run \(attempts) (killed after \(killedAfter)): status \(exit.status)"
                                  + "\(exit.signalled ? " (signal)" : ""): \(exit.stderr.suffix(500))")
            }
        }
        let killPhase = clock.now - testStart
        let deliveredDuringKills = consumer.deliveries.count
        print("kill -9 soak: \(kills) kills (\(killsWhileDelivering) of them in runs that were delivering), "
              + "\(cleanExits) runs finished before their kill, "
              + "\(deliveredDuringKills) stories delivered while killing, \(killPhase) so far")
        #expect(kills == Self.iterations, "only \(kills) of \(attempts) runs were alive to be killed")
        #expect(unexpected.isEmpty, "runs that ended otherwise: \(unexpected)")
        #expect(deliveredDuringKills > 0, "the killed runs made no progress at all")

        let final = try await install.crawl()
        #expect(final.status == 0 && !final.signalled, "final run: \(final.status) \(final.stderr)")
        print("kill -9 soak: final run: \(final.stdout.trimmingCharacters(in: .whitespacesAndNewlines))")
        await consumer.stop()

        // Each hash at most once over the whole test; exactly one hash per story; nothing else.
        let deliveries = consumer.deliveries
        let twice = deliveries.filter { $0.value > 1 }
        #expect(twice.count == 0, "delivered more than once: \(twice.sorted { $0.key < $1.key }.prefix(20))")
        let unknown = deliveries.keys.filter { expected[$0] == nil }
        #expect(unknown.count == 0, "delivered hashes that no article page extracts to: \(unknown.sorted().prefix(20))")
        let byGroup = Dictionary(grouping: deliveries.keys.compactMap { expected[$0] }, by: { $0 })
        let missing = Set(expected.values).subtracting(byGroup.keys)
        #expect(missing.count == 0, "stories never delivered: \(missing.sorted().prefix(40)) (\(missing.count))")
        let storiesTwice = byGroup.filter { $0.value.count > 1 }.keys
        #expect(storiesTwice.count == 0, "stories delivered under two hashes: \(storiesTwice.sorted().prefix(20))")
        #expect(byGroup.count == site.distinctGroups)
        // The same set as the clean crawl, except where a story has a near-duplicate: then which
        // of the two versions a crawl meets first (and delivers) depends on timing.
        let ambiguous = Set(Dictionary(grouping: expected, by: \.value).filter { $0.value.count > 1 }.keys)
        let delivered = Set(deliveries.keys)
        let differing = delivered.symmetricDifference(referenceHashes).filter { !ambiguous.contains(expected[$0] ?? -1) }
        #expect(differing.count == 0, "differs from the clean crawl: \(differing.sorted().prefix(10))")

        // Nothing partial anywhere, ever; no leftovers in tmp/ after the clean run.
        #expect(consumer.badFiles.count == 0, "bad files seen by the consumer: \(consumer.badFiles.prefix(20))")
        for sub in ["new", "cur"] {
            let bad = SpoolConsumer.problems(in: install.spool.appendingPathComponent(sub))
            #expect(bad.count == 0, "bad files in \(sub)/: \(bad.prefix(20))")
        }
        #expect(install.files("tmp").isEmpty, "tmp/ after the clean run: \(install.files("tmp").prefix(10))")

        // One more run over the unchanged site delivers nothing.
        let again = try await install.crawl()
        #expect(again.status == 0 && again.stdout.contains("articles new 0"), "\(again.stdout) \(again.stderr)")
        let after = Set(install.files("new")).subtracting(Set(deliveries.keys.map { $0.dropFirst(7) + ".json" }))
        #expect(after.isEmpty, "the run after the clean run delivered \(after.sorted().prefix(10))")

        // The crawl history survived the kills: every killed run was closed as interrupted by
        // the next start, none is left running, and the last two runs ended ok.
        let history = try await install.herald("logs", ["--json"])
        #expect(history.status == 0, "herald logs: \(history.stderr)")
        let outcomes = history.stdout.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["outcome"] as? String
        }
        let tally = Dictionary(grouping: outcomes, by: { $0 }).mapValues(\.count)
        #expect(outcomes.count >= 2 && outcomes.count <= attempts + 2, "\(outcomes.count) runs logged for \(attempts + 2) started")
        #expect(outcomes.suffix(2) == ["ok", "ok"], "\(outcomes.suffix(2))")
        #expect(Set(tally.keys).isSubset(of: ["ok", "interrupted"]), "run outcomes: \(tally)")
        print("kill -9 soak: crawl log: \(tally); consumer: \(consumer.summary); total \(clock.now - testStart)")
        try? FileManager.default.removeItem(at: install.root)
        try? FileManager.default.removeItem(at: site.root)
    }
}
