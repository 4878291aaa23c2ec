import KildeCore
import PostgresNIO

/// The baseline: the same rows loaded with one plain `COPY` into an empty table identical to `fact_yearly`
/// (columns, checks, NULLS NOT DISTINCT natural-key index, foreign keys and the axis-check trigger), so the
/// difference to Kilde's load is only Kilde's own work: staging, the guarded upsert, bookkeeping, round trips.
enum RawCopy {
    static let table = "bench_raw_copy"

    /// Creates `facts.bench_raw_copy` with every constraint and trigger `facts.fact_yearly` has.
    static func createIdenticalTable(_ db: BenchDatabase) async throws {
        try await db.execute("CREATE TABLE facts.\(table) (LIKE facts.fact_yearly INCLUDING ALL)")
        // LIKE copies columns, defaults, checks and indexes, not foreign keys or triggers: copy those from the catalogs.
        var extra: [String] = []
        let fks = try await db.connection.query("""
            SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'facts.fact_yearly'::regclass AND contype = 'f'
            """, logger: BenchDatabase.logger)
        for try await def in fks.decode(String.self) { extra.append("ALTER TABLE facts.\(table) ADD \(def)") }
        let triggers = try await db.connection.query("""
            SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = 'facts.fact_yearly'::regclass AND NOT tgisinternal
            """, logger: BenchDatabase.logger)
        for try await def in triggers.decode(String.self) {
            extra.append(def.replacingOccurrences(of: "fact_yearly_", with: "\(table)_")
                .replacingOccurrences(of: "facts.fact_yearly ", with: "facts.\(table) "))
        }
        guard extra.count >= 8 else { throw BenchError("expected 7 foreign keys and a trigger on fact_yearly, found \(extra.count) definitions") }
        for statement in extra { try await db.execute(statement) }
    }

    /// Loads every atom with one `COPY` and returns how long it took.
    static func load(_ data: SyntheticData, into db: BenchDatabase, at timestamp: String) async throws -> Duration {
        // Build the text first: the baseline times the database's work, not Swift string formatting.
        var chunks: [ByteBuffer] = []
        var buffer = ByteBuffer()
        for i in data.regions.indices {
            for f in data.facts(slice: i) {
                let k = f.key
                buffer.writeString("\(k.sourceID)\t\(k.dimCode)\t\(k.catCode)\t\(k.period.year)\t\\N\t\\N\t\(k.region.map(String.init) ?? "\\N")\t\\N\t\(f.value.map { "\($0)" } ?? "\\N")\t\\N\t\(timestamp)\n")
            }
            if buffer.readableBytes > 1 << 20 {
                chunks.append(buffer)
                buffer = ByteBuffer()
            }
        }
        chunks.append(buffer)
        let columns = ["source_id", "dim_code", "cat_code", "year", "fire_type_code", "building_type_code", "region_code",
                       "building_age_code", "value", "value_kr", "ingested_at"]
        let clock = ContinuousClock()
        let start = clock.now
        try await db.execute("SET search_path = facts, registry, ingest")
        try await db.connection.copyFrom(table: table, columns: columns, logger: BenchDatabase.logger) { writer in
            for chunk in chunks { try await writer.write(chunk) }
        }
        return clock.now - start
    }
}
