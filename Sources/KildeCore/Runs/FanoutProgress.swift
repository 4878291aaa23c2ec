/// Where one slice's fan-out is (a daily gate walking the months of its window): what `phase_detail` shows while
/// a single slice takes many requests (SPEC §5).
public struct FanoutProgress: Sendable, Hashable {
    /// The tiers of the daily gates (SPEC §4), in the order a slice passes them.
    public enum Phase: String, Sendable, Hashable {
        case tier0ColdCheck = "tier0_cold_check"
        case tier1YearlyProbe = "tier1_yearly_probe"
        case tier2MonthlyProbe = "tier2_monthly_probe"
        case tier3DailyFetch = "tier3_daily_fetch"
        case write
        case done
    }

    /// The `phase_detail` kind, e.g. `brask_daily_fanout`.
    public var kind: String
    public var phase: Phase
    /// Months of the window settled (found stable, or fetched).
    public var done: Int
    /// Months in the window.
    public var total: Int
    /// The request in flight, e.g. `["year": "2019", "month": "3"]`.
    public var cursor: [String: String]

    public init(kind: String, phase: Phase, done: Int, total: Int, cursor: [String: String] = [:]) {
        self.kind = kind
        self.phase = phase
        self.done = done
        self.total = total
        self.cursor = cursor
    }

    /// The share of the slice done, in 0…1.
    public var fraction: Double { total == 0 ? 0 : min(1, Double(done) / Double(total)) }
}
