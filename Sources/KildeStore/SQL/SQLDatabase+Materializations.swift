import Foundation
import KildeCore

extension SQLDatabase {
    /// Records the materialisation of the catalogue dataset run `runID` ingested, inside the transaction that
    /// finishes the run `complete` (after its counters are written). A run of anything else records nothing.
    func recordDatasetMaterialization(runID: Int64, finishedAt: String) async throws {
        guard let run = try await execute("""
            SELECT dataset, started_at, rows_added, rows_updated, rows_deleted, rows_skipped_identical FROM ingest_runs WHERE id = ?
            """, [.int(Int(runID))]).first, let key = run.string("dataset"),
            let dataset = try await execute("SELECT source_id, dim_code, grain FROM datasets WHERE key = ?", [.text(key)]).first,
            let sourceID = dataset.int("source_id"), let dimCode = dataset.int("dim_code")
        else { return }
        let subyear = (dataset.string("grain") ?? TimeGrain.year.rawValue) != TimeGrain.year.rawValue
        let record = Materialization(
            id: 0, asset: key, runID: runID, materializedAt: finishedAt, durationMs: Self.milliseconds(from: run.string("started_at"), to: finishedAt),
            rowsAdded: run.int("rows_added") ?? 0, rowsUpdated: run.int("rows_updated") ?? 0, rowsDeleted: run.int("rows_deleted") ?? 0,
            rowsUnchanged: run.int("rows_skipped_identical") ?? 0, rowsTotal: try await datasetRowCount(sourceID: sourceID, dimCode: dimCode),
            latestPeriod: try await latestPeriod(sourceID: sourceID, dimCode: dimCode, subyear: subyear),
            dataVersion: try await datasetVersion(sourceID: sourceID, dimCode: dimCode), status: .complete)
        try await execute(MaterializationSQL.insert, MaterializationSQL.binds(record))
    }

    /// Records a mart build inside its transaction, after the swap (or the refusal) and the run's finish.
    /// - Parameters:
    ///   - config: the build's `slice_config` (seed and inputs), part of a new data version.
    ///   - changes: what the swap changed; `nil` when a data test refused it (status `error`, the served mart's
    ///     version kept).
    func recordMartMaterialization(runID: Int64, startedAt: String, finishedAt: String, seedVersion: String, config: String,
                                   changes: MartChanges?) async throws {
        let asset = KommuneIndicatorMart.asset
        let previous = try await execute("SELECT data_version FROM materializations WHERE asset = ? ORDER BY id DESC LIMIT 1", [.text(asset)])
            .first?.string("data_version")
        let version: String
        if let changes, changes.changesServedData || previous == nil {
            var inputs: [(dataset: String, version: String)] = []
            for d in try await execute("SELECT DISTINCT d.key, d.source_id, d.dim_code FROM indicators i JOIN datasets d ON d.key = i.dataset ORDER BY d.key") {
                guard let key = d.string("key"), let source = d.int("source_id"), let dim = d.int("dim_code") else { continue }
                inputs.append((key, try await datasetVersion(sourceID: source, dimCode: dim)))
            }
            version = DataVersion.mart(previous: previous, seedVersion: seedVersion, config: config, inputs: inputs)
        } else {
            version = previous ?? DataVersion.none
        }
        let served = try await execute("SELECT count(*) AS n, CAST(max(year) AS TEXT) AS latest FROM kommune_indicators").first
        let c = changes?.counters ?? RowCounters()
        let record = Materialization(
            id: 0, asset: asset, runID: runID, materializedAt: finishedAt, durationMs: Self.milliseconds(from: startedAt, to: finishedAt),
            rowsAdded: c.added, rowsUpdated: c.updated, rowsDeleted: c.deleted, rowsUnchanged: c.skippedIdentical,
            rowsTotal: served?.int("n") ?? 0, latestPeriod: served?.string("latest"), dataVersion: version,
            status: changes == nil ? .error : .complete)
        try await execute(MaterializationSQL.insert, MaterializationSQL.binds(record))
    }

    /// A dataset's data version (see ``DataVersion``): from every run of a dataset of its source and dimension that
    /// changed rows.
    func datasetVersion(sourceID: Int, dimCode: Int) async throws -> String {
        let writes = try await execute("""
            SELECT r.id, r.rows_added, r.rows_updated, r.rows_deleted FROM ingest_runs r
            WHERE r.dataset IN (SELECT d.key FROM datasets d WHERE d.source_id = ? AND d.dim_code = ?)
              AND r.rows_added + r.rows_updated + r.rows_deleted > 0
            ORDER BY r.id
            """, [.int(sourceID), .int(dimCode)]).compactMap { r -> DataVersion.Write? in
            guard let id = r.int("id") else { return nil }
            return DataVersion.Write(runID: Int64(id), added: r.int("rows_added") ?? 0, updated: r.int("rows_updated") ?? 0, deleted: r.int("rows_deleted") ?? 0)
        }
        return DataVersion.dataset(writes: writes)
    }

    /// The atoms a dataset holds: its source and dimension's rows in `fact_yearly` and `fact_daily` (as
    /// ``AssetStatus/rows`` counts them).
    func datasetRowCount(sourceID: Int, dimCode: Int) async throws -> Int {
        try await execute("""
            SELECT (SELECT count(*) FROM fact_yearly WHERE source_id = ? AND dim_code = ?)
              + (SELECT count(*) FROM fact_daily WHERE source_id = ? AND dim_code = ?) AS n
            """, [.int(sourceID), .int(dimCode), .int(sourceID), .int(dimCode)]).first?.int("n") ?? 0
    }

    /// The most recent records of `asset`, newest first.
    func materializations(asset: String, limit: Int) async throws -> [Materialization] {
        try await execute("SELECT \(MaterializationSQL.columns) FROM materializations WHERE asset = ? ORDER BY id DESC LIMIT ?",
                          [.text(asset), .int(limit)]).map(MaterializationSQL.record)
    }

    /// The latest record of every asset that has one, by asset.
    func latestMaterializations() async throws -> [String: Materialization] {
        let rows = try await execute("""
            SELECT \(MaterializationSQL.columns) FROM materializations WHERE id IN (SELECT max(id) FROM materializations GROUP BY asset)
            """)
        return Dictionary(rows.map(MaterializationSQL.record).map { ($0.asset, $0) }, uniquingKeysWith: { a, b in a.id > b.id ? a : b })
    }

    /// Whole milliseconds from `start` to `end` (stored timestamps); 0 when either cannot be read.
    static func milliseconds(from start: String?, to end: String) -> Int {
        guard let s = start.flatMap(Timestamp.date), let e = Timestamp.date(end) else { return 0 }
        return max(0, Int((e.timeIntervalSince(s) * 1000).rounded()))
    }
}
