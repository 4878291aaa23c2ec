import KildeCore

extension PostgresFactStore {
    /// Applies pending migrations in order, each in its own transaction together with its record in
    /// `ingest.schema_migrations`.
    ///
    /// Two processes may migrate at once (two `kilde ingest` started together): a session advisory lock makes
    /// the second wait, and it re-reads the applied versions only after the first has finished.
    func applyMigrations() async throws -> (applied: [String], already: Int) {
        try await withConnection { db in
            try await db.execute("SELECT pg_advisory_lock(?)", [.int(PostgresSchema.migrationLock)])
            do {
                let result = try await applyLocked(db)
                try await db.execute("SELECT pg_advisory_unlock(?)", [.int(PostgresSchema.migrationLock)])
                return result
            } catch {
                // Session locks outlive errors; release it so the pooled connection does not keep it.
                _ = try? await db.execute("SELECT pg_advisory_unlock(?)", [.int(PostgresSchema.migrationLock)])
                throw error
            }
        }
    }

    private func applyLocked(_ db: PostgresExecutor) async throws -> (applied: [String], already: Int) {
        // Only a new database needs the bootstrap: CREATE SCHEMA checks the CREATE privilege even when the
        // schema exists, and a production role that may only write data must still be able to run `kilde ingest`.
        let exists = try await db.execute("SELECT to_regclass('ingest.schema_migrations') IS NOT NULL AS present").first?.int("present") == 1
        if !exists {
            for statement in PostgresSchema.bootstrap { try await db.execute(statement) }
        }
        let done = Set(try await db.execute("SELECT version FROM ingest.schema_migrations").compactMap { $0.string("version") })
        var applied: [String] = []
        for migration in PostgresSchema.migrations where !done.contains(migration.version) {
            do {
                try await db.inTransaction {
                    for statement in migration.statements { try await db.execute(statement) }
                    try await db.execute("INSERT INTO ingest.schema_migrations (version) VALUES (?)", [.text(migration.version)])
                }
            } catch {
                throw StoreError(.migration, "migration \(migration.version) failed on \(location): \(error)")
            }
            applied.append(migration.version)
        }
        return (applied, done.count)
    }
}
