import KildeSources
import KildeUpstream
import Testing

@Suite("PxWeb selection splitting")
struct PxWebSplitTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var regions: Int
        var years: Int
        var limit: Int
        var parts: Int
        var testDescription: String { "\(regions)×\(years) limit \(limit) → \(parts)" }
    }

    @Test(arguments: [
        Case(regions: 372, years: 10, limit: 800_000, parts: 1),
        Case(regions: 372, years: 10, limit: 3720, parts: 1),
        Case(regions: 372, years: 10, limit: 3719, parts: 2),
        Case(regions: 372, years: 10, limit: 100, parts: 38),
        Case(regions: 5, years: 400, limit: 100, parts: 20),
        Case(regions: 3, years: 3, limit: 1, parts: 9),
    ])
    func partsAreDisjointCoverTheSelectionAndRespectTheLimit(_ c: Case) {
        let regions = (0..<c.regions).map { String(format: "%04d", $0) }
        let years = (0..<c.years).map { String(2000 + $0) }
        let selection = PxWebSelection([("Region", .items(regions)), ("ContentsCode", .items(["A"])), ("Tid", .items(years))])
        let parts = selection.split(limit: c.limit, sizes: [:])
        #expect(parts.count == c.parts)
        var cells = Set<String>()
        for p in parts {
            #expect((p.cellCount(sizes: [:]) ?? .max) <= c.limit)
            guard case .items(let r) = p.variables[0].values, case .items(let t) = p.variables[2].values else { Issue.record("not items"); continue }
            for a in r { for b in t { #expect(cells.insert("\(a)|\(b)").inserted, "cell \(a)|\(b) requested twice") } }
        }
        #expect(cells.count == c.regions * c.years)
    }

    @Test func allIsExpandedFromMetadataCodesWhenSplitting() {
        let selection = PxWebSelection([("Region", .all), ("Tid", .items(["2020", "2021"]))])
        let parts = selection.split(limit: 4, sizes: ["Region": 5], codes: ["Region": ["a", "b", "c", "d", "e"]])
        #expect(parts.count == 3)
        #expect(parts.allSatisfy { ($0.cellCount(sizes: [:]) ?? .max) <= 4 })
    }
}

@Suite("Retry policy and rate limit")
struct RetryPolicyTests {
    @Test(arguments: [(429, true), (500, true), (503, true), (408, true), (400, false), (403, false), (404, false), (200, false)])
    func retryableStatuses(_ status: Int, _ retry: Bool) {
        #expect(RetryPolicy.isRetryable(status: status) == retry)
    }

    @Test func backoffGrowsWithJitterAndHonoursRetryAfter() {
        var p = RetryPolicy()
        p.baseDelay = .milliseconds(100)
        p.maxDelay = .seconds(1)
        #expect(p.delay(afterAttempt: 1, retryAfter: nil, random: 0) == .milliseconds(50))
        #expect(p.delay(afterAttempt: 1, retryAfter: nil, random: 0.999_999) <= .milliseconds(100))
        #expect(p.delay(afterAttempt: 3, retryAfter: nil, random: 1) == .milliseconds(400))
        #expect(p.delay(afterAttempt: 10, retryAfter: nil, random: 1) == .seconds(1))
        // Retry-After is a floor, even above maxDelay.
        #expect(p.delay(afterAttempt: 1, retryAfter: .seconds(2), random: 0) == .seconds(2))
        #expect(RetryPolicy.parseRetryAfter("2") == .seconds(2))
        #expect(RetryPolicy.parseRetryAfter(" 1.5 ") == .milliseconds(1500))
        #expect(RetryPolicy.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT") == nil)
    }

    /// SSB's 30 a minute, as the rate limiter keeps it: requests offered every half second as fast as allowed never
    /// put more than 30 in any 60 seconds.
    @Test func aRateOfThirtyAMinuteHoldsInEveryWindow() {
        var w = SlidingWindow(limit: 30, window: .seconds(60))
        var sent: [Duration] = []
        var t = Duration.zero
        while t < .seconds(300) {
            if let wait = w.record(now: t) { t += wait } else { sent.append(t); t += .milliseconds(500) }
        }
        for (i, s) in sent.enumerated() {
            #expect(sent[i...].prefix { $0 - s < .seconds(60) }.count <= 30)
        }
        #expect(sent.count == 150, "five full windows")
        #expect(sent[30] == .seconds(60), "the 31st waits for the first to leave the window")
    }
}
