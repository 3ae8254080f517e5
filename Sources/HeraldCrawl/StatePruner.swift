import Foundation
import HeraldConfig
import HeraldFormats
import HeraldState

/// Keeps the state inside `state_retention` while herald runs: forgets delivered hashes and URL
/// validators older than their windows a small batch at a time (each batch one short
/// transaction, so a running crawl's claims wait milliseconds at most), then gives the freed
/// pages back to the file system. Never forgets a delivery still pending. Thread-safe.
public struct StatePruner: Sendable {
    public let store: SQLiteStateStore
    public let retention: StateRetention
    /// Rows of each kind forgotten per transaction.
    public var batch = 500
    /// Time left to other writers between two batches.
    public var pause = Duration.milliseconds(20)

    public init(store: SQLiteStateStore, retention: StateRetention) {
        self.store = store
        self.retention = retention
    }

    /// What one pass forgot, and the state file's size before and after it.
    public struct Pass: Sendable, Equatable, CustomStringConvertible {
        public var forgotten = PruneResult()
        public var bytesBefore = 0
        public var bytesAfter = 0

        public var description: String {
            func mb(_ n: Int) -> String { String(format: "%.1f MB", Double(n) / 1_000_000) }
            return "state pruned: \(forgotten.articles) delivered hashes, \(forgotten.nearDuplicates) near-duplicate verdicts, "
                + "\(forgotten.urls) URL validators, \(forgotten.robots) robots.txt copies forgotten; "
                + "state file \(mb(bytesBefore)) -> \(mb(bytesAfter))"
        }
    }

    /// One pass over the state as of `now`: batches until nothing older than the windows is
    /// left (or the task is cancelled), then incremental vacuum.
    public func pass(now: Date = Date()) async throws -> Pass {
        var result = Pass(bytesBefore: store.fileSize())
        let deliveredBefore = retention.delivered.map { now.addingTimeInterval(-$0.timeInterval) } ?? .distantPast
        let fetchedBefore = retention.urlValidators.map { now.addingTimeInterval(-$0.timeInterval) } ?? .distantPast
        var more = true
        while more, !Task.isCancelled {
            let r = try store.prune(deliveredBefore: deliveredBefore, fetchedBefore: fetchedBefore, now: now, batch: batch)
            result.forgotten.articles += r.articles
            result.forgotten.nearDuplicates += r.nearDuplicates
            result.forgotten.urls += r.urls
            result.forgotten.robots += r.robots
            more = r.more
            if more { try? await Task.sleep(for: pause) }
        }
        if result.forgotten != PruneResult() {
            try store.releaseFreePages(100_000)
            try store.checkpoint()
        }
        result.bytesAfter = store.fileSize()
        return result
    }

    /// A pass now and then one every `interval` until the task is cancelled; `report` hears of
    /// every pass that forgot something, and of failures (the next pass tries again).
    public func run(every interval: Duration, report: @escaping @Sendable (Result<Pass, any Error>) -> Void) async {
        while !Task.isCancelled {
            do {
                let pass = try await pass()
                if pass.forgotten != PruneResult() { report(.success(pass)) }
            } catch {
                report(.failure(error))
            }
            try? await Task.sleep(for: interval)
        }
    }
}
