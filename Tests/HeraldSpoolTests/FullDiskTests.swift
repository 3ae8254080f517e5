import Foundation
import HeraldTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A full disk under the spool, shown through the real binary: the spool lives on a tiny tmpfs,
/// so `herald crawl` runs out of space part-way. Articles that do not fit fail with
/// `spool_error` in the run's log (the run itself goes on), nothing partial is left in `new/` or
/// `tmp/`; once space returns, the next run delivers exactly the articles that failed, nothing
/// twice. Root (as on CI) mounts a 64 KiB tmpfs; a non-root user cannot, and gets a `new/` of
/// mode 0555 instead (every rename fails, so the first run fails as a whole); root in a
/// container that may not mount skips the test (root ignores mode bits).
@Suite("Full disk under the spool: spool_error, then complete recovery", .serialized)
struct FullDiskTests {
    /// How the test takes the spool's space away.
    enum Squeeze {
        /// A small tmpfs mounted on the spool directory, grown once space should return.
        case tmpfs
        /// `new/` made read-only by its mode (only works for non-root users).
        case readOnlyNew
    }

    static let squeeze: Squeeze? = {
        if getuid() != 0 { return .readOnlyNew }
        let probe = TestPaths.temporaryDirectory("herald-mount-probe")
        defer { try? FileManager.default.removeItem(at: probe) }
        guard mount("tmpfs", probe.path, "tmpfs", 0, "size=64k") == 0 else { return nil }
        umount2(probe.path, 0)
        return .tmpfs
    }()

    @Test(.enabled(if: squeeze != nil, "cannot fill a disk here: root without permission to mount a tmpfs"))
    func fullSpoolFailsArticlesAndTheNextRunDeliversThemOnce() async throws {
        try await fillSpoolAndRecover { site in site.crawlDefinition() }
    }

    /// `skip_older_than_last_run` skips feed and sitemap entries dated before the last
    /// successful run; a run whose deliveries failed must not count as one, or the articles the
    /// full disk refused (all dated before that run, reachable only through the sitemaps here)
    /// would never be retried.
    @Test(.enabled(if: squeeze != nil, "cannot fill a disk here: root without permission to mount a tmpfs"))
    func failedDeliveriesAreRetriedEvenWhenOldEntriesAreSkipped() async throws {
        try await fillSpoolAndRecover { site in
            site.crawlDefinition(maxDepth: 0, extra: "skip_older_than_last_run: true")
        }
    }

    func fillSpoolAndRecover(_ definition: (GeneratedNewsSite) -> String) async throws {
        let site = try await GeneratedNewsSite.start(articles: 40, label: "herald-proof-site")
        defer { site.server.stop() }
        let expected = try await site.extractedHashes()

        let root = TestPaths.temporaryDirectory("herald-fulldisk")
        let spool = root.appendingPathComponent("spool")
        try FileManager.default.createDirectory(at: spool, withIntermediateDirectories: true)
        let install = try HeraldInstallation(crawlDefinition: definition(site), spool: spool)
        var mounted = false
        defer {
            if mounted { umount2(spool.path, 0) }
            try? FileManager.default.removeItem(at: root)
            try? FileManager.default.removeItem(at: install.root)
        }
        switch Self.squeeze {
        case .tmpfs:
            // 16 pages of 4 KiB: room for about a dozen of the site's ~40 records.
            try #require(mount("tmpfs", spool.path, "tmpfs", 0, "size=64k,mode=0755") == 0,
                         "mount tmpfs: \(String(cString: strerror(errno)))")
            mounted = true
        case .readOnlyNew:
            for sub in ["tmp", "new", "cur"] {
                try FileManager.default.createDirectory(at: spool.appendingPathComponent(sub),
                                                        withIntermediateDirectories: true)
            }
            try FileManager.default.setAttributes([.posixPermissions: 0o555],
                                                  ofItemAtPath: spool.appendingPathComponent("new").path)
        case nil:
            return
        }

