import Foundation
import HeraldExtract
import HeraldSpool
import HeraldState
import Synchronization

/// Measures the state store and spool at scale: fills a fresh state with `HERALD_BENCH_STATE_SIZE`
/// (default 1,000,000) delivered hashes with fingerprints and as many URL states, then prints
/// exact-dedupe lookups/s, near-duplicate lookups/s, spool deliveries/s (fsynced, exactly-once
/// protocol) and the state file size per million. The fill takes about two minutes on two cores,
/// so within a full `make bench` it only runs with `HERALD_BENCH_STATE=1` (or a size given);
/// `herald-bench state` always runs it.
func runStateBench() {
    let env = ProcessInfo.processInfo.environment
    guard CommandLine.arguments.dropFirst().contains("state") || env["HERALD_BENCH_STATE"] == "1"
            || env["HERALD_BENCH_STATE_SIZE"] != nil else {
        print("state bench: skipped (about 3 min; run `herald-bench state` or set HERALD_BENCH_STATE=1)")
        return
    }
    do {
        try StateBench().run()
    } catch {
        print("state bench failed: \(error)")
    }
}

struct StateBench {
    let size = Int(ProcessInfo.processInfo.environment["HERALD_BENCH_STATE_SIZE"] ?? "") ?? 1_000_000
    let batch = 100_000

