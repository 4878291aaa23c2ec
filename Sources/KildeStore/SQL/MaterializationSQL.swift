import KildeCore

/// The `materializations` table and the statements on it shared by both stores.
enum MaterializationSQL {
    /// The table and its index, in a store's spelling of the column types; `runs` names `ingest_runs` as the store
    /// qualifies it.
    static func schema(id: String, integer: String, text: String, timestamp: String, runs: String) -> [String] {
        [
            """
            CREATE TABLE materializations (
              id \(id), asset \(text) NOT NULL, run_id \(integer) NOT NULL UNIQUE REFERENCES \(runs) (id),
              materialized_at \(timestamp) NOT NULL, duration_ms \(integer) NOT NULL CHECK (duration_ms >= 0),
              rows_added \(integer) NOT NULL, rows_updated \(integer) NOT NULL, rows_deleted \(integer) NOT NULL,
              rows_unchanged \(integer) NOT NULL, rows_total \(integer) NOT NULL, latest_period \(text),
              data_version \(text) NOT NULL, status \(text) NOT NULL CHECK (status IN ('complete','error')))
            """,
            // An asset's records, newest first; the latest record of every asset.
            "CREATE INDEX materializations_asset ON materializations (asset, id)",
        ]
    }

    /// Every column of ``Materialization``.
    static let columns = "id, asset, run_id, materialized_at, duration_ms, rows_added, rows_updated, rows_deleted, rows_unchanged, rows_total, latest_period, data_version, status"

    /// Inserts a record (every column but `id`). A run has one record: a second insert for it does nothing.
    static let insert = """
        INSERT INTO materializations (asset, run_id, materialized_at, duration_ms, rows_added, rows_updated, rows_deleted, rows_unchanged,
          rows_total, latest_period, data_version, status)
        VALUES (?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (run_id) DO NOTHING
        """

    static func binds(_ m: Materialization) -> [SQLValue] {
        [.text(m.asset), .int(Int(m.runID)), .text(m.materializedAt), .int(m.durationMs), .int(m.rowsAdded), .int(m.rowsUpdated),
         .int(m.rowsDeleted), .int(m.rowsUnchanged), .int(m.rowsTotal), .optional(m.latestPeriod), .text(m.dataVersion), .text(m.status.rawValue)]
    }

    static func record(_ r: SQLRow) -> Materialization {
        Materialization(id: Int64(r.int("id") ?? 0), asset: r.string("asset") ?? "", runID: Int64(r.int("run_id") ?? 0),
                        materializedAt: r.string("materialized_at") ?? "", durationMs: r.int("duration_ms") ?? 0,
                        rowsAdded: r.int("rows_added") ?? 0, rowsUpdated: r.int("rows_updated") ?? 0, rowsDeleted: r.int("rows_deleted") ?? 0,
                        rowsUnchanged: r.int("rows_unchanged") ?? 0, rowsTotal: r.int("rows_total") ?? 0, latestPeriod: r.string("latest_period"),
                        dataVersion: r.string("data_version") ?? "", status: Materialization.Status(rawValue: r.string("status") ?? "") ?? .error)
    }
}
