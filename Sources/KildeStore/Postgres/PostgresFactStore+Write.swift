import KildeCore
import PostgresNIO

extension PostgresFactStore {
    /// The key columns and one metric, in the order both write methods send them.
    static func columns(_ metric: Metric, table: FactTable) -> [String] {
        ["source_id", "dim_code", "cat_code", table.periodColumn] + FilterAxis.allCases.map(\.column) + [metric.rawValue]
    }

    /// The guarded upsert of SPEC §4 from `source` (rows of ``columns(_:)``): a conflicting row is updated only
    /// when its metric really differs, and only that metric (and `ingested_at`) is set, so a value-only pass
    /// never clears `value_kr` and the reverse.
    static func upsertSQL(metric: Metric, table: FactTable, from source: String, at placeholder: String) -> String {
        let m = metric.rawValue
        let cols = columns(metric, table: table).joined(separator: ", ")
        return """
            INSERT INTO facts.\(table.rawValue) AS f (\(cols), ingested_at)
            SELECT \(cols), \(placeholder)::timestamptz FROM \(source)
            ON CONFLICT (\(PostgresSchema.naturalKey(period: table.periodColumn)))
            DO UPDATE SET \(m) = excluded.\(m), ingested_at = excluded.ingested_at
            WHERE f.\(m) IS DISTINCT FROM excluded.\(m)
            """
    }

    func upsert(_ rows: [Fact], metric: Metric, table: FactTable, at: String, in db: any SQLDatabase) async throws {
        guard let db = db as? PostgresExecutor else { throw StoreError(.other, "a PostgreSQL write needs a PostgreSQL transaction") }
        for f in rows { _ = try FactSQL.period(f.key, table: table) }
        switch configuration.writeMethod {
        case .copy: try await upsertByCopy(rows, metric: metric, table: table, at: at, db: db)
        case .unnest: try await upsertByUnnest(rows, metric: metric, table: table, at: at, db: db)
        }
    }

    /// `COPY` into a per-connection temporary table emptied at commit, then one guarded `INSERT … SELECT`.
    func upsertByCopy(_ rows: [Fact], metric: Metric, table: FactTable, at: String, db: PostgresExecutor) async throws {
        let stage = "kilde_stage_\(table.periodColumn)_\(metric.rawValue)"
        let cols = Self.columns(metric, table: table)
        try await db.execute("""
            CREATE TEMPORARY TABLE IF NOT EXISTS \(stage) (\(cols.dropLast().map { "\($0) \($0 == "date" ? "date" : "bigint")" }.joined(separator: ", ")),
              \(metric.rawValue) double precision) ON COMMIT DELETE ROWS
            """)
        try await db.copy(into: stage, columns: cols, chunks: CopyText.chunks(rows, metric: metric))
        try await db.execute(Self.upsertSQL(metric: metric, table: table, from: stage, at: "?"), [.text(at)])
    }

    /// One statement per 100,000 rows, each column bound as one array (NULLs included); dates travel as text.
    func upsertByUnnest(_ rows: [Fact], metric: Metric, table: FactTable, at: String, db: PostgresExecutor) async throws {
        let cols = Self.columns(metric, table: table)
        let types = cols.map { c in c == metric.rawValue ? "float8[]" : c == "date" ? "text[]::date[]" : "bigint[]" }
        let source = "unnest(" + types.enumerated().map { "$\($0 + 1)::\($1)" }.joined(separator: ", ") + ") AS u(\(cols.joined(separator: ", ")))"
        let sql = Self.upsertSQL(metric: metric, table: table, from: source, at: "$\(cols.count + 1)")
        for start in stride(from: 0, to: rows.count, by: 100_000) {
            let batch = rows[start..<min(start + 100_000, rows.count)]
            var binds = PostgresBindings(capacity: cols.count + 1)
            binds.append(NullableArray.ints(batch.map(\.key.sourceID)))
            binds.append(NullableArray.ints(batch.map(\.key.dimCode)))
            binds.append(NullableArray.ints(batch.map(\.key.catCode)))
            if table == .daily {
                binds.append(batch.map(\.key.period.description))
            } else {
                binds.append(NullableArray.ints(batch.map(\.key.period.year)))
            }
            for axis in FilterAxis.allCases { binds.append(NullableArray.ints(batch.map { $0.key.filter(axis) })) }
            binds.append(NullableArray.doubles(batch.map { $0.metric(metric) }))
            binds.append(UntypedText(text: at))
            _ = try await db.rows(PostgresQuery(unsafeSQL: sql, binds: binds))
        }
    }
}

/// Facts as `COPY … FROM STDIN` text: tab-separated, `\N` for NULL, one line per row.
enum CopyText {
    /// Rows split into buffers of about 1 MiB, so a large slice streams instead of building one huge buffer.
    static func chunks(_ rows: [Fact], metric: Metric) -> [ByteBuffer] {
        var out: [ByteBuffer] = []
        var buffer = ByteBuffer()
        buffer.reserveCapacity(1 << 20)
        for f in rows {
            let k = f.key
            // A period is written as its table keeps it: `2024` or `2024-03-01`.
            buffer.writeString("\(k.sourceID)\t\(k.dimCode)\t\(k.catCode)\t\(k.period)")
            for axis in FilterAxis.allCases { buffer.writeString(k.filter(axis).map { "\t\($0)" } ?? "\t\\N") }
            buffer.writeString(f.metric(metric).map { "\t\(number($0))\n" } ?? "\t\\N\n")
            if buffer.readableBytes >= 1 << 20 {
                out.append(buffer)
                buffer = ByteBuffer()
                buffer.reserveCapacity(1 << 20)
            }
        }
        if buffer.readableBytes > 0 { out.append(buffer) }
        return out
    }

    /// Shortest round-trip decimal; non-finite values spelled as PostgreSQL reads them (the table's CHECK rejects them).
    static func number(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v < 0 ? "-Infinity" : "Infinity" }
        return "\(v)"
    }
}
