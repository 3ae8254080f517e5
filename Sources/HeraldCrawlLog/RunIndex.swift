import Foundation
import GRDB

/// The index of runs: one SQLite row per run in `<log_dir>/runs.sqlite`, so listing and
/// filtering a year of history never opens a run file.
///
/// Thread-safe (GRDB serializes access); several processes may write it, waiting on each
/// other's locks. It stays in SQLite's rollback-journal mode so that a reader with read-only
/// access to the log directory (an operator in the service's group) can query it.
final class RunIndex: Sendable {
    let path: String
    private let db: DatabaseQueue

    static func path(in directory: URL) -> String {
        directory.appendingPathComponent("runs.sqlite").path
    }

    /// Opens the index for writing, creating it if needed.
    init(writableIn directory: URL) throws {
        path = Self.path(in: directory)
        var config = Configuration()
        config.busyMode = .timeout(10)
        do {
            db = try DatabaseQueue(path: path, configuration: config)
            try Self.migrator.migrate(db)
        } catch {
            throw CrawlLogError.index(path: path, reason: Self.describe(error))
        }
    }

    /// Opens an existing index for reading; nil when no run was ever logged there.
    init?(readOnlyIn directory: URL) throws {
        path = Self.path(in: directory)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(10)
        do {
            db = try DatabaseQueue(path: path, configuration: config)
        } catch {
            throw CrawlLogError.index(path: path, reason: Self.describe(error))
        }
    }

