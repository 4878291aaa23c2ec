import KildeCore
import PostgresNIO

extension PostgresFactStore {
    /// The shared probe's behaviour in one statement: `facts.kilde_probe_yearly` lands the raw artifacts, sums the
    /// stored metric per year and, when the slice is unchanged, marks `extraction_state` and `source_totals`.
    /// A stable slice therefore costs exactly one database round trip.
    public func probe(_ p: SliceProbe) async throws -> ProbeResult {
        statistics.noteRoundTrip()
        // Daily slices take the shared statements; the yearly probe is the hot path and has its own function.
        guard p.keys.table == .yearly else { return try await sqlProbe(p) }
        let k = p.keys
        let axes = FilterAxis.allCases.map { axis in k.filters[axis] }
        let years = p.upstream.byYear.sorted { $0.key < $1.key }
        let ref = p.ref
        let query: PostgresQuery = """
            SELECT stored_years, stored_sums, stored_rows, marked_unchanged FROM facts.kilde_probe_yearly(
              p_source_id => \(k.sourceID)::integer, p_dim_code => \(k.dimCode)::integer,
              p_fire_type => \(axes[0])::integer[], p_building_type => \(axes[1])::integer[],
              p_building_age => \(axes[2])::integer[], p_region => \(axes[3])::integer[],
              p_year_first => \(k.years?.first)::integer, p_year_last => \(k.years?.last)::integer,
              p_metric => \(p.metric.rawValue),
              p_upstream_total => \(p.upstream.total), p_upstream_years => \(years.map(\.key))::integer[],
              p_upstream_sums => \(years.map(\.value)),
              p_slice_key => \(ref.slice.stateKey), p_dataset => \(ref.dataset),
              p_state_dim_code => \(ref.slice.dimCode)::integer, p_state_metric => \(ref.slice.metric.rawValue),
              p_period_start => \(ref.slice.years?.first)::integer, p_period_end => \(ref.slice.years?.last)::integer,
              p_run_id => \(ref.runID.map(Int.init)), p_row_count => \(p.transformedRowCount),
              p_fetched_at => \(UntypedText(text: p.fetchedAt))::timestamptz, p_artifacts => \(Self.artifactsJSON(p.artifacts))::json)
            """
        guard let row = try await executor(.boundedPool(lease)).postgresRows(query).first else {
            throw StoreError(.other, "kilde_probe_yearly returned no row")
        }
        let (storedYears, sums, rows, marked) = try row.decode(([Int], [Double], Int, Bool).self)
        guard storedYears.count == sums.count else { throw StoreError(.other, "kilde_probe_yearly returned \(storedYears.count) years but \(sums.count) sums") }
        // Sum in year order, as the embedded store's probe does, so both report the same total.
        var stored = SliceTotals()
        for (year, sum) in zip(storedYears, sums) {
            stored.byYear[year] = sum
            stored.total += sum
        }
        return ProbeResult(stored: stored, rowCount: rows, markedUnchanged: marked)
    }

    /// The artifacts as a JSON array for `json_to_recordset`.
    static func artifactsJSON(_ artifacts: [RawArtifact]) -> String {
        CanonicalJSON.array(artifacts.map { a in
            CanonicalJSON.object([
                ("key", CanonicalJSON.string(a.key)), ("url", CanonicalJSON.string(a.url)), ("method", CanonicalJSON.string(a.method)),
                ("content_type", a.contentType.map(CanonicalJSON.string) ?? "null"), ("bytes", String(a.bytes)),
                ("sha256", CanonicalJSON.string(a.sha256)), ("fetched_at", CanonicalJSON.string(a.fetchedAt)),
            ])
        })
    }
}
