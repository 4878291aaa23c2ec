import KildeCore

/// One slice's last recording in `source_totals`: the rows written together with its grand total (year 0).
struct RecordedTotals {
    var sliceKey: String
    var sourceID: Int
    var sourceKey: String
    var dataset: String
    var runID: Int64?
    var seenAt: String
    var totals = SliceTotals()
}

extension SQLDatabase {
    /// Per slice in `scope`, the totals of its last recording. Every recording writes the grand total (year 0) and
    /// its years with one `seen_at` and `run_id`; a year the upstream stopped reporting keeps an older row, which
    /// belongs to an earlier recording and so is left out.
    func lastRecordedTotals(_ scope: ReconcileScope) async throws -> [RecordedTotals] {
        var b = SQLBuilder(dialect)
        var conds = ["t.seen_at = g.seen_at", "t.run_id IS NOT DISTINCT FROM g.run_id"]
        if let s = scope.sourceID { conds.append("t.source_id = \(b.bind(.int(s)))") }
        if let d = scope.dataset { conds.append("t.dataset = \(b.bind(.text(d)))") }
        b.append("""
            SELECT t.slice_key, t.year, t.source_id, s.key AS source_key, t.dataset, t.total, t.seen_at, t.run_id
            FROM source_totals t JOIN source_totals g ON g.slice_key = t.slice_key AND g.year = 0
            LEFT JOIN sources s ON s.source_id = t.source_id
            WHERE \(conds.joined(separator: " AND ")) ORDER BY t.slice_key, t.year
            """)
        var out: [RecordedTotals] = []
        for row in try await execute(b) {
            guard let key = row.string("slice_key"), let year = row.int("year"), let source = row.int("source_id"),
                  let dataset = row.string("dataset") else { continue }
            if out.last?.sliceKey != key {
                out.append(RecordedTotals(sliceKey: key, sourceID: source, sourceKey: row.string("source_key") ?? String(source), dataset: dataset,
                                          runID: row.int("run_id").map(Int64.init), seenAt: row.string("seen_at") ?? ""))
            }
            let total = row.double("total") ?? 0
            if year == 0 { out[out.count - 1].totals.total = total } else { out[out.count - 1].totals.byYear[year] = total }
        }
        return out
    }

    /// The slice a state key names: the key is the slice's canonical JSON, or (for a long one) its digest, whose
    /// text the recording run's `slice_config` keeps.
    func slice(stateKey: String, runID: Int64?) async throws -> Slice? {
        if let slice = Slice(canonicalJSON: stateKey) { return slice }
        guard let runID else { return nil }
        let rows = try await execute("SELECT slice_config FROM ingest_runs WHERE id = ?", [.int(Int(runID))])
        guard let config = rows.first?.string("slice_config") else { return nil }
        return Slice.slices(runConfig: config).first { $0.stateKey == stateKey }
    }

    /// Each slice in `scope` with recorded upstream totals beside the stored atoms of its keys.
    func reconcile(_ scope: ReconcileScope) async throws -> ReconcileReport {
        var checks: [SliceCheck] = []
        var unreadable: [String] = []
        for r in try await lastRecordedTotals(scope) {
            guard let slice = try await self.slice(stateKey: r.sliceKey, runID: r.runID) else {
                unreadable.append(r.sliceKey)
                continue
            }
            // The slice's own key set: an axis the slice leaves NULL matches only NULL, so the NULL-as-ALL total of
            // an axis and the atoms below it are never summed together.
            let (stored, _) = try await sliceSums(SliceKeySet(slice: slice, sourceID: r.sourceID), metric: slice.metric)
            checks.append(SliceCheck(sourceKey: r.sourceKey, dataset: r.dataset, slice: slice, sliceKey: r.sliceKey, runID: r.runID,
                                     seenAt: r.seenAt, upstream: r.totals, stored: stored))
        }
        return ReconcileReport(checks: checks, unreadableSlices: unreadable)
    }
}
