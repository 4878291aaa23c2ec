import KildeUpstream
import Testing

/// The sliding window behind the explorer's per-client rate and upstream budget: a pure state, driven by given times.
struct SlidingWindowTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var limit: Int
        /// Seconds at which events are offered, in order.
        var offers: [Int]
        /// `nil` = admitted, else the wait in seconds.
        var expected: [Int?]
        var testDescription: String { "limit \(limit) at \(offers)" }
    }

    @Test(arguments: [
        Case(limit: 2, offers: [0, 1, 2], expected: [nil, nil, 3598]),
        // The oldest event leaves the window after an hour, and only then is there room.
        Case(limit: 2, offers: [0, 10, 3599, 3600, 3605, 3610], expected: [nil, nil, 1, nil, 5, nil]),
        // A refused offer is not recorded: it does not push the window out.
        Case(limit: 1, offers: [0, 100, 200, 3600], expected: [nil, 3500, 3400, nil]),
        Case(limit: 0, offers: [0, 5000], expected: [3600, 3600]),
    ])
    func admitsAtMostTheLimitPerWindow(_ c: Case) {
        var w = SlidingWindow(limit: c.limit, window: .seconds(3600))
        let got = c.offers.map { w.record(now: .seconds($0)).map { Int($0.components.seconds) } }
        #expect(got == c.expected)
    }

    @Test func remainingAndIdle() {
        var w = SlidingWindow(limit: 3, window: .seconds(60))
        #expect(w.isIdle(now: .zero))
        _ = w.record(now: .seconds(1))
        _ = w.record(now: .seconds(2))
        #expect(w.remaining(now: .seconds(3)) == 1)
        #expect(w.remaining(now: .seconds(61)) == 2)
        #expect(!w.isIdle(now: .seconds(61)))
        #expect(w.isIdle(now: .seconds(62)))
    }

    @Test func aBudgetRefusesOnceSpent() {
        let budget = RequestBudget(limit: 2, purpose: "the test's budget")
        #expect(budget.spend() == nil)
        #expect(budget.remaining == 1)
        #expect(budget.spend() == nil)
        let wait = budget.spend()
        #expect(wait != nil && wait! > .seconds(3590))
        #expect(budget.remaining == 0)
    }
}
