/// What the tier-1 / tier-2 gates decide for a yearly slice.
public enum ChangeDecision: Sendable, Hashable {
    /// Upstream total equals the stored total (and is > 0): write nothing.
    case skip
    /// Nothing stored yet for this slice: write every row.
    case writeAll
    /// Only these years' sums differ: write those years.
    case writeYears(Set<Int>)
}

/// Totals of one slice, either as the upstream reports them or as the store holds them: the whole, per year, and
/// for sub-year facts per month and per day, so every gate (yearly tiers, daily tiers) reads them from one value.
public struct SliceTotals: Sendable, Hashable {
    public var total: Double
    public var byYear: [Int: Double]
    /// Sums per month keyed `YYYYMM`; empty for yearly facts.
    public var byMonth: [Int: Double]
    /// Sums per day; empty for yearly facts.
    public var byDay: [CivilDate: Double]

    public init(total: Double = 0, byYear: [Int: Double] = [:], byMonth: [Int: Double] = [:], byDay: [CivilDate: Double] = [:]) {
        self.total = total
        self.byYear = byYear
        self.byMonth = byMonth
        self.byDay = byDay
    }

    /// Sums facts' `metric` per year and, for daily facts, per month and day.
    public init(facts: some Sequence<Fact>, metric: Metric) {
        self.init()
        for f in facts {
            if let v = f.metric(metric) { add(v, at: f.key.period) }
        }
    }

    /// Counts `value` in the total, its year and, for a day, its month and day.
    public mutating func add(_ value: Double, at period: Period) {
        total += value
        byYear[period.year, default: 0] += value
        if case .day(let d) = period {
            byMonth[d.year * 100 + d.month, default: 0] += value
            byDay[d, default: 0] += value
        }
    }
}

/// The yearly change gates of SPEC §4 as a pure function.
public enum ChangeGate {
    /// Decides what to write for a slice from the upstream's and the store's totals.
    ///
    /// - Tier 1: totals equal and > 0 → ``ChangeDecision/skip``; stored total 0 → ``ChangeDecision/writeAll``.
    /// - Tier 2: otherwise the years whose sums differ (a year present on one side only counts as changed).
    public static func decide(upstream: SliceTotals, stored: SliceTotals) -> ChangeDecision {
        if stored.total == 0 && stored.byYear.values.allSatisfy({ $0 == 0 }) {
            return upstream.total == 0 && upstream.byYear.isEmpty ? .skip : .writeAll
        }
        if sumsEqual(upstream.total, stored.total) {
            // Equal totals can hide moves between years: confirm per year when both sides have them.
            if upstream.byYear.isEmpty || changedYears(upstream: upstream, stored: stored).isEmpty { return .skip }
        }
        let years = changedYears(upstream: upstream, stored: stored)
        return years.isEmpty ? .skip : .writeYears(years)
    }

    /// Years whose sums differ between upstream and store.
    public static func changedYears(upstream: SliceTotals, stored: SliceTotals) -> Set<Int> {
        var out = Set<Int>()
        for year in Set(upstream.byYear.keys).union(stored.byYear.keys)
        where !sumsEqual(upstream.byYear[year] ?? 0, stored.byYear[year] ?? 0) {
            out.insert(year)
        }
        return out
    }

    /// Sums of decimal values compare with a relative tolerance; integer counts compare exactly.
    public static func sumsEqual(_ a: Double, _ b: Double) -> Bool {
        a == b || abs(a - b) <= 1e-9 * max(abs(a), abs(b))
    }
}
