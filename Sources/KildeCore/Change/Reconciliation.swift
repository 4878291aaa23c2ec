/// Where a slice's transformed facts and the upstream's own totals for it disagree: the upstream delivered counts
/// that no fact carries (a bucket whose label has no category row, typically BRIS's `-1` → `Ikke besvart`), or the
/// reverse.
public struct ReconciliationGap: Error, Sendable, Hashable, CustomStringConvertible {
    /// The sum of the facts.
    public var written: Double
    /// The upstream's sum over the same cells.
    public var upstream: Double
    /// Upstream minus written, per year that differs.
    public var byYear: [Int: Double]

    public init(written: Double, upstream: Double, byYear: [Int: Double]) {
        self.written = written
        self.upstream = upstream
        self.byYear = byYear
    }

    /// Upstream minus written: what the facts lack (negative when they hold more).
    public var missing: Double { upstream - written }

    /// e.g. `the rows sum to 30216, the upstream's series to 32320: 2104 missing (2016: 412, 2017: 380, …)`.
    public var description: String {
        let years = byYear.keys.sorted()
        let shown = years.prefix(6).map { "\($0): \(JSONNumber.format(byYear[$0] ?? 0))" }.joined(separator: ", ")
        let more = years.count > 6 ? ", … \(years.count) years" : ""
        let gap: String
        if ChangeGate.sumsEqual(written, upstream) {
            gap = "equal in all, but not per year"
        } else if missing > 0 {
            gap = "\(JSONNumber.format(missing)) missing"
        } else {
            gap = "\(JSONNumber.format(-missing)) more than the upstream's"
        }
        return "the rows sum to \(JSONNumber.format(written)), the upstream's series to \(JSONNumber.format(upstream)): \(gap) (\(shown)\(more))"
    }
}

/// The reconciliation of SPEC §3 as a pure function: the facts written for a slice must add up to the upstream's
/// own totals for it, in all and in every year, month and day the upstream reports.
public enum Reconciliation {
    /// `nil` when `written` matches `upstream` everywhere; else where it does not.
    public static func gap(written: SliceTotals, upstream: SliceTotals) -> ReconciliationGap? {
        var byYear: [Int: Double] = [:]
        for year in Set(written.byYear.keys).union(upstream.byYear.keys) {
            let w = written.byYear[year] ?? 0, u = upstream.byYear[year] ?? 0
            if !ChangeGate.sumsEqual(w, u) { byYear[year] = u - w }
        }
        // Moves within a year (between its months or days) are a gap too; they are reported under the year.
        for month in Set(written.byMonth.keys).union(upstream.byMonth.keys)
        where !ChangeGate.sumsEqual(written.byMonth[month] ?? 0, upstream.byMonth[month] ?? 0) {
            byYear[month / 100, default: 0] += 0
        }
        for day in Set(written.byDay.keys).union(upstream.byDay.keys)
        where !ChangeGate.sumsEqual(written.byDay[day] ?? 0, upstream.byDay[day] ?? 0) {
            byYear[day.year, default: 0] += 0
        }
        guard !byYear.isEmpty || !ChangeGate.sumsEqual(written.total, upstream.total) else { return nil }
        return ReconciliationGap(written: written.total, upstream: upstream.total, byYear: byYear)
    }
}
