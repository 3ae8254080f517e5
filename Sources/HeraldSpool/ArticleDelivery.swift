import Foundation
import HeraldExtract
import HeraldFiles
import HeraldState
import Synchronization

/// The crawl engine's one entry point for finished articles: dedupes a record (exact hash,
/// near-duplicate fingerprint), sets `previous_hash` for updated pages, and writes it into the
/// spool exactly once, consistent with the state store across crashes.
///
/// Create one instance per process and spool and share it (several are safe too: the first
/// `deliver` or `recover()` cleans up after a crashed predecessor only when no other writer is
/// alive, see `recover()`). Thread safety: `deliver` may be called from many tasks at once; the
/// store serializes the claims, the file steps touch distinct files.
///
/// Contract for the engine: store a page's validators (`saveURLState`) only after `deliver`
/// returned an outcome, never when it threw: a conditional GET must not hide an article that
/// was not delivered.
///
/// ## The protocol and why it is crash-safe
/// For a record with hash `H` (hex `X`):
/// 1. write the JSON to a fresh `tmp/<unique>`, fsync the file, fsync `tmp/`;
/// 2. claim `H` in the store: one committed transaction that rejects exact and near duplicates
///    and records a *pending delivery* (`H`, tmp name);
/// 3. `rename(tmp/<unique>, new/<X>.json)`;
/// 4. confirm `H` (drop the pending entry), batched: fsync `new/` once, then commit the batch.
///    Confirming only saves recovery work; the fsync before it makes sure a confirmed rename
///    is on disk.
///
/// Recovery, at start-up before any delivery: for each pending entry of this spool, if its tmp
/// file still exists the rename never happened, so the entry is abandoned (committed) *and then*
/// the tmp file is deleted; if the tmp file is gone the rename happened, so it is confirmed
/// (after an fsync of `new/`).
/// Then every other file in `tmp/` is deleted. Crash points:
/// - before or during step 1, or between 1 and 2: no pending entry, so the store never heard of
///   `H`; the tmp file is a leftover and deleted. The page is fetched again next run and
///   delivered then (the engine stores validators only after `deliver` returned).
/// - between 2 and 3: pending entry and tmp file exist: abandoned and deleted; delivered again
///   next run. Nothing reached `new/`, so nothing is duplicated.
/// - between 3 and 4 (or during the rename: rename is atomic, the tmp file is either still
///   there or already in `new/`): the tmp file is gone, so `H` is confirmed: the one copy in
///   `new/` stays the only one, whether or not a consumer has moved or deleted it since, because
///   recovery looks only at `tmp/`, never at `new/`.
/// - after 4: nothing to do.
/// - during recovery: abandoning commits before the tmp file is deleted, so a crash in between
///   leaves a plain leftover (deleted next time), never "pending without tmp file" for an
///   article that was not renamed. Recovery is idempotent.
/// Files only reach `new/` by rename of a complete, synced file, so a reader never sees a
/// partial file. A tmp file is never deleted while its pending entry may still exist: if
/// abandoning fails (state unusable) the tmp file stays for recovery to judge. With the store's
/// `synchronous = FULL` and the directory fsyncs the argument also holds across power loss.
public final class ArticleDelivery: Sendable {
    /// Default near-duplicate threshold: estimated Jaccard similarity of the bodies' 3-word
    /// shingle sets. On 133 corpus articles typo fixes score >= 0.92, changed credit lines
    /// >= 0.73, added site chrome >= 0.78; the most similar different stories 0.14.
    public static let defaultNearDuplicateSimilarity = 0.6

    /// How often one delivery may find that another version of its canonical URL was delivered
    /// meanwhile before it gives up.
    static let maximumVersionRaces = 256

    /// How many confirmations may wait before they are written in one transaction.
    static let confirmBatch = 32

    public let spool: SpoolDirectory
    public let store: any CrawlStateStore
    /// Hold back records at least this similar to a delivered one; nil turns the check off.
    public let nearDuplicateSimilarity: Double?

    private struct State {
        var recovered = false
        /// `<spool>/.herald-lock`, held shared while this instance may write (see `recover()`).
        var spoolLock: FileLock?
        var unconfirmed: [String] = []
        var counter: UInt64 = 0
    }
    private let state = Mutex(State())

    public init(spool: URL, store: any CrawlStateStore,
                nearDuplicateSimilarity: Double? = ArticleDelivery.defaultNearDuplicateSimilarity) {
        self.spool = SpoolDirectory(root: spool)
        self.store = store
        self.nearDuplicateSimilarity = nearDuplicateSimilarity
    }

