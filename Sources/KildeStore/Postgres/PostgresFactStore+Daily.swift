import KildeCore
import PostgresNIO

extension PostgresFactStore {
    /// The store side of a gate before fetch, in one statement (`facts.kilde_daily_totals`): the yearly table's sums
    /// per year and the daily table's per month and its rows, for the same keys and window.
    public func storedTotals(_ keys: SliceKeySet, metric: Metric) async throws -> StoredTotals {
        statistics.noteRoundTrip()
        let axes = FilterAxis.allCases.map { axis in keys.filters[axis] }
        let query: PostgresQuery = """
            SELECT months, month_sums, daily_rows, yearly_years, yearly_sums FROM facts.kilde_daily_totals(
              p_source_id => \(keys.sourceID)::integer, p_dim_code => \(keys.dimCode)::integer,
              p_fire_type => \(axes[0])::integer[], p_building_type => \(axes[1])::integer[],
              p_building_age => \(axes[2])::integer[], p_region => \(axes[3])::integer[],
              p_year_first => \(keys.years?.first)::integer, p_year_last => \(keys.years?.last)::integer,
              p_metric => \(metric.rawValue))
            """
        guard let row = try await executor(.boundedPool(lease)).postgresRows(query).first else {
            throw StoreError(.other, "kilde_daily_totals returned no row")
        }
        let (months, monthSums, rows, years, yearSums) = try row.decode(([Int], [Double], Int, [Int], [Double]).self)
        return StoredTotals(yearly: Dictionary(zip(years, yearSums), uniquingKeysWith: +),
                            dailyByMonth: Dictionary(zip(months, monthSums), uniquingKeysWith: +), dailyRows: rows)
    }
}
