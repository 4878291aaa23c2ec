import KildeCore

extension SQLiteFactStore {
    /// Another process may be migrating the same file: its lock is waited for well past the busy timeout (a loaded
    /// machine can hold it longer).
    static let migrationWait = Duration.seconds(60)

    func waitingForOtherWriters<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await Self.retryingWhileBusy(for: Self.migrationWait, body)
    }

    func applyMigrations() async throws -> (applied: [String], already: Int) {
        // Then look again at what is applied.
        let wait = Self.migrationWait
        try await Self.retryingWhileBusy(for: wait) {
            _ = try await database.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        }
        let done = Set(try await database.execute("SELECT version FROM schema_migrations").compactMap { $0.string("version") })
        var applied: [String] = []
        for migration in SQLiteSchema.migrations where !done.contains(migration.version) {
            do {
                let ran = try await Self.retryingWhileBusy(for: wait) { try await self.transaction { db in
                    // Another process may have applied it since `done` was read: BEGIN IMMEDIATE holds the write
                    // lock now, so this check and the migration cannot interleave with theirs.
                    let present = try await db.execute("SELECT 1 AS present FROM schema_migrations WHERE version = ?", [.text(migration.version)])
                    guard present.isEmpty else { return false }
                    for statement in migration.statements { try await db.execute(statement) }
                    try await db.execute("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
                                         [.text(migration.version), .text(Timestamp.now())])
                    return true
                } }
                if ran { applied.append(migration.version) }
            } catch {
                throw StoreError(.migration, "migration \(migration.version) failed: \(error)")
            }
        }
        return (applied, SQLiteSchema.migrations.count - applied.count)
    }
}
