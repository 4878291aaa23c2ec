import KildeCore

extension SQLDatabase {
    /// The stored sums of the metric per year over a slice's keys, and the rows, in the keys' table.
    func sliceSums(_ keys: SliceKeySet, metric: Metric) async throws -> (SliceTotals, Int) {
        let table = keys.table.rawValue
        var b = SQLBuilder(dialect)
        let year = b.yearExpression(table: table)
        let cond = b.keySet(keys, table: table)
        b.append("SELECT \(year) AS y, sum(\(metric.rawValue)) AS s, count(*) AS n FROM \(table) WHERE \(cond) GROUP BY \(year)")
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

    /// What the store holds for a slice's keys in both fact tables, whatever the keys' own table: `fact_yearly`'s
    /// sums per year, `fact_daily`'s per month and its rows (the daily gates compare the two).
    func storedTotals(_ keys: SliceKeySet, metric: Metric) async throws -> StoredTotals {
        var out = StoredTotals()
        var yearly = keys
        yearly.table = .yearly
        out.yearly = try await sliceSums(yearly, metric: metric).0.byYear
        var daily = keys
        daily.table = .daily
        var b = SQLBuilder(dialect)
        let cond = b.keySet(daily, table: FactTable.daily.rawValue)
        let month = dialect == .postgres ? "(EXTRACT(YEAR FROM date) * 100 + EXTRACT(MONTH FROM date))::int"
            : "CAST(substr(date, 1, 4) AS INTEGER) * 100 + CAST(substr(date, 6, 2) AS INTEGER)"
        // Rows holding the metric: a value_kr pass after a value pass on the same keys starts cold for its metric.
        b.append("SELECT \(month) AS m, sum(\(metric.rawValue)) AS s, count(\(metric.rawValue)) AS n FROM fact_daily WHERE \(cond) GROUP BY \(month)")
        for row in try await execute(b) {
            guard let m = row.int("m") else { continue }
            out.dailyByMonth[m] = row.double("s") ?? 0
            out.dailyRows += row.int("n") ?? 0
        }
        return out
    }

    func existingFacts(_ keys: SliceKeySet, years: Set<Int>?) async throws -> [FactKey: StoredMetrics] {
        let table = keys.table.rawValue
        var b = SQLBuilder(dialect)
        var cond = b.keySet(keys, table: table)
        if let years { cond += " AND " + b.inList(b.yearExpression(table: table), years.sorted()) }
        let period = keys.table == .daily ? "\(dialect.dateText("date")) AS date" : "year"
        b.append("SELECT source_id, dim_code, cat_code, \(period), fire_type_code, building_type_code, region_code, building_age_code, value, value_kr FROM \(table) WHERE \(cond)")
        var out: [FactKey: StoredMetrics] = [:]
        for row in try await execute(b) {
            guard let s = row.int("source_id"), let d = row.int("dim_code"), let c = row.int("cat_code") else { continue }
            let period: Period
            if keys.table == .daily {
                guard let date = row.string("date").flatMap(CivilDate.init) else { continue }
                period = .day(date)
            } else {
                guard let y = row.int("year") else { continue }
                period = .year(y)
            }
            let key = FactKey(sourceID: s, dimCode: d, catCode: c, period: period, fireType: row.int("fire_type_code"),
                              buildingType: row.int("building_type_code"), region: row.int("region_code"), buildingAge: row.int("building_age_code"))
            out[key] = StoredMetrics(value: row.double("value"), valueKr: row.double("value_kr"))
        }
        return out
    }

    func insertArtifacts(_ artifacts: [RawArtifact], ref: SliceRef) async throws {
        try await insertArtifacts(artifacts, sourceID: ref.sourceID, dataset: ref.dataset, sliceKey: ref.slice.stateKey, runID: ref.runID)
    }

    /// Provenance rows; a run's own artifacts (its preparation) have the empty slice key.
    func insertArtifacts(_ artifacts: [RawArtifact], sourceID: Int, dataset: String, sliceKey: String, runID: Int64?) async throws {
        for a in artifacts {
            try await execute("""
                INSERT INTO raw_artifacts (key, source_id, dataset, slice_key, url, method, content_type, bytes, sha256, fetched_at, run_id)
                VALUES (?,?,?,?,?,?,?,?,?,?,?)
                """, [.text(a.key), .int(sourceID), .text(dataset), .text(sliceKey), .text(a.url), .text(a.method),
                      .optional(a.contentType), .int(a.bytes), .text(a.sha256), .text(a.fetchedAt), .optional(runID.map(Int.init))])
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

    /// Upstream totals per slice: year 0 holds the grand total. One statement for all years.
    func recordTotals(_ ref: SliceRef, _ totals: SliceTotals, at: String) async throws {
        let rows = [(0, totals.total)] + totals.byYear.sorted(by: { $0.key < $1.key })
        var binds: [SQLValue] = []
        binds.reserveCapacity(rows.count * 7)
        for (year, total) in rows {
            binds += [.text(ref.slice.stateKey), .int(year), .int(ref.sourceID), .text(ref.dataset), .double(total), .text(at),
                      .optional(ref.runID.map(Int.init))]
        }
        try await execute("""
            INSERT INTO source_totals (slice_key, year, source_id, dataset, total, seen_at, run_id)
            VALUES \(Array(repeating: "(?,?,?,?,?,?,?)", count: rows.count).joined(separator: ","))
            ON CONFLICT (slice_key, year) DO UPDATE SET total=excluded.total, seen_at=excluded.seen_at, run_id=excluded.run_id
            """, binds)
    }
}
