/// What the store holds for a slice's keys, read in one round trip before anything is fetched: an adapter that
/// gates before fetching decides from this alone whether the upstream must be asked at all (the daily gates' tiers 0
/// and 1, SPEC §4).
public struct StoredTotals: Sendable, Hashable {
    /// `fact_yearly`'s sums of the metric per year.
    public var yearly: [Int: Double]
    /// `fact_daily`'s sums of the metric per month, keyed `YYYYMM`.
    public var dailyByMonth: [Int: Double]
    /// Daily rows stored (tier 0: none means a cold start).
    public var dailyRows: Int

    public init(yearly: [Int: Double] = [:], dailyByMonth: [Int: Double] = [:], dailyRows: Int = 0) {
        self.yearly = yearly
        self.dailyByMonth = dailyByMonth
        self.dailyRows = dailyRows
    }

    /// The sum over the daily rows.
    public var dailyTotal: Double { dailyByMonth.values.reduce(0, +) }

    /// The daily rows' sums per year.
    public var dailyByYear: [Int: Double] {
        var out: [Int: Double] = [:]
        for (month, sum) in dailyByMonth { out[month / 100, default: 0] += sum }
        return out
    }

    /// Years whose daily sum differs from the yearly sum: the ones a daily gate must fetch again (tier 1).
    public var driftedYears: Set<Int> {
        let daily = dailyByYear
        return Set(daily.keys).union(yearly.keys).filter { !ChangeGate.sumsEqual(daily[$0] ?? 0, yearly[$0] ?? 0) }
    }
}
