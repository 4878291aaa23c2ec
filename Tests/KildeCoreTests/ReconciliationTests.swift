import KildeCore
import Testing

@Suite("Reconciliation of written rows against the upstream's own totals (SPEC §3)")
struct ReconciliationTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var written: SliceTotals
        var upstream: SliceTotals
        /// `nil`: reconciled; else the gap per year (upstream − written).
        var gap: [Int: Double]?
        var testDescription: String { name }
    }

    static func days(_ pairs: [(String, Double)]) -> SliceTotals {
        var t = SliceTotals()
        for (d, v) in pairs { if let date = CivilDate(d) { t.add(v, at: .day(date)) } }
        return t
    }

    static let cases: [Case] = [
        Case(name: "equal everywhere", written: .init(total: 10, byYear: [2020: 4, 2021: 6]),
             upstream: .init(total: 10, byYear: [2020: 4, 2021: 6]), gap: nil),
        Case(name: "a missing bucket in one year", written: .init(total: 8, byYear: [2020: 4, 2021: 4]),
             upstream: .init(total: 10, byYear: [2020: 4, 2021: 6]), gap: [2021: 2]),
        Case(name: "rows the upstream does not report", written: .init(total: 11, byYear: [2020: 5, 2021: 6]),
             upstream: .init(total: 10, byYear: [2020: 4, 2021: 6]), gap: [2020: -1]),
        Case(name: "a year only upstream", written: .init(total: 4, byYear: [2020: 4]),
             upstream: .init(total: 9, byYear: [2020: 4, 2022: 5]), gap: [2022: 5]),
        Case(name: "equal in all, moved between years", written: .init(total: 10, byYear: [2020: 5, 2021: 5]),
             upstream: .init(total: 10, byYear: [2020: 4, 2021: 6]), gap: [2020: -1, 2021: 1]),
        Case(name: "equal per year, moved between days", written: days([("2024-03-01", 2), ("2024-03-02", 1)]),
             upstream: days([("2024-03-01", 1), ("2024-03-02", 2)]), gap: [2024: 0]),
        Case(name: "equal per day", written: days([("2024-03-01", 2), ("2024-12-31", 1)]),
             upstream: days([("2024-03-01", 2), ("2024-12-31", 1)]), gap: nil),
        Case(name: "nothing on either side", written: .init(), upstream: .init(), gap: nil),
    ]

    @Test(arguments: cases)
    func gap(_ c: Case) {
        let gap = Reconciliation.gap(written: c.written, upstream: c.upstream)
        #expect(gap?.byYear == c.gap)
        if let gap {
            #expect(gap.written == c.written.total && gap.upstream == c.upstream.total)
        }
    }

    @Test func describesTheMissingDifference() throws {
        let gap = try #require(Reconciliation.gap(written: .init(total: 30216, byYear: [2016: 3000, 2017: 27216]),
                                                  upstream: .init(total: 32320, byYear: [2016: 3412, 2017: 28908])))
        #expect(gap.missing == 2104)
        #expect(gap.description == "the rows sum to 30216, the upstream's series to 32320: 2104 missing (2016: 412, 2017: 1692)")
    }
}
