import KildeCore

/// What a mart build changes in the served mart, counted on the staging tables before they are swapped in.
struct MartChanges: Sendable, Hashable {
    /// `kommune_indicators` keys (indicator, kommune, year) the build adds, changes, removes or leaves as they are.
    var added = 0
    var updated = 0
    var deleted = 0
    var unchanged = 0
    /// Rows of `kommune_dim` or `kommune_unmatched` that differ (either way) between the served and the staged mart.
    var otherRows = 0

    /// Whether the swap changes any served row.
    var changesServedData: Bool { added + updated + deleted + otherRows > 0 }

    var counters: RowCounters { RowCounters(added: added, updated: updated, skippedIdentical: unchanged, deleted: deleted) }
}

extension SQLDatabase {
    /// The difference between the staging tables and the served mart, inside the build's transaction before the swap.
    /// The staging mart has passed its data tests, so each of its keys is in one row.
    func martChanges() async throws -> MartChanges {
        // EXCEPT throughout: it sorts or hashes once, where a NOT EXISTS per row would scan the unindexed staging table.
        let key = "indicator, kommune_nr, year"
        let dim = "structure, kommune_nr, kommune_name, fylke_nr, fylke_name, population, lat, lon, seed_version"
        func differing(_ columns: String, _ a: String, _ b: String) -> String {
            "(SELECT count(*) FROM (SELECT \(columns) FROM \(a) EXCEPT SELECT \(columns) FROM \(b)) x)"
        }
        // A first build (nothing served) adds every staged key; the data tests passed, so each is in one row.
        let served = try await execute("""
            SELECT CASE WHEN EXISTS (SELECT 1 FROM kommune_indicators) OR EXISTS (SELECT 1 FROM kommune_dim)
              OR EXISTS (SELECT 1 FROM kommune_unmatched) THEN 1 ELSE 0 END AS served
            """).first?.int("served") ?? 1
        if served == 0 {
            let r = try await execute("""
                SELECT (SELECT count(*) FROM kommune_indicators_staging) AS staged,
                  (SELECT count(*) FROM (SELECT DISTINCT \(dim) FROM kommune_dim_staging) x)
                    + (SELECT count(*) FROM (SELECT DISTINCT \(Self.unmatchedColumns) FROM kommune_unmatched_staging) x) AS other
                """).first
            return MartChanges(added: r?.int("staged") ?? 0, otherRows: r?.int("other") ?? 0)
        }
        guard let r = try await execute("""
            SELECT \(differing(key, "kommune_indicators_staging", "kommune_indicators")) AS added,
              \(differing(key, "kommune_indicators", "kommune_indicators_staging")) AS deleted,
              \(differing(Self.martColumns, "kommune_indicators_staging", "kommune_indicators")) AS differing,
              (SELECT count(*) FROM kommune_indicators_staging) AS staged,
              \(differing(dim, "kommune_dim_staging", "kommune_dim")) + \(differing(dim, "kommune_dim", "kommune_dim_staging"))
                + \(differing(Self.unmatchedColumns, "kommune_unmatched_staging", "kommune_unmatched"))
                + \(differing(Self.unmatchedColumns, "kommune_unmatched", "kommune_unmatched_staging")) AS other
            """).first else { throw StoreError(.other, "the mart's changes could not be counted") }
        let added = r.int("added") ?? 0
        // A staged row that differs from every served row is a new key or a changed one.
        let updated = max(0, (r.int("differing") ?? 0) - added)
        return MartChanges(added: added, updated: updated, deleted: r.int("deleted") ?? 0,
                           unchanged: max(0, (r.int("staged") ?? 0) - added - updated), otherRows: r.int("other") ?? 0)
    }
}
