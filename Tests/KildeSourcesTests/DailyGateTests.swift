import KildeCore
import KildeSources
import KildeUpstream
import Testing

/// The daily gates as a pure state machine, driven over the BRIS transport with hand-written answers: which
/// request each tier sends, from the store's totals and the upstream's sums, and what the slice finishes with.
@Suite("Daily gates, pure")
struct DailyGateUnitTests {
    static let slice = Slice(dataset: "bris-police-arsak-daily", dimCode: 1, filters: [.fireType: [20101]],
                             years: YearWindow(first: 2023, last: 2024), table: .daily)

    static func gate() throws -> any Conversation<SliceFetch> {
        let registry = try BRISFixtures.registry()
        return try BRISFixtures.adapter(slice.dataset, registry: registry).fetch(slice, run: [slice], prepared: BRISPrepared())
    }

    static func body(_ step: ConversationStep<SliceFetch>) throws -> String {
        guard case .fetch(let r) = step else { throw FixtureError("expected a request, got \(step)") }
        return String(decoding: r.body ?? [], as: UTF8.self)
    }

    /// What the store's answer alone decides: the first request, or the end.
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var stored: StoredTotals
        /// A fragment of the first request's body, or `nil` when the slice must finish unchanged.
        var first: String?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "stable: yearly sums equal daily sums → unchanged, no request",
             stored: StoredTotals(yearly: [2023: 5, 2024: 7], dailyByMonth: [202302: 5, 202411: 7], dailyRows: 3), first: nil),
        Case(name: "no yearly facts → the yearly table first (YEAR, no window)",
             stored: StoredTotals(dailyByMonth: [202302: 5], dailyRows: 1),
             first: #""nextLevelAggregationDefinition":{"interval":"YEAR","name":"MISSION_CALL_TIME_YEAR","type":"DATE_HISTOGRAM"},"questionId":407"#),
        Case(name: "cold (no daily rows) → January of the first year with data",
             stored: StoredTotals(yearly: [2024: 7]),
             first: #"{"dateRange":{"end":"2024-01-31","start":"2024-01-01"},"nextLevelAggregationDefinition":{"interval":"DAY""#),
        Case(name: "2024 drifted → its monthly sums (MONTH over 2024)",
             stored: StoredTotals(yearly: [2023: 5, 2024: 9], dailyByMonth: [202302: 5, 202411: 7], dailyRows: 3),
             first: #"{"dateRange":{"end":"2024-12-31","start":"2024-01-01"},"nextLevelAggregationDefinition":{"interval":"MONTH""#),
        Case(name: "daily rows for a year the yearly table lacks → that year drifts",
             stored: StoredTotals(yearly: [2024: 7], dailyByMonth: [202302: 5, 202411: 7], dailyRows: 3),
             first: #""start":"2023-01-01""#),
    ]

    @Test(arguments: cases)
    func firstStep(_ c: Case) throws {
        var gate = try Self.gate()
        guard case .askStore(let keys, .value) = try gate.next(after: nil) else { throw FixtureError("the store is asked first") }
        #expect(keys.table == .daily && keys.years == Self.slice.years && keys.filters == Self.slice.filters)
        let step = try gate.next(after: .stored(c.stored))
        if let first = c.first {
            let body = try Self.body(step)
            #expect(body.contains(first), "\(body)")
        } else {
            guard case .finish(.unchanged) = step else { throw FixtureError("expected unchanged, got \(step)") }
        }
    }

    /// Tier 2 → tier 3: the drifted year's monthly sums differ from the stored days in March only, so March's days
    /// are the one more request; the slice finishes with that page, its month as the scope and the stable months'
    /// stored sums.
    @Test func oneChangedMonthIsTwoRequests() throws {
        var gate = try Self.gate()
        _ = try gate.next(after: nil)
        let stored = StoredTotals(yearly: [2023: 5, 2024: 12], dailyByMonth: [202302: 5, 202403: 4, 202411: 7], dailyRows: 4)
        _ = try gate.next(after: .stored(stored))
        #expect(gate.progress?.phase == .tier2MonthlyProbe && gate.progress?.done == 12 && gate.progress?.total == 24)
        let months = BRISFixtures.answer([("Annet", [("2024-03-01", 5), ("2024-11-01", 7)]), ("-1", [("2024-03-01", 0)])])
        let days = try Self.body(try gate.next(after: .response(months)))
        #expect(days.contains(#""end":"2024-03-31","start":"2024-03-01""#) && days.contains(#""interval":"DAY""#))
        #expect(gate.progress?.phase == .tier3DailyFetch && gate.progress?.done == 23 && gate.progress?.cursor == ["year": "2024", "month": "3"])
        let march = BRISFixtures.answer([("Annet", [("2024-03-02", 5)])])
        guard case .finish(.fetchedMonths(let fetched)) = try gate.next(after: .response(march)) else {
            Issue.record("expected the fetched month")
            return
        }
        #expect(fetched.months == [202403] && fetched.pages.count == 1 && fetched.yearly.isEmpty)
        #expect(fetched.stableMonths == [202302: 5, 202411: 7])
        #expect(gate.progress?.done == 24)
        let window = fetched.windowTotals(SliceTotals(total: 5, byYear: [2024: 5], byMonth: [202403: 5]))
        #expect(window.total == 17 && window.byYear == [2023: 5, 2024: 12])
    }

    /// Tier 2 finding every month equal (the yearly facts were ahead of the upstream's months): no day request, and
    /// nothing to write.
    @Test func driftWithoutChangedMonthsFetchesNoDays() throws {
        var gate = try Self.gate()
        _ = try gate.next(after: nil)
        _ = try gate.next(after: .stored(StoredTotals(yearly: [2023: 5, 2024: 99], dailyByMonth: [202302: 5, 202411: 7], dailyRows: 2)))
        let months = BRISFixtures.answer([("Annet", [("2024-11-01", 7)])])
        guard case .finish(.fetchedMonths(let fetched)) = try gate.next(after: .response(months)) else {
            Issue.record("expected the end")
            return
        }
        #expect(fetched.pages.isEmpty && fetched.months.isEmpty)
        #expect(fetched.note?.contains("equal the stored days") == true)
    }
}