        // Run 1: out of space part-way.
        let first = try await install.crawl()
        print("full disk: first run: \(first.stdout)\(first.stderr)")
        let firstEvents = try await runEvents(install, first)
        let spoolErrors = firstEvents.filter { $0["kind"] as? String == "spool_error" }
        let firstArticles = firstEvents.filter { $0["event"] as? String == "article" }.compactMap { $0["hash"] as? String }
        #expect(!spoolErrors.isEmpty, "no spool_error event in the first run's log")
        #expect(spoolErrors.allSatisfy { $0["event"] as? String == "error" && ($0["message"] as? String)?.isEmpty == false })
        if Self.squeeze == .tmpfs {
            #expect(spoolErrors.contains { ($0["message"] as? String)?.contains("No space left on device") == true },
                    "\(spoolErrors.prefix(3))")
            #expect(first.status == 0, "a full disk fails articles, not the run: \(first.stderr)")
            #expect(!firstArticles.isEmpty, "nothing fitted on the 64 KiB spool")
        }
        let firstFiles = Set(install.files("new"))
        #expect(firstFiles == Set(firstArticles.map { $0.dropFirst("sha256:".count) + ".json" }),
                "new/ and the log's article events differ")
        #expect(SpoolConsumer.problems(in: spool.appendingPathComponent("new")).isEmpty)
        #expect(install.files("tmp").isEmpty, "partial files left in tmp/: \(install.files("tmp"))")

        // The consumer takes what arrived; space returns.
        for name in firstFiles {
            try FileManager.default.moveItem(at: spool.appendingPathComponent("new/\(name)"),
                                             to: spool.appendingPathComponent("cur/\(name)"))
        }
        switch Self.squeeze {
        case .tmpfs:
            try #require(mount("tmpfs", spool.path, "tmpfs", UInt(MS_REMOUNT), "size=16m") == 0,
                         "remount: \(String(cString: strerror(errno)))")
        case .readOnlyNew:
            try FileManager.default.setAttributes([.posixPermissions: 0o755],
                                                  ofItemAtPath: spool.appendingPathComponent("new").path)
        case nil:
            break
        }

        // Run 2 delivers exactly what failed.
        let second = try await install.crawl()
        #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
        let secondEvents = try await runEvents(install, second)
        #expect(!secondEvents.contains { $0["kind"] as? String == "spool_error" })
        let secondFiles = Set(install.files("new"))
        #expect(firstFiles.isDisjoint(with: secondFiles), "delivered twice: \(firstFiles.intersection(secondFiles))")
        let all = firstFiles.union(secondFiles).map { "sha256:" + $0.dropLast(".json".count) }
        let groups = Dictionary(grouping: all, by: { expected[$0] ?? -1 })
        #expect(groups[-1] == nil, "hashes no article page extracts to: \(groups[-1] ?? [])")
        #expect(groups.count == site.distinctGroups, "\(groups.count) of \(site.distinctGroups) stories delivered")
        #expect(groups.values.allSatisfy { $0.count == 1 }, "a story delivered under two hashes")
        #expect(SpoolConsumer.problems(in: spool.appendingPathComponent("new")).isEmpty)
        #expect(SpoolConsumer.problems(in: spool.appendingPathComponent("cur")).isEmpty)
        #expect(install.files("tmp").isEmpty)
        print("full disk (\(Self.squeeze.map { "\($0)" } ?? "-")): \(spoolErrors.count) spool_error events, "
              + "\(firstFiles.count) delivered before the disk filled, \(secondFiles.count) after space returned")

        // Run 3: nothing left to deliver.
        let third = try await install.crawl()
        #expect(third.status == 0 && third.stdout.contains("articles new 0"), "\(third.stdout)\(third.stderr)")
        #expect(Set(install.files("new")) == secondFiles)
    }

    /// The events of the run a `herald crawl` printed the id of, through `herald logs --run ID --json`.
    func runEvents(_ install: HeraldInstallation, _ crawl: ChildProcess.Exit) async throws -> [[String: Any]] {
        let text = crawl.stdout + crawl.stderr
        let id = try #require(text.firstMatch(of: /\(run ([^)]+)\)/)?.1, "no run id in: \(text)")
        let logs = try await install.herald("logs", ["--run", String(id), "--json"])
        #expect(logs.status == 0, "herald logs: \(logs.stderr)")
        return try logs.stdout.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }
}