    deinit {
        let unconfirmed = state.withLock { $0.unconfirmed }
        if !unconfirmed.isEmpty, (try? SpoolDirectory.syncDirectory(spool.new)) != nil {
            try? store.confirm(contentHashes: unconfirmed)
        }
    }

    /// Dedupes and delivers one record. Throws `SpoolError` (kind `spool_error`) when the spool
    /// cannot be written, `StateError` when the state store fails; in both cases the record was
    /// not delivered and will be retried by the next run.
    public func deliver(_ record: ArticleRecord) throws -> DeliveryOutcome {
        try recover()
        let hex = try Self.hex(of: record.contentHash)
        switch try store.ledgerStatus(contentHash: record.contentHash) {
        case .delivered: return .duplicate(ofHash: record.contentHash)
        case let .nearDuplicate(of): return .nearDuplicate(of: of)
        case .unknown: break
        }
        let canonical = record.canonicalURL ?? record.url
        var previous = try canonical.flatMap { try store.latestHash(canonicalURL: $0) }
        let fingerprint = ContentFingerprint(body: record.body)
        // A changed previous hash means another version was delivered meanwhile: rewrite. Every
        // retry is another writer's success, so retries are bounded by the number of versions
        // racing (12 tasks on a loaded machine needed more than 8); the cap only stops a store
        // that never settles, and giving up fails the whole run as `state_error`.
        for _ in 0..<Self.maximumVersionRaces {
            let attempt = try prepare(record, hex: hex, previousHash: previous, fingerprint: fingerprint)
            try writeTemporary(attempt)
            // If the claim throws it may still have committed: the tmp file stays for recovery.
            switch try claim(attempt) {
            case .claimed:
                let file = try publish(attempt)
                try confirmLater(attempt.contentHash)
                return .delivered(file: file, previousHash: attempt.record.previousHash)
            case .duplicate:
                spool.removeTemporary(attempt.temporaryName)
                return .duplicate(ofHash: record.contentHash)
            case let .nearDuplicate(of):
                spool.removeTemporary(attempt.temporaryName)
                return .nearDuplicate(of: of)
            case let .previousHashChanged(to):
                spool.removeTemporary(attempt.temporaryName)
                previous = to
            }
        }
        throw StateError.database(detail: "canonical URL \(canonical ?? "?") keeps changing its latest version")
    }

    /// Writes outstanding confirmations. Call it at the end of a run; they are also written in
    /// batches and at deinit, and recovery confirms any that were lost, so this only saves work.
    public func flush() throws {
        let batch = state.withLock { state in
            defer { state.unconfirmed.removeAll() }
            return state.unconfirmed
        }
        guard !batch.isEmpty else { return }
        do {
            try SpoolDirectory.syncDirectory(spool.new)
            try store.confirm(contentHashes: batch)
        } catch {
            state.withLock { $0.unconfirmed.append(contentsOf: batch) }
            throw error
        }
    }

    /// Creates the spool directories and resolves a crashed predecessor's pending deliveries and
    /// tmp leftovers (the argument above). Runs once per instance; `deliver` calls it, so a
    /// spool that is unusable at start-up is retried with every article until it works.
    /// Recovery is skipped when another live `ArticleDelivery` (in this or another process)
    /// writes to the same spool: it recovered when it started, and its files in `tmp/` are
    /// in flight, not leftovers: every writer holds `<spool>/.herald-lock` shared while it may
    /// write, and recovery runs only under the exclusive lock, which the kernel frees when a
    /// holder dies (`kill -9` included).
    public func recover() throws {
        try state.withLock { state in
            guard !state.recovered else { return }
            try spool.createDirectories()
            let lockFile = spool.root.appendingPathComponent(".herald-lock")
            let exclusive: FileLock?
            do throws(FileError) { exclusive = try FileLock.tryLock(lockFile, .exclusive) } catch { throw SpoolError(error.message) }
            if let exclusive {
                try resolveLeftovers()
                exclusive.downgrade()
                state.spoolLock = exclusive
            } else {
                do throws(FileError) { state.spoolLock = try FileLock.lock(lockFile, .shared) } catch { throw SpoolError(error.message) }
            }
            state.recovered = true
        }
    }

    /// Stops writing: releases the spool lock and writes outstanding confirmations. Later
    /// `deliver` calls start over with `recover()`.
    public func close() throws {
        try flush()
        releaseSpoolLock()
    }

