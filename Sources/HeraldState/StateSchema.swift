import GRDB

/// The versioned schema of the SQLite state file. Migrations are append-only: a released one is
/// never edited; `user_version` holds the number of the newest applied migration so a newer
/// file is recognised even by tools that ignore GRDB's migration table.
enum StateSchema {
    /// The newest schema version this build understands.
    static let version = 3

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1", migrate: versionOne)
        // The crawl log is the one run history: v1's runs wait under another name until
        // `moveLegacyRuns` has handed them to it, and nothing writes them any more.
        migrator.registerMigration("v2") { db in
            try db.execute(sql: """
                ALTER TABLE runs RENAME TO legacy_runs;
                ALTER TABLE run_counters RENAME TO legacy_run_counters;
                PRAGMA user_version = 2;
                """)
        }
        // Pruning by age reads oldest first, a batch at a time.
        migrator.registerMigration("v3") { db in
            try db.execute(sql: """
                CREATE INDEX articles_by_delivered_at ON articles(delivered_at);
                CREATE INDEX urls_by_last_fetched_at ON urls(last_fetched_at);
                CREATE INDEX near_duplicates_by_seen_at ON near_duplicates(seen_at);
                PRAGMA user_version = 3;
                """)
        }
        return migrator
    }

    /// The first schema, as released (the tests build v1 files with it).
    static func versionOne(_ db: Database) throws {
        // Per normalized URL: validators for conditional GET and the last extracted hash.
        try db.execute(sql: """
            CREATE TABLE urls (
                url TEXT PRIMARY KEY NOT NULL,
                etag TEXT,
                last_modified TEXT,
                last_fetched_at REAL,
                http_status INTEGER,
                content_hash TEXT
            ) WITHOUT ROWID;
            """)
        // Every delivered (or pending) article: the exact-dedupe key and near-dupe fingerprint.
        try db.execute(sql: """
            CREATE TABLE articles (
                id INTEGER PRIMARY KEY,
                content_hash TEXT NOT NULL UNIQUE,
                canonical_url TEXT,
                previous_hash TEXT,
                fingerprint BLOB,
                delivered_at REAL NOT NULL
            );
            CREATE INDEX articles_by_canonical_url ON articles(canonical_url);
            """)
        // 16 band keys per fingerprint; a lookup probes its own 16 keys.
        try db.execute(sql: """
            CREATE TABLE fingerprint_bands (
                band_key INTEGER NOT NULL,
                article_id INTEGER NOT NULL,
                PRIMARY KEY (band_key, article_id)
            ) WITHOUT ROWID;
            """)
        // Deliveries committed but not yet confirmed (see the spool's crash-safety argument).
        try db.execute(sql: """
            CREATE TABLE pending_deliveries (
                content_hash TEXT PRIMARY KEY NOT NULL,
                temporary_name TEXT NOT NULL,
                spool TEXT NOT NULL,
                created_at REAL NOT NULL
            ) WITHOUT ROWID;
            """)
        // Articles held back as near-copies, so the decision is stable and cheap next time.
        try db.execute(sql: """
            CREATE TABLE near_duplicates (
                content_hash TEXT PRIMARY KEY NOT NULL,
                near_duplicate_of TEXT NOT NULL,
                canonical_url TEXT,
                seen_at REAL NOT NULL
            ) WITHOUT ROWID;
            """)
        try db.execute(sql: """
            CREATE TABLE robots (
                origin TEXT PRIMARY KEY NOT NULL,
                http_status INTEGER NOT NULL,
                body TEXT NOT NULL,
                fetched_at REAL NOT NULL,
                expires_at REAL NOT NULL
            ) WITHOUT ROWID;
            """)
        try db.execute(sql: """
            CREATE TABLE runs (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                crawl TEXT NOT NULL,
                started_at REAL NOT NULL,
                finished_at REAL,
                outcome TEXT NOT NULL,
                message TEXT
            );
            CREATE INDEX runs_by_crawl ON runs(crawl, id);
            CREATE TABLE run_counters (
                run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                name TEXT NOT NULL,
                value INTEGER NOT NULL,
                PRIMARY KEY (run_id, name)
            ) WITHOUT ROWID;
            """)
        try db.execute(sql: "PRAGMA user_version = 1")
    }
}
