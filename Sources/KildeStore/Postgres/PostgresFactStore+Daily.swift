import KildeCore
import PostgresNIO

/// What the store holds for a daily slice (tiers 0 and 1 of the daily gates, SPEC §4), from one round trip.
public struct DailyTotals: Sendable, Hashable {
    /// The sum of the metric over the slice's daily rows.
    public var total: Double
    /// Sums per month, keyed `YYYYMM`.
    public var byMonth: [Int: Double]
    /// Daily rows stored (tier 0: none means a cold start).
    public var rowCount: Int
    /// The yearly table's per-year sums for the same keys (tier 1 compares them with the daily sums).
    public var yearly: [Int: Double]

    /// Years whose daily sum differs from the yearly sum: the ones tier 2 must fetch again.
    public var driftedYears: Set<Int> {
        var daily: [Int: Double] = [:]
        for (month, sum) in byMonth { daily[month / 100, default: 0] += sum }
        return Set(daily.keys).union(yearly.keys).filter { !ChangeGate.sumsEqual(daily[$0] ?? 0, yearly[$0] ?? 0) }
    }
}

extension PostgresFactStore {
    /// The daily gates' store side for one slice and window, in one statement (`facts.kilde_daily_totals`).
    public func dailyTotals(_ keys: SliceKeySet, metric: Metric) async throws -> DailyTotals {
        statistics.noteRoundTrip()
        let axes = FilterAxis.allCases.map { axis in keys.filters[axis] }
        let query: PostgresQuery = """
            SELECT daily_total, months, month_sums, daily_rows, yearly_years, yearly_sums FROM facts.kilde_daily_totals(
              p_source_id => \(keys.sourceID)::integer, p_dim_code => \(keys.dimCode)::integer,
              p_fire_type => \(axes[0])::integer[], p_building_type => \(axes[1])::integer[],
              p_building_age => \(axes[2])::integer[], p_region => \(axes[3])::integer[],
              p_year_first => \(keys.years?.first)::integer, p_year_last => \(keys.years?.last)::integer,
              p_metric => \(metric.rawValue))
            """
        guard let row = try await executor(.pool(client)).postgresRows(query).first else {
            throw StoreError(.other, "kilde_daily_totals returned no row")
        }
        let (total, months, monthSums, rows, years, yearSums) = try row.decode((Double, [Int], [Double], Int, [Int], [Double]).self)
        return DailyTotals(total: total, byMonth: Dictionary(zip(months, monthSums), uniquingKeysWith: +), rowCount: rows,
                           yearly: Dictionary(zip(years, yearSums), uniquingKeysWith: +))
    }
}