    func run() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("herald-state-bench-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try SQLiteStateStore(directory: dir.appendingPathComponent("state"))
        var rng = SplitMix(seed: 42)
        print("state bench: \(size) stored hashes")

        // Fill: delivered hashes with random fingerprints (distinct stories look random to MinHash).
        var start = Date()
        var hashes = [String]()
        hashes.reserveCapacity(size)
        var filled = 0
        while filled < size {
            let n = min(batch, size - filled)
            var articles = [DeliveredArticle]()
            articles.reserveCapacity(n)
            for i in 0..<n {
                let hash = "sha256:" + rng.hex64() + rng.hex64() + rng.hex64() + rng.hex64()
                hashes.append(hash)
                articles.append(DeliveredArticle(
                    contentHash: hash, canonicalURL: "https://site\((filled + i) % 500).example/news/\(filled + i)",
                    fingerprint: ContentFingerprint(values: (0..<64).map { _ in UInt16(truncatingIfNeeded: rng.next()) }),
                    deliveredAt: Date()))
            }
            try store.importDelivered(articles)
            filled += n
        }
        let fillSeconds = Date().timeIntervalSince(start)
        try store.checkpoint()
        let articleBytes = try fileBytes(dir)
        print(String(format: "  fill: %.1f s (%.0f hashes/s, batches of %d)", fillSeconds, Double(size) / fillSeconds, batch))

        start = Date()
        var urls = 0
        while urls < size {
            let n = min(batch, size - urls)
            try store.saveURLStates((0..<n).map { i in
                URLState(url: "https://site\((urls + i) % 500).example/news/\(urls + i)?page=\(i % 7)",
                         etag: "W/\"\(rng.hex64())\"", lastModified: "Sun, 29 Nov 2026 10:00:00 GMT",
                         lastFetchedAt: Date(), httpStatus: 200, contentHash: hashes[urls + i])
            })
            urls += n
        }
        let urlSeconds = Date().timeIntervalSince(start)
        try store.checkpoint()
        let totalBytes = try fileBytes(dir)
        let perMillion = 1_000_000 / Double(size)
        print(String(format: "  url states: %.1f s; state file: %.0f MB per million delivered articles, %.0f MB per million URLs",
                     urlSeconds, Double(articleBytes) * perMillion / 1e6, Double(totalBytes - articleBytes) * perMillion / 1e6))

        // Exact dedupe: half known, half unknown hashes.
        let lookups = 200_000
        start = Date()
        var known = 0
        for i in 0..<lookups {
            let hash = i % 2 == 0 ? hashes[Int(rng.next() % UInt64(size))] : "sha256:" + rng.hex64() + rng.hex64() + rng.hex64() + rng.hex64()
            if try store.ledgerStatus(contentHash: hash) == .delivered { known += 1 }
        }
        var seconds = Date().timeIntervalSince(start)
        precondition(known == lookups / 2, "lookup found \(known) of \(lookups / 2)")
        print(String(format: "  exact dedupe: %.0f lookups/s", Double(lookups) / seconds))

        let nearLookups = 50_000
        start = Date()
        for _ in 0..<nearLookups {
            let fp = ContentFingerprint(values: (0..<64).map { _ in UInt16(truncatingIfNeeded: rng.next()) })
            _ = try store.nearDuplicate(of: fp, minimumSimilarity: ArticleDelivery.defaultNearDuplicateSimilarity)
        }
        seconds = Date().timeIntervalSince(start)
        print(String(format: "  near-duplicate: %.0f lookups/s (16 band probes + similarity check)", Double(nearLookups) / seconds))

        // Full deliveries: dedupe + fingerprint + tmp write + fsyncs + claim + rename, sequential and from 4 threads.
        let delivery = ArticleDelivery(spool: dir.appendingPathComponent("spool"), store: store)
        try delivery.recover()
        let words = ["council", "river", "budget", "school", "harbour", "election", "storm", "museum",
                     "railway", "hospital", "market", "festival", "bridge", "court", "farm", "library"]
        func record(_ n: Int) -> ArticleRecord {
            var r = ArticleRecord()
            var x = UInt64(n) &* 0x9E37_79B9_7F4A_7C15 &+ 7
            r.body = (0..<400).map { _ in
                x = x &* 6364136223846793005 &+ 1442695040888963407
                return words[Int(x >> 60)]
            }.joined(separator: " ")
            r.url = "https://bench.example/\(n)"
            r.contentHash = ContentHash.of(body: r.body)
            r.wordCount = 400
            return r
        }
        let writes = 1000
        let records = (0..<(2 * writes)).map(record)
        start = Date()
        for r in records[..<writes] {
            guard case .delivered = try delivery.deliver(r) else { fatalError("bench record not delivered") }
        }
        seconds = Date().timeIntervalSince(start)
        print(String(format: "  spool: %.0f deliveries/s sequential (400-word records, fsynced)", Double(writes) / seconds))

        start = Date()
        let failures = ConcurrentCount()
        DispatchQueue.concurrentPerform(iterations: 4) { t in
            for i in stride(from: writes + t, to: 2 * writes, by: 4) {
                if case .delivered = try? delivery.deliver(records[i]) {} else { failures.add() }
            }
        }
        seconds = Date().timeIntervalSince(start)
        print(String(format: "  spool: %.0f deliveries/s from 4 threads (%d failed)", Double(writes) / seconds, failures.value))

        start = Date()
        for r in records[..<writes] {
            guard case .duplicate = try delivery.deliver(r) else { fatalError("bench duplicate delivered twice") }
        }
        seconds = Date().timeIntervalSince(start)
        print(String(format: "  re-fetched duplicates: %.0f deliver() calls/s", Double(writes) / seconds))
        try delivery.flush()
    }

    func fileBytes(_ dir: URL) throws -> Int {
        let state = dir.appendingPathComponent("state")
        return try FileManager.default.contentsOfDirectory(atPath: state.path).reduce(0) { sum, name in
            let size = try FileManager.default.attributesOfItem(atPath: state.appendingPathComponent(name).path)[.size] as? Int
            return sum + (size ?? 0)
        }
    }
}

/// A deterministic 64-bit generator so bench runs are comparable.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func hex64() -> String {
        let s = String(next(), radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}

/// A counter shared by the bench's writer threads.
final class ConcurrentCount: Sendable {
    private let count = Atomic(0)
    func add() { count.add(1, ordering: .relaxed) }
    var value: Int { count.load(ordering: .relaxed) }
}
