import KildeCore

extension SQLiteFactStore {
    func applyMigrations() async throws -> (applied: [String], already: Int) {
        try await database.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        let done = Set(try await database.execute("SELECT version FROM schema_migrations").compactMap { $0.string("version") })
        var applied: [String] = []
        for migration in SQLiteSchema.migrations where !done.contains(migration.version) {
            do {
                try await transaction { db in
                    for statement in migration.statements { try await db.execute(statement) }
                    try await db.execute("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
                                         [.text(migration.version), .text(Timestamp.now())])
                }
            } catch {
                throw StoreError(.migration, "migration \(migration.version) failed: \(error)")
            }
            applied.append(migration.version)
        }
        return (applied, done.count)
    }
}
