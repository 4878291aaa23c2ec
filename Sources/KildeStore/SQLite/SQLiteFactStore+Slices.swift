import KildeCore
import SQLiteNIO

extension SQLiteFactStore {
    static let factTable = "fact_yearly"

    public func probe(_ p: SliceProbe) async throws -> ProbeResult {
        noteRoundTrip()
        return try await transaction {
            try await insertArtifacts(p.artifacts, ref: p.ref)
            let (stored, count) = try await storedTotals(p.keys, metric: p.metric)
            let unchanged = ChangeGate.decide(upstream: p.upstream, stored: stored) == .skip && count > 0
            if unchanged {
                try await markState(p.ref, status: "unchanged", rowCount: p.transformedRowCount, total: p.upstream.total, error: nil, at: p.fetchedAt)
                try await recordTotals(p.ref, p.upstream, at: p.fetchedAt)
            }
            return ProbeResult(stored: stored, rowCount: count, markedUnchanged: unchanged)
        }
    }

    func storedTotals(_ keys: SliceKeySet, metric: Metric) async throws -> (SliceTotals, Int) {
        var b = SQLBuilder(.sqlite)
        let year = b.yearExpression(table: Self.factTable)
        let cond = b.keySet(keys, table: Self.factTable)
        b.append("SELECT \(year) AS y, sum(\(metric.rawValue)) AS s, count(*) AS n FROM \(Self.factTable) WHERE \(cond) GROUP BY \(year)")
        var totals = SliceTotals()
        var count = 0
        for row in try await execute(b) {
            guard let y = row.int("y") else { continue }
            let s = row.double("s") ?? 0
            totals.byYear[y] = s
            totals.total += s
            count += row.int("n") ?? 0
        }
        return (totals, count)
    }

    public func existingFacts(_ keys: SliceKeySet, years: Set<Int>?) async throws -> [FactKey: StoredMetrics] {
        noteRoundTrip()
        var b = SQLBuilder(.sqlite)
        var cond = b.keySet(keys, table: Self.factTable)
        if let years { cond += " AND " + b.inList(b.yearExpression(table: Self.factTable), years.sorted()) }
        b.append("SELECT * FROM \(Self.factTable) WHERE \(cond)")
        var out: [FactKey: StoredMetrics] = [:]
        for row in try await execute(b) {
            guard let s = row.int("source_id"), let d = row.int("dim_code"), let c = row.int("cat_code"), let y = row.int("year") else { continue }
            let key = FactKey(sourceID: s, dimCode: d, catCode: c, period: .year(y), fireType: row.int("fire_type_code"),
                              buildingType: row.int("building_type_code"), region: row.int("region_code"), buildingAge: row.int("building_age_code"))
            out[key] = StoredMetrics(value: row.double("value"), valueKr: row.double("value_kr"))
        }
        return out
    }

    public func commitSlice(_ c: SliceCommit) async throws {
        noteRoundTrip()
        try await transaction {
            let now = c.fetchedAt
            for batch in stride(from: 0, to: c.upserts.count, by: 400) {
                try await upsert(Array(c.upserts[batch..<min(batch + 400, c.upserts.count)]), metric: c.metric, at: now)
            }
            for key in c.deletes {
                let (cond, binds) = Self.naturalKeyCondition(key)
                try await execute("DELETE FROM \(Self.factTable) WHERE \(cond)", binds)
            }
            for key in c.clears {
                let (cond, binds) = Self.naturalKeyCondition(key)
                try await execute("UPDATE \(Self.factTable) SET \(c.metric.rawValue) = NULL, ingested_at = ? WHERE \(cond)", [.text(now)] + binds)
            }
            try await markState(c.ref, status: "success", rowCount: c.transformedRowCount, total: c.upstream.total, error: nil, at: now)
            try await recordTotals(c.ref, c.upstream, at: now)
        }
        noteRowsWritten(c.upserts.count + c.deletes.count + c.clears.count)
    }

    public func recordFailure(_ f: SliceFailure) async throws {
        noteRoundTrip()
        try await transaction {
            try await insertArtifacts(f.artifacts, ref: f.ref)
            try await markState(f.ref, status: "failed", rowCount: nil, total: nil, error: f.error, at: f.fetchedAt)
        }
    }

