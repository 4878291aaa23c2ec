import KildeCore
import Testing

@Suite("Change gates (SPEC §4)")
struct ChangeGateTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var upstream: SliceTotals
        var stored: SliceTotals
        var expected: ChangeDecision
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "first run: nothing stored → write all", upstream: .init(total: 10, byYear: [2020: 4, 2021: 6]),
             stored: .init(), expected: .writeAll),
        Case(name: "stable: equal totals and years → skip", upstream: .init(total: 10, byYear: [2020: 4, 2021: 6]),
             stored: .init(total: 10, byYear: [2020: 4, 2021: 6]), expected: .skip),
        Case(name: "one year revised → write that year", upstream: .init(total: 12, byYear: [2020: 4, 2021: 8]),
             stored: .init(total: 10, byYear: [2020: 4, 2021: 6]), expected: .writeYears([2021])),
        Case(name: "new year published → write it", upstream: .init(total: 15, byYear: [2020: 4, 2021: 6, 2022: 5]),
             stored: .init(total: 10, byYear: [2020: 4, 2021: 6]), expected: .writeYears([2022])),
        Case(name: "equal totals hiding a move between years → write both", upstream: .init(total: 10, byYear: [2020: 5, 2021: 5]),
             stored: .init(total: 10, byYear: [2020: 4, 2021: 6]), expected: .writeYears([2020, 2021])),
        Case(name: "year withdrawn upstream → write (delete) it", upstream: .init(total: 4, byYear: [2020: 4]),
             stored: .init(total: 10, byYear: [2020: 4, 2021: 6]), expected: .writeYears([2021])),
        Case(name: "decimal sums within rounding → skip", upstream: .init(total: 0.3, byYear: [2020: 0.1 + 0.2]),
             stored: .init(total: 0.3, byYear: [2020: 0.3]), expected: .skip),
        Case(name: "empty upstream, empty store → skip", upstream: .init(), stored: .init(), expected: .skip),
    ]

    @Test(arguments: cases)
    func decide(_ c: Case) {
        #expect(ChangeGate.decide(upstream: c.upstream, stored: c.stored) == c.expected)
    }
}

@Suite("Row classification")
struct RowClassifierTests {
    static func key(_ year: Int, region: Int? = nil, cat: Int = 501) -> FactKey {
        FactKey(sourceID: 5, dimCode: 5, catCode: cat, period: .year(year), buildingType: 64, region: region)
    }

    @Test func addedUpdatedIdentical() {
        let rows = [Fact(key: Self.key(2020), value: 4), Fact(key: Self.key(2021), value: 7), Fact(key: Self.key(2022), value: 1)]
        let existing: [FactKey: StoredMetrics] = [Self.key(2020): .init(value: 4, valueKr: nil), Self.key(2021): .init(value: 6, valueKr: nil)]
        let c = RowClassifier.classify(rows: rows, existing: existing, metric: .value, years: nil)
        #expect(c.added == 1)
        #expect(c.updated == 1)
        #expect(c.identical == 1)
        #expect(c.toWrite.map(\.key) == [Self.key(2021), Self.key(2022)])
        #expect(c.toDelete.isEmpty)
    }

    @Test func valueOnlyPassIgnoresValueKr() {
        // A BRASK-style value pass must not treat the stored value_kr as a change, nor clear it.
        let rows = [Fact(key: Self.key(2020), value: 4)]
        let existing: [FactKey: StoredMetrics] = [Self.key(2020): .init(value: 4, valueKr: 950)]
        let c = RowClassifier.classify(rows: rows, existing: existing, metric: .value, years: nil)
        #expect(c.identical == 1)
        #expect(c.toWrite.isEmpty)
    }

    @Test func cellsGoneUpstreamAreRemovedOnlyInWrittenYears() {
        let existing: [FactKey: StoredMetrics] = [
            Self.key(2020, region: 1): .init(value: 3, valueKr: nil),
            Self.key(2021, region: 1): .init(value: 3, valueKr: nil),
            Self.key(2021, region: 2): .init(value: 2, valueKr: 10),
        ]
        let c = RowClassifier.classify(rows: [], existing: existing, metric: .value, years: [2021])
        #expect(c.toDelete == [Self.key(2021, region: 1)])
        #expect(c.toClear == [Self.key(2021, region: 2)])
        #expect(c.deleted == 2)
    }
}

@Suite("Facts")
struct FactTests {
    @Test(arguments: [
        (Fact(key: RowClassifierTests.key(2020), value: 3), true),
        (Fact(key: RowClassifierTests.key(2020), valueKr: 12.5), true),
        (Fact(key: RowClassifierTests.key(2020)), false),
        (Fact(key: RowClassifierTests.key(2020), value: -1), false),
        (Fact(key: RowClassifierTests.key(2020), value: .infinity), false),
        (Fact(key: RowClassifierTests.key(2020), value: 1, valueKr: -2), false),
    ])
    func storable(_ fact: Fact, _ expected: Bool) {
        #expect(fact.isStorable == expected)
    }

    @Test(arguments: [("2024-02-29", true), ("2023-02-29", false), ("2024-02-30", false), ("2024-13-01", false), ("1900-02-29", false), ("2000-02-29", true)])
    func civilDates(_ text: String, _ valid: Bool) {
        #expect((CivilDate(text) != nil) == valid)
        if valid { #expect(CivilDate(text)?.description == text) }
    }
}

@Suite("Slices")
struct SliceTests {
    @Test func canonicalJSONIsStableAndSorted() {
        let a = Slice(dataset: "ssb-12058", dimCode: 5, filters: [.region: [50301, 59003], .buildingType: [64]], years: YearWindow(first: 2015, last: 2024))
        let b = Slice(dataset: "ssb-12058", dimCode: 5, filters: [.buildingType: [64], .region: [59003, 50301]], years: YearWindow(first: 2024, last: 2015))
        #expect(a.canonicalJSON == b.canonicalJSON)
        #expect(a.canonicalJSON == #"{"dataset":"ssb-12058","dim_code":5,"filters":{"building_age":null,"building_type":[64],"fire_type":null,"region":[50301,59003]},"metric":"value","years":[2015,2024]}"#)
    }

    @Test func keySetMembershipIsNullAsAll() {
        let slice = Slice(dataset: "d", dimCode: 5, filters: [.region: [1, 2]], years: YearWindow(first: 2020, last: 2021))
        let keys = SliceKeySet(slice: slice, sourceID: 5)
        #expect(keys.contains(FactKey(sourceID: 5, dimCode: 5, catCode: 1, period: .year(2020), region: 2)))
        #expect(!keys.contains(FactKey(sourceID: 5, dimCode: 5, catCode: 1, period: .year(2020), region: nil)))
        #expect(!keys.contains(FactKey(sourceID: 5, dimCode: 5, catCode: 1, period: .year(2020), buildingType: 64, region: 1)))
        #expect(!keys.contains(FactKey(sourceID: 5, dimCode: 5, catCode: 1, period: .year(2019), region: 1)))
    }
}
