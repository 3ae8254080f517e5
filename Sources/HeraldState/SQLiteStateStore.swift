import Foundation
import GRDB

/// The embedded `CrawlStateStore`: one SQLite file, `<state_dir>/herald.sqlite`, in WAL mode
/// with `synchronous = FULL`, so every committed change survives `kill -9` and power loss.
///
/// Thread safety: GRDB's `DatabasePool` serializes all writes on one connection and runs reads
/// concurrently on others, so one instance may be shared by every task of a process; several
/// processes may open the same file (SQLite locking, 30 s busy timeout). Opening migrates an
/// older file forward; a corrupt file or one from a newer herald throws `StateError` and is
/// never modified or replaced.
public final class SQLiteStateStore: CrawlStateStore {
    /// The state file's name inside `state_dir`.
    public static let fileName = "herald.sqlite"

    /// Path of the SQLite file.
    public let path: String
    let pool: DatabasePool
    private let claims = GroupCommit<DeliveryClaim, ClaimResult>()

    /// Opens (creating if needed) the state in `directory`.
    public convenience init(directory: URL) throws {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw StateError.unavailable(path: directory.path, detail: "cannot create state directory: \(error.localizedDescription)")
        }
        try self.init(path: directory.appendingPathComponent(Self.fileName).path)
    }

    /// Opens (creating if needed) the state file at `path`.
    public init(path: String) throws {
        self.path = path
        var config = Configuration()
        config.busyMode = .timeout(30)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // The dedupe indexes are probed at random, so every page of a growing state file is
            // touched sooner or later: a cache or a memory map as large as the file would make
            // the process grow with it (the soak measured +60 MiB over one 100,000-page run at
            // 64 MiB of cache and a 256 MiB map). 8 MiB per connection holds the index tops;
            // the rest is read through the kernel's page cache, which it can reclaim.
            try db.execute(sql: "PRAGMA cache_size = -8192")
            try db.execute(sql: "PRAGMA mmap_size = 0")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        let pool: DatabasePool
        do {
            // A new file gives the pages pruning frees back to the file system; the mode must be
            // set before the first write of the header (WAL mode writes it). An older file
            // reuses freed pages for new rows, so it stops growing all the same.
            if !FileManager.default.fileExists(atPath: path) {
                let creator = try DatabaseQueue(path: path)
                try creator.writeWithoutTransaction { db in
                    try db.execute(sql: "PRAGMA auto_vacuum = INCREMENTAL; VACUUM")
                }
                try creator.close()
            }
            pool = try DatabasePool(path: path, configuration: config)
        } catch {
            throw Self.openError(error, path: path)
        }
        self.pool = pool
        do {
            let migrator = StateSchema.migrator
            let (found, unknown) = try pool.read { db -> (Int, [String]) in
                let found = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
                let applied = try migrator.appliedIdentifiers(db)
                let known = Set(StateSchema.migrator.migrations)
                return (found, applied.subtracting(known).sorted())
            }
            if found > StateSchema.version || !unknown.isEmpty {
                throw StateError.newerVersion(path: path, found: max(found, StateSchema.version + 1),
                                              supported: StateSchema.version, unknownMigrations: unknown)
            }
            try migrator.migrate(pool)
        } catch let error as StateError {
            throw error
        } catch {
            throw Self.openError(error, path: path)
        }
    }

    /// Closes the file (tests use this to simulate a restart); later calls fail.
    public func close() throws {
        try pool.close()
    }

    /// Copies the write-ahead log into the main file and truncates it (the daemon may call this
    /// after a run to keep the `-wal` file small; SQLite also checkpoints on its own).
    public func checkpoint() throws {
        try perform {
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            }
        }
    }

    static func openError(_ error: any Error, path: String) -> StateError {
        if let db = error as? DatabaseError {
            switch db.resultCode {
            case .SQLITE_NOTADB, .SQLITE_CORRUPT:
                return .corrupt(path: path, detail: db.message ?? "\(db.resultCode)")
            case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_READONLY, .SQLITE_AUTH:
                return .unavailable(path: path, detail: db.message ?? "\(db.resultCode)")
            default:
                return .unavailable(path: path, detail: "\(db)")
            }
        }
        return .unavailable(path: path, detail: "\(error)")
    }

    /// Runs a database operation, turning GRDB errors into `StateError`.
    func perform<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as StateError {
            throw error
        } catch let error as DatabaseError {
            if error.resultCode == .SQLITE_CORRUPT || error.resultCode == .SQLITE_NOTADB {
                throw StateError.corrupt(path: path, detail: error.message ?? "\(error.resultCode)")
            }
            throw StateError.database(detail: "\(error)")
        } catch {
            throw StateError.database(detail: "\(error)")
        }
    }

    // MARK: - URLs

    public func urlState(_ url: String) throws -> URLState? {
        try perform {
            try pool.read { db in
                try Row.fetchOne(db, sql: """
                    SELECT etag, last_modified, last_fetched_at, http_status, content_hash
                    FROM urls WHERE url = ?
                    """, arguments: [url]).map { row in
                    URLState(url: url, etag: row[0], lastModified: row[1],
                             lastFetchedAt: (row[2] as Double?).map(Date.init(timeIntervalSince1970:)),
                             httpStatus: row[3], contentHash: row[4])
                }
            }
        }
    }

    public func saveURLState(_ state: URLState) throws {
        try saveURLStates([state])
    }

    public func saveURLStates(_ states: [URLState]) throws {
        guard !states.isEmpty else { return }
        try perform {
            try pool.write { db in
                let statement = try db.cachedStatement(sql: """
                    INSERT OR REPLACE INTO urls (url, etag, last_modified, last_fetched_at, http_status, content_hash)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """)
                for state in states {
                    try statement.execute(arguments: [state.url, state.etag, state.lastModified,
                                                      state.lastFetchedAt?.timeIntervalSince1970,
                                                      state.httpStatus, state.contentHash])
                }
            }
        }
    }

    // MARK: - robots.txt

    public func robots(origin: String, at now: Date) throws -> RobotsCacheEntry? {
        try perform {
            try pool.read { db in
                guard let row = try Row.fetchOne(db, sql: """
                    SELECT http_status, body, fetched_at, expires_at FROM robots WHERE origin = ?
                    """, arguments: [origin]) else { return nil }
                let expires: Double = row[3]
                guard expires > now.timeIntervalSince1970 else { return nil }
                let fetched: Double = row[2]
                return RobotsCacheEntry(origin: origin, httpStatus: row[0], body: row[1],
                                        fetchedAt: Date(timeIntervalSince1970: fetched),
                                        lifetime: expires - fetched)
            }
        }
    }

    public func saveRobots(_ entry: RobotsCacheEntry) throws {
        try perform {
            try pool.write { db in
                try db.execute(sql: """
                    INSERT OR REPLACE INTO robots (origin, http_status, body, fetched_at, expires_at)
                    VALUES (?, ?, ?, ?, ?)
                    """, arguments: [entry.origin, entry.httpStatus, entry.body,
                                     entry.fetchedAt.timeIntervalSince1970,
                                     entry.expiresAt.timeIntervalSince1970])
            }
        }
    }

    // MARK: - Run history of earlier versions

    /// Hands the run history that herald kept in this file before the crawl log became the only
    /// one (schema v1) to `move`, then deletes it, in that order, so a crash in between only
    /// moves it again (`move` must skip runs it already has). Runs that were still marked
    /// running come out `interrupted`. Does nothing once the history is gone.
    public func moveLegacyRuns(_ move: ([LegacyRun]) throws -> Void) throws {
        let runs: [LegacyRun] = try perform {
            try pool.read { db in
                guard try db.tableExists("legacy_runs") else { return [] }
                var counters: [Int64: [String: Int]] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT run_id, name, value FROM legacy_run_counters") {
                    counters[row[0], default: [:]][row[1]] = row[2]
                }
                return try Row.fetchAll(db, sql: """
                    SELECT id, crawl, started_at, finished_at, outcome, message FROM legacy_runs ORDER BY id
                    """).map { row in
                    let started = Date(timeIntervalSince1970: row[2])
                    let outcome: String = row[4]
                    return LegacyRun(crawl: row[1], startedAt: started,
                                     finishedAt: (row[3] as Double?).map(Date.init(timeIntervalSince1970:)) ?? started,
                                     outcome: outcome == "running" ? "interrupted" : outcome,
                                     message: row[5] ?? (outcome == "running" ? "the process running it stopped" : nil),
                                     counters: counters[row[0]] ?? [:])
                }
            }
        }
        try move(runs)
        try perform {
            try pool.write { db in
                try db.execute(sql: "DROP TABLE IF EXISTS legacy_run_counters; DROP TABLE IF EXISTS legacy_runs")
            }
        }
    }

    // MARK: - Delivery ledger

    public func ledgerStatus(contentHash: String) throws -> LedgerStatus {
        try perform { try pool.read { db in try Self.status(contentHash, db) } }
    }

    static func status(_ hash: String, _ db: Database) throws -> LedgerStatus {
        if try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM articles WHERE content_hash = ?"),
                             arguments: [hash]) != nil {
            return .delivered
        }
        if let of = try String.fetchOne(
            db.cachedStatement(sql: "SELECT near_duplicate_of FROM near_duplicates WHERE content_hash = ?"),
            arguments: [hash]) {
            return .nearDuplicate(of: of)
        }
        return .unknown
    }

    public func latestHash(canonicalURL: String) throws -> String? {
        try perform { try pool.read { db in try Self.latest(canonicalURL, db) } }
    }

    static func latest(_ canonicalURL: String, _ db: Database) throws -> String? {
        try String.fetchOne(db.cachedStatement(sql: """
            SELECT content_hash FROM articles WHERE canonical_url = ? ORDER BY id DESC LIMIT 1
            """), arguments: [canonicalURL])
    }

    public func nearDuplicate(of fingerprint: ContentFingerprint, minimumSimilarity: Double) throws -> String? {
        try perform {
            try pool.read { db in try Self.nearest(fingerprint, minimumSimilarity, db) }
        }
    }

    static func nearest(_ fingerprint: ContentFingerprint, _ minimum: Double, _ db: Database) throws -> String? {
        let keys = fingerprint.bandKeys
        let placeholders = Array(repeating: "?", count: keys.count).joined(separator: ",")
        let rows = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT a.content_hash, a.fingerprint FROM articles a
            WHERE a.id IN (SELECT article_id FROM fingerprint_bands WHERE band_key IN (\(placeholders)))
            """), arguments: StatementArguments(keys))
        var best: (hash: String, similarity: Double)?
        for row in rows {
            guard let data: Data = row[1], let other = ContentFingerprint(bytes: [UInt8](data)) else { continue }
            let s = fingerprint.similarity(to: other)
            if s >= minimum, s > (best?.similarity ?? -1) { best = (row[0], s) }
        }
        return best?.hash
    }

    /// Concurrent claims are committed together (one transaction, one fsync; see
    /// `GroupCommit`), each judged in submission order against everything before it, so a
    /// batch behaves exactly like the same claims made one after another.
    public func claim(_ claim: DeliveryClaim) throws -> ClaimResult {
        try claims.submit(claim) { batch in
            try perform {
                try pool.write { db in try batch.map { try Self.claim($0, in: db) } }
            }
        }
    }

    private static func claim(_ claim: DeliveryClaim, in db: Database) throws -> ClaimResult {
        switch try Self.status(claim.contentHash, db) {
        case .delivered: return .duplicate
        case let .nearDuplicate(of): return .nearDuplicate(of: of)
        case .unknown: break
        }
        if let canonical = claim.canonicalURL {
            let current = try Self.latest(canonical, db)
            if current != claim.previousHash { return .previousHashChanged(to: current) }
        }
        let now = Date().timeIntervalSince1970
        if let fingerprint = claim.fingerprint, let minimum = claim.nearDuplicateSimilarity,
           let original = try Self.nearest(fingerprint, minimum, db) {
            try db.execute(sql: """
                INSERT INTO near_duplicates (content_hash, near_duplicate_of, canonical_url, seen_at)
                VALUES (?, ?, ?, ?)
                """, arguments: [claim.contentHash, original, claim.canonicalURL, now])
            return .nearDuplicate(of: original)
        }
        try db.execute(sql: """
            INSERT INTO articles (content_hash, canonical_url, previous_hash, fingerprint, delivered_at)
            VALUES (?, ?, ?, ?, ?)
            """, arguments: [claim.contentHash, claim.canonicalURL, claim.previousHash,
                             claim.fingerprint.map { Data($0.bytes) }, now])
        let id = db.lastInsertedRowID
        if let fingerprint = claim.fingerprint {
            for key in Set(fingerprint.bandKeys) {
                try db.execute(sql: "INSERT INTO fingerprint_bands (band_key, article_id) VALUES (?, ?)",
                               arguments: [key, id])
            }
        }
        try db.execute(sql: """
            INSERT INTO pending_deliveries (content_hash, temporary_name, spool, created_at)
            VALUES (?, ?, ?, ?)
            """, arguments: [claim.contentHash, claim.temporaryName, claim.spool, now])
        return .claimed
    }

    public func confirm(contentHashes: [String]) throws {
        guard !contentHashes.isEmpty else { return }
        try perform {
            try pool.write { db in
                for hash in contentHashes {
                    try db.execute(sql: "DELETE FROM pending_deliveries WHERE content_hash = ?", arguments: [hash])
                }
            }
        }
    }

    public func abandon(contentHash: String) throws {
        try perform {
            try pool.write { db in
                try db.execute(sql: "DELETE FROM pending_deliveries WHERE content_hash = ?", arguments: [contentHash])
                // Only a pending article may be forgotten; a delivered one stays delivered.
                guard db.changesCount == 1 else { return }
                guard let row = try Row.fetchOne(db, sql: "SELECT id, fingerprint FROM articles WHERE content_hash = ?",
                                                 arguments: [contentHash]) else { return }
                try Self.removeArticle(row, db)
            }
        }
    }

    /// Deletes one `articles` row (`id`, `fingerprint`) and its near-duplicate bands.
    private static func removeArticle(_ row: Row, _ db: Database) throws {
        let id: Int64 = row[0]
        if let data: Data = row[1], let fingerprint = ContentFingerprint(bytes: [UInt8](data)) {
            for key in Set(fingerprint.bandKeys) {
                try db.execute(sql: "DELETE FROM fingerprint_bands WHERE band_key = ? AND article_id = ?",
                               arguments: [key, id])
            }
        }
        try db.execute(sql: "DELETE FROM articles WHERE id = ?", arguments: [id])
    }

    // MARK: - Bounded size

    /// Forgets, at most `batch` rows per kind in one short transaction (so a crawl's claims are
    /// never held up for long): articles delivered before `deliveredBefore` (their hashes stop
    /// deduplicating: an older copy seen again is delivered again), near-duplicate verdicts
    /// from before it, URL validators fetched before `fetchedBefore`, and expired robots.txt
    /// copies. A pending delivery is never forgotten. Call again while `more` is true.
    public func prune(deliveredBefore: Date, fetchedBefore: Date, now: Date = Date(),
                      batch: Int = 1000) throws -> PruneResult {
        try perform {
            try pool.write { db in
                var result = PruneResult()
                let old = try Row.fetchAll(db, sql: """
                    SELECT id, fingerprint FROM articles
                    WHERE delivered_at < ? AND content_hash NOT IN (SELECT content_hash FROM pending_deliveries)
                    ORDER BY delivered_at LIMIT ?
                    """, arguments: [deliveredBefore.timeIntervalSince1970, batch])
                for row in old { try Self.removeArticle(row, db) }
                result.articles = old.count
                try db.execute(sql: """
                    DELETE FROM near_duplicates WHERE content_hash IN (
                        SELECT content_hash FROM near_duplicates WHERE seen_at < ? LIMIT ?)
                    """, arguments: [deliveredBefore.timeIntervalSince1970, batch])
                result.nearDuplicates = db.changesCount
                try db.execute(sql: """
                    DELETE FROM urls WHERE url IN (
                        SELECT url FROM urls WHERE last_fetched_at < ? LIMIT ?)
                    """, arguments: [fetchedBefore.timeIntervalSince1970, batch])
                result.urls = db.changesCount
                try db.execute(sql: "DELETE FROM robots WHERE expires_at < ?", arguments: [now.timeIntervalSince1970])
                result.robots = db.changesCount
                result.more = result.articles == batch || result.nearDuplicates == batch || result.urls == batch
                return result
            }
        }
    }

    /// Gives up to `pages` free pages back to the file system (the file shrinks after pruning).
    public func releaseFreePages(_ pages: Int = 2000) throws {
        try perform {
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA incremental_vacuum(\(max(1, pages)))")
            }
        }
    }

    /// The state file's size in bytes (main file and write-ahead log).
    public func fileSize() -> Int {
        [path, path + "-wal"].reduce(0) { total, file in
            total + ((try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0)
        }
    }

    /// Records already delivered articles in bulk, in one transaction, without a spool (for
    /// importing history and for benchmarks). Hashes already known are skipped.
    public func importDelivered(_ articles: [DeliveredArticle]) throws {
        try perform {
            try pool.write { db in
                let article = try db.cachedStatement(sql: """
                    INSERT OR IGNORE INTO articles (content_hash, canonical_url, fingerprint, delivered_at)
                    VALUES (?, ?, ?, ?)
                    """)
                let band = try db.cachedStatement(sql: """
                    INSERT OR IGNORE INTO fingerprint_bands (band_key, article_id) VALUES (?, ?)
                    """)
                var bands = [(Int64, Int64)]()
                bands.reserveCapacity(articles.count * ContentFingerprint.bandCount)
                for a in articles {
                    try article.execute(arguments: [a.contentHash, a.canonicalURL, a.fingerprint.map { Data($0.bytes) },
                                                    a.deliveredAt.timeIntervalSince1970])
                    guard db.changesCount == 1, let fingerprint = a.fingerprint else { continue }
                    let id = db.lastInsertedRowID
                    for key in fingerprint.bandKeys { bands.append((key, id)) }
                }
                // In key order the index is written page by page instead of at random.
                bands.sort { $0 < $1 }
                for (key, id) in bands { try band.execute(arguments: [key, id]) }
            }
        }
    }

    public func pendingDeliveries(spool: String) throws -> [PendingDelivery] {
        try perform {
            try pool.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT content_hash, temporary_name FROM pending_deliveries WHERE spool = ? ORDER BY created_at
                    """, arguments: [spool]).map {
                    PendingDelivery(contentHash: $0[0], temporaryName: $0[1], spool: spool)
                }
            }
        }
    }
}
