import KildeCore
import KildeUpstream

/// The four daily gates of SPEC §4 as one conversation, the same for every daily source (the source's part is its
/// ``DailyTransport``):
///
/// - **Tier 0** (store only): one question answers every tier's store side — `fact_yearly`'s sums per year,
///   `fact_daily`'s per month and its rows, for the slice's keys and window. No daily rows: a cold start.
/// - **Auto-chain**: no yearly facts for the slice → the yearly table is fetched first (and written to
///   `fact_yearly` in the same run), so the fan-out knows which years have data.
/// - **Cold fan-out**: one day request per month of the years the yearly sums name, never a year without data.
/// - **Tier 1** (store only): years whose yearly sum differs from their daily sum. None: the slice is unchanged
///   after one store round trip, no upstream request, no write.
/// - **Tier 2**: one monthly-sums request per drifted year; months whose sum differs from the stored one.
/// - **Tier 3**: one day request per changed month; only those months are written.
///
/// ``progress`` counts the window's months as they settle (found stable or fetched), so the bar only moves forward.
public struct DailyGate<Transport: DailyTransport>: Conversation {
    public typealias Outcome = SliceFetch

    let slice: Slice
    let keys: SliceKeySet
    var transport: Transport
    private var stored = StoredTotals()
    private var queue: [DailyCursor] = []
    private var current: DailyCursor?
    private var pages: [UpstreamResponse] = []
    private var months = Set<Int>()
    private var yearly: [UpstreamResponse] = []
    private var requested = false
    public private(set) var progress: FanoutProgress?

    /// - Parameters:
    ///   - slice: a daily slice; its window (`nil`: every year) bounds every tier.
    ///   - sourceID: the source of the slice's dataset.
    ///   - kind: the `phase_detail` kind, e.g. `brask_daily_fanout`.
    public init(slice: Slice, sourceID: Int, kind: String, transport: Transport) {
        self.slice = slice
        self.keys = SliceKeySet(slice: slice, sourceID: sourceID)
        self.transport = transport
        self.progress = FanoutProgress(kind: kind, phase: .tier0ColdCheck, done: 0, total: 0)
    }

    var window: YearWindow? { keys.years }

    public var session: String? { transport.session }

    public mutating func next(after reply: ConversationReply?) throws(IngestError) -> ConversationStep<SliceFetch> {
        switch reply {
        case nil:
            return .askStore(keys, slice.metric)
        case .stored(let s):
            stored = s
            let years = inWindow(s.yearly)
            return years.isEmpty ? try fetch(.years) : try plan(yearly: years)
        case .response(let r):
            guard let cursor = current else {
                throw IngestError(.unexpected, dataset: slice.dataset, slice: slice.label, message: "a daily gate got a response it did not ask for")
            }
            let answer: UpstreamResponse
            switch try transport.receive(r, for: cursor) {
            case .fetch(let request): return .fetch(request)
            case .answer(let a): answer = a
            }
            current = nil
            switch cursor {
            case .years:
                yearly = [answer]
                return try plan(yearly: inWindow(try transport.yearlySums(answer)))
            case .months(let y):
                let sums = try transport.monthlySums(answer, year: y)
                let changed = (1...12).filter { !ChangeGate.sumsEqual(sums[$0] ?? 0, stored.dailyByMonth[y * 100 + $0] ?? 0) }
                queue.insert(contentsOf: changed.map { DailyCursor.days(year: y, month: $0) }, at: 0)
                progress?.done += 12 - changed.count
            case .days(let y, let m):
                pages.append(answer)
                months.insert(y * 100 + m)
                progress?.done += 1
            }
            return try advance()
        }
    }

    /// Cold fan-out or tier 1, from the yearly sums in the window.
    private mutating func plan(yearly sums: [Int: Double]) throws(IngestError) -> ConversationStep<SliceFetch> {
        let daily = stored.dailyByYear.filter { window?.contains($0.key) ?? true }
        let years = window.map { Array($0.years) } ?? Set(sums.keys).union(daily.keys).sorted()
        progress?.total = 12 * years.count
        progress?.phase = .tier1YearlyProbe
        let fetchYears: [Int]
        if stored.dailyRows == 0 {
            fetchYears = sums.keys.sorted()
            queue = fetchYears.flatMap { y in (1...12).map { DailyCursor.days(year: y, month: $0) } }
        } else {
            fetchYears = years.filter { !ChangeGate.sumsEqual(sums[$0] ?? 0, daily[$0] ?? 0) }
            queue = fetchYears.map { DailyCursor.months(year: $0) }
        }
        progress?.done = 12 * (years.count - fetchYears.count)
        return try advance()
    }

    private mutating func advance() throws(IngestError) -> ConversationStep<SliceFetch> {
        guard queue.isEmpty else { return try fetch(queue.removeFirst()) }
        progress?.phase = pages.isEmpty ? .done : .write
        progress?.cursor = [:]
        let span = window.map { $0.first == $0.last ? "\($0.first)" : "\($0.first)–\($0.last)" } ?? "every year"
        let note: String? = switch (pages.isEmpty, requested) {
        case (false, _): nil
        case (true, false): "daily sums equal the yearly sums in \(span): nothing fetched"
        case (true, true) where yearly.isEmpty: "the drifted years' monthly sums equal the stored days: nothing to write"
        case (true, true): "no year of \(span) has data upstream"
        }
        guard requested else { return .finish(.unchanged(reason: note ?? "")) }
        let stable = stored.dailyByMonth.filter { (window?.contains($0.key / 100) ?? true) && !months.contains($0.key) }
        return .finish(.fetchedMonths(DailyFetch(pages: pages, months: months, yearly: yearly, stableMonths: stable, note: note)))
    }

    private mutating func fetch(_ cursor: DailyCursor) throws(IngestError) -> ConversationStep<SliceFetch> {
        current = cursor
        requested = true
        progress?.cursor = cursor.fields
        progress?.phase = switch cursor {
        case .years: .tier1YearlyProbe
        case .months: .tier2MonthlyProbe
        case .days: .tier3DailyFetch
        }
        return .fetch(try transport.start(cursor))
    }

    /// Yearly sums in the window, years without any dropped.
    private func inWindow(_ sums: [Int: Double]) -> [Int: Double] {
        sums.filter { $0.value != 0 && (window?.contains($0.key) ?? true) }
    }
}
