import Foundation
import GRDB

/// A state file as herald wrote it while the state kept its own run history (schema v1), for
/// the tests of moving that history into the crawl log.
public enum VersionOneStateFile {
    /// Creates `<dir>/herald.sqlite` with the v1 schema (`HeraldState`'s `StateSchema.versionOne`,
    /// passed in because it is internal there) and runs `sql` on it.
    public static func write(in dir: URL, schema: @escaping @Sendable (Database) throws -> Void, sql: String) throws {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let queue = try DatabaseQueue(path: dir.appendingPathComponent("herald.sqlite").path)
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1", migrate: schema)
        try migrator.migrate(queue)
        try queue.write { db in try db.execute(sql: sql) }
        try queue.close()
    }
}