    /// What the death of the process does to the lock (tests use it to simulate `kill -9`).
    func releaseSpoolLock() {
        state.withLock { state in
            state.spoolLock = nil
            state.recovered = false
        }
    }

    /// The recovery proper; the caller holds the exclusive spool lock.
    private func resolveLeftovers() throws {
        try SpoolDirectory.syncDirectory(spool.new)
        var leftovers = Set(try spool.temporaryNames())
        for pending in try store.pendingDeliveries(spool: spool.identity) {
            if spool.temporaryExists(pending.temporaryName) {
                try store.abandon(contentHash: pending.contentHash)
                spool.removeTemporary(pending.temporaryName)
            } else {
                try store.confirm(contentHashes: [pending.contentHash])
            }
            leftovers.remove(pending.temporaryName)
        }
        for name in leftovers { spool.removeTemporary(name) }
        try SpoolDirectory.syncDirectory(spool.tmp)
    }

    // MARK: - Protocol steps (internal so tests can stop between them)

    /// One record on its way into the spool.
    struct Attempt {
        var record: ArticleRecord
        var contentHash: String { record.contentHash }
        var hex: String
        var canonicalURL: String?
        var fingerprint: ContentFingerprint
        var temporaryName: String
        var json: Data
    }

    func prepare(_ record: ArticleRecord, hex: String, previousHash: String?,
                 fingerprint: ContentFingerprint) throws -> Attempt {
        var record = record
        record.previousHash = previousHash
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var json = try encoder.encode(record)
        json.append(0x0A)
        let name = state.withLock { state in
            state.counter += 1
            let nanos = UInt64(Date().timeIntervalSince1970 * 1e9)
            return "\(hex).\(ProcessInfo.processInfo.processIdentifier).\(nanos).\(state.counter).tmp"
        }
        return Attempt(record: record, hex: hex, canonicalURL: record.canonicalURL ?? record.url,
                       fingerprint: fingerprint, temporaryName: name, json: json)
    }

    /// Step 1. If `tmp/` vanished (the spool was removed while running) the directories are
    /// created again once before giving up.
    func writeTemporary(_ attempt: Attempt) throws {
        do {
            try spool.writeTemporary(attempt.json, name: attempt.temporaryName)
        } catch let error as SpoolError {
            guard !FileManager.default.fileExists(atPath: spool.tmp.path) else { throw error }
            try spool.createDirectories()
            try spool.writeTemporary(attempt.json, name: attempt.temporaryName)
        }
    }

    /// Step 2.
    func claim(_ attempt: Attempt) throws -> ClaimResult {
        try store.claim(DeliveryClaim(
            contentHash: attempt.contentHash, canonicalURL: attempt.canonicalURL,
            previousHash: attempt.record.previousHash, fingerprint: attempt.fingerprint,
            temporaryName: attempt.temporaryName, spool: spool.identity,
            nearDuplicateSimilarity: nearDuplicateSimilarity))
    }

    /// Step 3. If the rename fails the claim is abandoned (the tmp file is deleted only once
    /// that is committed); once the rename succeeded the article counts as delivered, since a
    /// consumer may already have taken it. `new/` is synced with the batched confirmation.
    func publish(_ attempt: Attempt) throws -> URL {
        let file: URL
        do {
            file = try spool.rename(temporary: attempt.temporaryName, hex: attempt.hex)
        } catch {
            if (try? store.abandon(contentHash: attempt.contentHash)) != nil {
                spool.removeTemporary(attempt.temporaryName)
            }
            throw error
        }
        return file
    }

    /// Step 4 (batched).
    func confirmLater(_ hash: String) throws {
        let full = state.withLock { state in
            state.unconfirmed.append(hash)
            return state.unconfirmed.count >= Self.confirmBatch
        }
        if full { try? flush() }
    }

    /// The hex part of a `sha256:<64 hex>` content hash; it names the spool file, so anything
    /// else is refused.
    static func hex(of contentHash: String) throws -> String {
        let prefix = "sha256:"
        guard contentHash.hasPrefix(prefix) else {
            throw SpoolError("record has no valid content_hash (\"\(contentHash.prefix(80))\")")
        }
        let hex = contentHash.dropFirst(prefix.count)
        guard hex.count == 64, hex.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
            throw SpoolError("record has no valid content_hash (\"\(contentHash.prefix(80))\")")
        }
        return String(hex)
    }
}
