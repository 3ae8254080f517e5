import Foundation

/// What dedupe and politeness need to remember between runs, behind one small interface:
/// per-URL fetch state, the robots.txt cache, and the delivery ledger that makes spool delivery
/// exactly-once and deduplicates content. (The run history is the crawl log's.)
///
/// Implementations must be safe to call from many tasks at once and make every method that
/// returns normally durable (committed) before it returns. Nothing here depends on SQLite:
/// `SQLiteStateStore` is the embedded default; a shared PostgreSQL store for several daemons
/// would implement the same methods (the claim is one transaction guarded by a unique key).
public protocol CrawlStateStore: Sendable {
    // MARK: URLs
    /// The stored state of a normalized URL, nil if never fetched.
    func urlState(_ url: String) throws -> URLState?
    /// Inserts or replaces the state of `state.url`.
    func saveURLState(_ state: URLState) throws
    /// Inserts or replaces several URL states in one transaction (cheaper than one by one).
    func saveURLStates(_ states: [URLState]) throws

    // MARK: robots.txt
    /// The cached robots.txt of an origin, nil if absent or expired at `now`.
    func robots(origin: String, at now: Date) throws -> RobotsCacheEntry?
    func saveRobots(_ entry: RobotsCacheEntry) throws

    // MARK: Delivery ledger
    func ledgerStatus(contentHash: String) throws -> LedgerStatus
    /// The hash most recently delivered for a canonical URL (the next version's `previous_hash`).
    func latestHash(canonicalURL: String) throws -> String?
    /// The delivered hash whose fingerprint is most similar to `fingerprint`, if at least
    /// `minimumSimilarity`.
    func nearDuplicate(of fingerprint: ContentFingerprint, minimumSimilarity: Double) throws -> String?
    /// Atomically: reject exact and near duplicates, check `previousHash` is still current, and
    /// commit a pending delivery reserving the hash.
    func claim(_ claim: DeliveryClaim) throws -> ClaimResult
    /// Marks pending deliveries as delivered (their rename happened). Idempotent.
    func confirm(contentHashes: [String]) throws
    /// Forgets a pending delivery whose rename did not happen: the hash becomes deliverable again.
    func abandon(contentHash: String) throws
    /// Pending deliveries of one spool, for crash recovery.
    func pendingDeliveries(spool: String) throws -> [PendingDelivery]
}
