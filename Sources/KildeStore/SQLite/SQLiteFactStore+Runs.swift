import KildeCore
import SQLiteNIO

extension SQLiteFactStore {
    public func startRun(_ r: RunRequest) async throws -> Int64 {
        for attempt in 0..<2 {
            do {
                let rows = try await execute("""
                    INSERT INTO ingest_runs (source_key, dataset, slice_config, status, owner, started_at, heartbeat_at, slices_total, year_first, year_last)
                    VALUES (?,?,?,?,?,?,?,?,?,?) RETURNING id
                    """, [.text(r.sourceKey), .text(r.dataset), .text(r.sliceConfig), .text(r.status.rawValue), .text(r.owner),
                          .text(r.startedAt), .text(r.startedAt), .int(r.slicesTotal), .optional(r.years?.first), .optional(r.years?.last)])
                guard let id = rows.first?.int("id") else { throw StoreError(.other, "insert into ingest_runs returned no id") }
                return Int64(id)
            } catch let e as StoreError where e.code == .constraint {
                // The partial unique index refused: name the active run, or retire it if its process is gone.
                let active = try await execute("""
                    SELECT id, owner FROM ingest_runs WHERE slice_hash = kilde_slice_hash(?) AND status IN ('queued','running')
                    """, [.text(r.sliceConfig)])
                guard let row = active.first, let id = row.int("id") else { throw e }
                if attempt == 0, RunOwner.isAbandoned(row.string("owner")) {
                    try await execute("""
                        UPDATE ingest_runs SET status='error', finished_at=?, error_message=? WHERE id=?
                        """, [.text(Timestamp.now()), .text("abandoned: process \(row.string("owner") ?? "?") ended before the run finished"), .int(id)])
                    continue
                }
                throw StoreError(.activeRun(Int64(id)), "run \(id) is already ingesting this slice (owner \(row.string("owner") ?? "unknown")); wait for it or check `kilde run \(id)`")
            }
        }
        throw StoreError(.other, "could not start run")
    }

    public func updateRun(id: Int64, progress p: RunProgress) async throws {
        try await execute(Self.progressSQL(status: nil), Self.progressBinds(p, status: nil, error: nil, id: id))
    }

    public func finishRun(id: Int64, status: RunStatus, progress p: RunProgress, error: String?) async throws {
        try await execute(Self.progressSQL(status: status), Self.progressBinds(p, status: status, error: error, id: id))
    }

    static func progressSQL(status: RunStatus?) -> String {
        """
        UPDATE ingest_runs SET slices_done=?, rows_added=?, rows_updated=?, rows_skipped_identical=?, rows_deleted=?, rows_upserted=?,
          api_total=?, transformed_row_count=?, per_slice_metrics=?, phase_detail=coalesce(?, phase_detail), heartbeat_at=?
          \(status == nil ? "" : ", status=?, error_message=?, finished_at=heartbeat_at")
        WHERE id=?
        """
    }

    static func progressBinds(_ p: RunProgress, status: RunStatus?, error: String?, id: Int64) -> [SQLValue] {
        var b: [SQLValue] = [.int(p.slicesDone), .int(p.counters.added), .int(p.counters.updated), .int(p.counters.skippedIdentical),
                             .int(p.counters.deleted), .int(p.counters.upserted), .optional(p.apiTotal), .optional(p.transformedRowCount),
                             .optional(p.perSliceMetrics), .optional(p.phaseDetail), .text(p.at)]
        if let status { b += [.text(status.rawValue), .optional(error)] }
        b.append(.int(Int(id)))
        return b
    }

    public func runs(limit: Int) async throws -> [RunRecord] {
        try await execute("SELECT * FROM ingest_runs ORDER BY id DESC LIMIT ?", [.int(limit)]).map(Self.runRecord)
    }

    public func run(id: Int64) async throws -> RunRecord? {
        try await execute("SELECT * FROM ingest_runs WHERE id = ?", [.int(Int(id))]).first.map(Self.runRecord)
    }

    static func runRecord(_ r: SQLiteRow) -> RunRecord {
        RunRecord(
            id: Int64(r.int("id") ?? 0), sourceKey: r.string("source_key") ?? "", dataset: r.string("dataset") ?? "",
            sliceConfig: r.string("slice_config") ?? "", sliceHash: r.string("slice_hash") ?? "",
            status: RunStatus(rawValue: r.string("status") ?? "") ?? .error, owner: r.string("owner"),
            startedAt: r.string("started_at"), finishedAt: r.string("finished_at"),
            slicesTotal: r.int("slices_total") ?? 0, slicesDone: r.int("slices_done") ?? 0,
            rowsAdded: r.int("rows_added") ?? 0, rowsUpdated: r.int("rows_updated") ?? 0,
            rowsSkippedIdentical: r.int("rows_skipped_identical") ?? 0, rowsDeleted: r.int("rows_deleted") ?? 0,
            rowsUpserted: r.int("rows_upserted") ?? 0, apiTotal: r.double("api_total"),
            transformedRowCount: r.int("transformed_row_count"), perSliceMetrics: r.string("per_slice_metrics"),
            phaseDetail: r.string("phase_detail"), errorMessage: r.string("error_message"),
            yearFirst: r.int("year_first"), yearLast: r.int("year_last"))
    }
}