    /// Multi-row upsert guarded so unchanged rows are not rewritten; only `metric` is set, the other stays.
    func upsert(_ rows: [Fact], metric: Metric, at: String) async throws {
        guard !rows.isEmpty else { return }
        let m = metric.rawValue
        var binds: [SQLValue] = []
        binds.reserveCapacity(rows.count * 10)
        for f in rows {
            guard case .year(let y) = f.key.period else { throw StoreError(.constraint, "a daily fact was sent to fact_yearly") }
            binds += [.int(f.key.sourceID), .int(f.key.dimCode), .int(f.key.catCode), .int(y), .optional(f.key.fireType),
                      .optional(f.key.buildingType), .optional(f.key.region), .optional(f.key.buildingAge), .optional(f.metric(metric)), .text(at)]
        }
        let values = Array(repeating: "(?,?,?,?,?,?,?,?,?,?)", count: rows.count).joined(separator: ",")
        try await execute("""
            INSERT INTO \(Self.factTable) (source_id, dim_code, cat_code, year, fire_type_code, building_type_code, region_code, building_age_code, \(m), ingested_at)
            VALUES \(values)
            ON CONFLICT \(SQLiteSchema.conflictTarget(Self.factTable)) DO UPDATE SET \(m) = excluded.\(m), ingested_at = excluded.ingested_at
            WHERE \(Self.factTable).\(m) IS NOT excluded.\(m)
            """, binds)
    }

    static func naturalKeyCondition(_ k: FactKey) -> (String, [SQLValue]) {
        let cond = "source_id = ? AND dim_code = ? AND cat_code = ? AND year = ? AND coalesce(fire_type_code, -1) = coalesce(?, -1) AND coalesce(building_type_code, -1) = coalesce(?, -1) AND coalesce(region_code, -1) = coalesce(?, -1) AND coalesce(building_age_code, -1) = coalesce(?, -1)"
        return (cond, [.int(k.sourceID), .int(k.dimCode), .int(k.catCode), .int(k.period.year), .optional(k.fireType),
                       .optional(k.buildingType), .optional(k.region), .optional(k.buildingAge)])
    }

    func insertArtifacts(_ artifacts: [RawArtifact], ref: SliceRef) async throws {
        for a in artifacts {
            try await execute("""
                INSERT INTO raw_artifacts (key, source_id, dataset, slice_key, url, method, content_type, bytes, sha256, fetched_at, run_id)
                VALUES (?,?,?,?,?,?,?,?,?,?,?)
                """, [.text(a.key), .int(ref.sourceID), .text(ref.dataset), .text(ref.slice.stateKey), .text(a.url), .text(a.method),
                      .optional(a.contentType), .int(a.bytes), .text(a.sha256), .text(a.fetchedAt), .optional(ref.runID.map(Int.init))])
        }
    }

    func markState(_ ref: SliceRef, status: String, rowCount: Int?, total: Double?, error: String?, at: String) async throws {
        try await execute("""
            INSERT INTO extraction_state (slice_key, source_id, dataset, dim_code, metric, period_start, period_end, last_fetched_at, status,
              last_row_count, last_total_value, error_message, last_run_id)
            VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)
            ON CONFLICT (slice_key) DO UPDATE SET last_fetched_at=excluded.last_fetched_at, status=excluded.status,
              last_row_count=coalesce(excluded.last_row_count, extraction_state.last_row_count),
              last_total_value=coalesce(excluded.last_total_value, extraction_state.last_total_value),
              error_message=excluded.error_message, last_run_id=excluded.last_run_id
            """, [.text(ref.slice.stateKey), .int(ref.sourceID), .text(ref.dataset), .int(ref.slice.dimCode), .text(ref.slice.metric.rawValue),
                  .optional(ref.slice.years?.first), .optional(ref.slice.years?.last), .text(at), .text(status), .optional(rowCount),
                  .optional(total), .optional(error), .optional(ref.runID.map(Int.init))])
    }

    /// Upstream totals per slice: year 0 holds the grand total.
    func recordTotals(_ ref: SliceRef, _ totals: SliceTotals, at: String) async throws {
        for (year, total) in [(0, totals.total)] + totals.byYear.sorted(by: { $0.key < $1.key }) {
            try await execute("""
                INSERT INTO source_totals (slice_key, year, source_id, dataset, total, seen_at, run_id) VALUES (?,?,?,?,?,?,?)
                ON CONFLICT (slice_key, year) DO UPDATE SET total=excluded.total, seen_at=excluded.seen_at, run_id=excluded.run_id
                """, [.text(ref.slice.stateKey), .int(year), .int(ref.sourceID), .text(ref.dataset), .double(total), .text(at),
                      .optional(ref.runID.map(Int.init))])
        }
    }
}
