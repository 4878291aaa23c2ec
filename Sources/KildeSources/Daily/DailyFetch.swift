import KildeCore
import KildeUpstream

/// What a daily gate fetched for a slice: the day pages of the months it found changed (only those months are
/// written; the slice's other months stay as stored), and the yearly table it fetched first when the store had no
/// yearly facts for the slice (auto-chain: written to `fact_yearly` in the same run).
public struct DailyFetch: Sendable {
    /// The answers to the day cursors, in cursor order.
    public var pages: [UpstreamResponse]
    /// The months the pages cover, keyed `YYYYMM`: the write's scope.
    public var months: Set<Int>
    /// The answer to ``DailyCursor/years``, when the gate had to fetch it.
    public var yearly: [UpstreamResponse]
    /// The store's daily sums of the window's months that were not fetched (found stable), keyed `YYYYMM`: with the
    /// pages' own totals they make the slice's upstream totals over its whole window, which reconciliation records.
    public var stableMonths: [Int: Double]
    /// Why nothing was fetched for the days, when the gate fetched no day page.
    public var note: String?

    public init(pages: [UpstreamResponse], months: Set<Int>, yearly: [UpstreamResponse], stableMonths: [Int: Double], note: String? = nil) {
        self.pages = pages
        self.months = months
        self.yearly = yearly
        self.stableMonths = stableMonths
        self.note = note
    }

    /// The upstream totals over the slice's window: `fetched` (the pages' totals) plus the stable months.
    public func windowTotals(_ fetched: SliceTotals) -> SliceTotals {
        var t = fetched
        for (month, sum) in stableMonths where !months.contains(month) {
            t.total += sum
            t.byYear[month / 100, default: 0] += sum
            t.byMonth[month, default: 0] += sum
        }
        return t
    }
}