    private static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE run (
                    id TEXT PRIMARY KEY NOT NULL,
                    crawl TEXT NOT NULL,
                    start REAL NOT NULL,
                    end REAL,
                    pages INTEGER NOT NULL DEFAULT 0,
                    new INTEGER NOT NULL DEFAULT 0,
                    duplicates INTEGER NOT NULL DEFAULT 0,
                    errors INTEGER NOT NULL DEFAULT 0,
                    kinds TEXT NOT NULL DEFAULT '{}',
                    outcome TEXT,
                    file TEXT NOT NULL,
                    pid INTEGER NOT NULL,
                    host TEXT NOT NULL
                );
                CREATE INDEX run_by_crawl_start ON run(crawl, start);
                CREATE INDEX run_by_start ON run(start);
                """)
        }
        // Whether a run is alive is now decided by its crawl's lock, not by its process id.
        m.registerMigration("v2: liveness by lock") { db in
            try db.execute(sql: "ALTER TABLE run DROP COLUMN pid; ALTER TABLE run DROP COLUMN host")
        }
        return m
    }

    /// Adds a run as running.
    func insert(id: String, crawl: String, start: Date, file: String) throws {
        try write { db in
            try db.execute(sql: "INSERT INTO run (id, crawl, start, file) VALUES (?, ?, ?, ?)",
                           arguments: [id, crawl, start.timeIntervalSince1970, file])
        }
    }

    /// Whether a run of `crawl` started within a millisecond of `start`.
    func hasRun(crawl: String, startedNear start: Date) throws -> Bool {
        let t = start.timeIntervalSince1970
        return try read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM run WHERE crawl = ? AND start BETWEEN ? AND ?)",
                              arguments: [crawl, t - 0.001, t + 0.001]) ?? false
        }
    }

    /// Records the end of a run. With `onlyIfRunning`, does nothing (and returns false) when
    /// another process already ended it.
    @discardableResult
    func finish(id: String, end: Date, counters: RunCounters, outcome: RunOutcome,
                onlyIfRunning: Bool = false) throws -> Bool {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let kinds = String(decoding: try encoder.encode(counters.kindsByName), as: UTF8.self)
        var changed = false
        try write { db in
            try db.execute(sql: """
                UPDATE run SET end = ?, pages = ?, new = ?, duplicates = ?, errors = ?, kinds = ?,
                    outcome = ? WHERE id = ?
                """ + (onlyIfRunning ? " AND outcome IS NULL" : ""),
                arguments: [end.timeIntervalSince1970, counters.pages, counters.new,
                            counters.duplicates, counters.errors, kinds, outcome.rawValue, id])
            changed = db.changesCount > 0
        }
        return changed
    }

    /// Runs matching the filters in start order; with `limit`, the newest `limit` of them.
    func runs(crawl: String?, since: Date?, limit: Int?, unfinishedOnly: Bool = false,
              failingOnly: Bool = false) throws -> [RunSummary] {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let crawl {
            conditions.append("crawl = ?")
            _ = arguments.append(contentsOf: [crawl])
        }
        if let since {
            conditions.append("start >= ?")
            _ = arguments.append(contentsOf: [since.timeIntervalSince1970])
        }
        if unfinishedOnly { conditions.append("outcome IS NULL") }
        if failingOnly { conditions.append("(errors > 0 OR outcome IN ('failed', 'interrupted'))") }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        var sql = "SELECT * FROM run \(whereClause) ORDER BY start DESC, id DESC"
        if let limit { sql += " LIMIT \(max(0, limit))" }
        let rows = try read { db in try Row.fetchAll(db, sql: sql, arguments: arguments) }
        return rows.reversed().map(Self.summary)
    }

    func latestPerCrawl(outcome: RunOutcome? = nil) throws -> [RunSummary] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM (
                    SELECT *, ROW_NUMBER() OVER (PARTITION BY crawl ORDER BY start DESC, id DESC) AS rank
                    FROM run \(outcome == nil ? "" : "WHERE outcome = ?"))
                WHERE rank = 1 ORDER BY crawl
                """, arguments: StatementArguments(outcome.map { [$0.rawValue] } ?? []))
        }.map(Self.summary)
    }

    func run(id: String) throws -> RunSummary? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM run WHERE id = ?", arguments: [id])
        }.map(Self.summary)
    }

    /// Ids starting with `prefix`, at most `limit` of them (for abbreviated run ids).
    func ids(withPrefix prefix: String, limit: Int) throws -> [String] {
        try read { db in
            try String.fetchAll(db, sql: "SELECT id FROM run WHERE id >= ? AND id < ? ORDER BY id LIMIT ?",
                                arguments: [prefix, prefix + "\u{10FFFF}", limit])
        }
    }

    /// Runs that the retention policy no longer keeps, oldest first.
    func expired(by retention: LogRetention, now: Date) throws -> [RunSummary] {
        let rows: [Row]
        switch retention {
        case let .runs(keep):
            rows = try read { db in
                try Row.fetchAll(db, sql: """
                    SELECT * FROM (
                        SELECT *, ROW_NUMBER() OVER (PARTITION BY crawl ORDER BY start DESC, id DESC) AS rank
                        FROM run)
                    WHERE rank > ? ORDER BY start, id
                    """, arguments: [keep])
            }
        case .age:
            let seconds = retention.seconds ?? 0
            rows = try read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM run WHERE start < ? ORDER BY start, id",
                                 arguments: [now.timeIntervalSince1970 - seconds])
            }
        }
        return rows.map(Self.summary)
    }

    func delete(ids: [String]) throws {
        guard !ids.isEmpty else { return }
        try write { db in
            for id in ids {
                try db.execute(sql: "DELETE FROM run WHERE id = ?", arguments: [id])
            }
        }
    }

    private func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try db.read(body) } catch {
            throw CrawlLogError.index(path: path, reason: Self.describe(error))
        }
    }

    private func write(_ body: (Database) throws -> Void) throws {
        do { try db.write(body) } catch {
            throw CrawlLogError.index(path: path, reason: Self.describe(error))
        }
    }

    private static func summary(_ row: Row) -> RunSummary {
        let kindsText: String = row["kinds"] ?? "{}"
        let raw = (try? JSONDecoder().decode([String: Int].self, from: Data(kindsText.utf8))) ?? [:]
        let counters = RunCounters(
            pages: row["pages"] ?? 0, new: row["new"] ?? 0, duplicates: row["duplicates"] ?? 0,
            errors: row["errors"] ?? 0,
            kinds: Dictionary(uniqueKeysWithValues: raw.map { (OutcomeKind($0.key), $0.value) }))
        let end: Double? = row["end"]
        let outcome: String? = row["outcome"]
        return RunSummary(
            id: row["id"], crawl: row["crawl"],
            start: Date(timeIntervalSince1970: row["start"]),
            end: end.map(Date.init(timeIntervalSince1970:)),
            counters: counters,
            outcome: outcome.flatMap(RunOutcome.init(rawValue:)),
            file: row["file"])
    }

    private static func describe(_ error: any Error) -> String {
        if let e = error as? DatabaseError { return e.message ?? e.description }
        return String(describing: error)
    }
}
