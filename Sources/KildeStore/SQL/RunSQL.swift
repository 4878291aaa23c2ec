import KildeCore

/// Statements on `ingest_runs` shared by both stores.
enum RunSQL {
    /// Every column of `RunRecord`, in a form both stores return as text or numbers.
    static let columns = "id, source_key, dataset, slice_config, slice_hash, status, owner, started_at, finished_at, slices_total, slices_done, rows_added, rows_updated, rows_skipped_identical, rows_deleted, rows_upserted, api_total, transformed_row_count, per_slice_metrics, phase_detail, error_message, year_first, year_last"

    static func progress(status: RunStatus?) -> String {
        """
        UPDATE ingest_runs SET slices_done=?, rows_added=?, rows_updated=?, rows_skipped_identical=?, rows_deleted=?, rows_upserted=?,
          api_total=?, transformed_row_count=?, per_slice_metrics=?, phase_detail=coalesce(?, phase_detail), heartbeat_at=?
          \(status == nil ? "" : ", status=?, error_message=?, finished_at=?")
        WHERE id=?
        """
    }

    static func progressBinds(_ p: RunProgress, status: RunStatus?, error: String?, id: Int64) -> [SQLValue] {
        var b: [SQLValue] = [.int(p.slicesDone), .int(p.counters.added), .int(p.counters.updated), .int(p.counters.skippedIdentical),
                             .int(p.counters.deleted), .int(p.counters.upserted), .optional(p.apiTotal), .optional(p.transformedRowCount),
                             .optional(p.perSliceMetrics), .optional(p.phaseDetail), .text(p.at)]
        // finished_at gets its own bind: in an UPDATE, `finished_at=heartbeat_at` would read the old heartbeat.
        if let status { b += [.text(status.rawValue), .optional(error), .text(p.at)] }
        b.append(.int(Int(id)))
        return b
    }

    static func record(_ r: SQLRow) -> RunRecord {
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
