import KildeStore

extension API {
    /// One materialisation record (`/v1/assets/{key}/materializations`, and an asset's `lastMaterialization`).
    struct Materialization: Codable, CSVRow {
        var id: Int64
        var asset: String
        var runId: Int64
        var materializedAt: String
        var durationMs: Int
        var rowsAdded: Int
        var rowsUpdated: Int
        var rowsDeleted: Int
        var rowsUnchanged: Int
        var rowsTotal: Int
        var latestPeriod: String?
        var dataVersion: String
        var status: String

        init(_ m: KildeStore.Materialization) {
            id = m.id
            asset = m.asset
            runId = m.runID
            materializedAt = m.materializedAt
            durationMs = m.durationMs
            rowsAdded = m.rowsAdded
            rowsUpdated = m.rowsUpdated
            rowsDeleted = m.rowsDeleted
            rowsUnchanged = m.rowsUnchanged
            rowsTotal = m.rowsTotal
            latestPeriod = m.latestPeriod
            dataVersion = m.dataVersion
            status = m.status.rawValue
        }

        static let csvHeader = ["id", "asset", "run_id", "materialized_at", "duration_ms", "rows_added", "rows_updated", "rows_deleted",
                                "rows_unchanged", "rows_total", "latest_period", "data_version", "status"]
        var csvFields: [String] {
            [String(id), asset, String(runId), materializedAt, String(durationMs), String(rowsAdded), String(rowsUpdated), String(rowsDeleted),
             String(rowsUnchanged), String(rowsTotal), latestPeriod ?? "", dataVersion, status]
        }
    }
}
