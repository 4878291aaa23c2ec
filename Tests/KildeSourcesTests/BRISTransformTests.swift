import KildeCatalog
import KildeCore
import KildeSources
import KildeUpstream
import Testing

@Suite("BRIS transform and reconciliation totals")
struct BRISTransformTests {
    static let slice = Slice(dataset: "bris-police-arsak", dimCode: 1, filters: [.fireType: [20102], .buildingType: [20201]])

    static func key(_ cat: Int, _ period: Period) -> FactKey {
        FactKey(sourceID: 2, dimCode: 1, catCode: cat, period: period, fireType: 20102, buildingType: 20201)
    }

    /// A yearly answer: labels → categories by `native_api_code`, `-1` → `Ikke besvart` (199), zero entries not stored,
    /// each row with the slice's mission type and building group, the declared total (wider than the buckets) as the
    /// API total, and the series as the totals to reconcile with.
    @Test func yearlyAnswer() throws {
        let adapter = try BRISFixtures.adapter("bris-police-arsak", registry: try BundledCatalog.registry())
        let answer = BRISFixtures.answer([
            ("Påsatt brann", [("2016-01-01", 557), ("2017-01-01", 612), ("2018-01-01", 0)]),
            ("Røyking", [("2017-01-01", 31)]),
            ("-1", [("2016-01-01", 6)]),
        ], total: 1300)
        let out = try adapter.transform([answer], slice: Self.slice, prepared: BRISPrepared())
        #expect(Set(out.facts) == [
            Fact(key: Self.key(101, .year(2016)), value: 557), Fact(key: Self.key(101, .year(2017)), value: 612),
            Fact(key: Self.key(102, .year(2017)), value: 31), Fact(key: Self.key(199, .year(2016)), value: 6),
        ])
        #expect(out.facts.count == 4)
        #expect(out.totals == SliceTotals(total: 1206, byYear: [2016: 563, 2017: 643]))
        #expect(out.reconcileWith == out.totals)
        #expect(out.apiTotal == 1300)
        #expect(out.warnings.isEmpty && out.skippedUnmapped == 0)
    }

    struct Gap: Sendable, CustomTestStringConvertible {
        var name: String
        var dropIkkeBesvart: Bool
        var buckets: [(String, [(String, Int)])]
        var missing: [Int: Double]
        var warning: String
        var testDescription: String { name }
    }

    static let gaps: [Gap] = [
        Gap(name: "a dimension without its Ikke besvart row", dropIkkeBesvart: true,
            buckets: [("Røyking", [("2016-01-01", 10)]), ("-1", [("2016-01-01", 6), ("2017-01-01", 4)])],
            missing: [2016: 6, 2017: 4], warning: "skipped bucket '-1' (10 missions): no category of source bris-police dim 1 has native_api_code '-1' (the missing-answer row"),
        Gap(name: "a label the catalogue does not know", dropIkkeBesvart: false,
            buckets: [("Røyking", [("2016-01-01", 10)]), ("Gnist fra pipe", [("2017-01-01", 3)])],
            missing: [2017: 3], warning: "skipped bucket 'Gnist fra pipe' (3 missions)"),
    ]

    /// What the catalogue cannot place is not stored, but stays in the totals to reconcile with: the pipeline fails
    /// the slice on the gap.
    @Test(arguments: gaps)
    func unmappedBucketsLeaveAGap(_ c: Gap) throws {
        let registry = try BRISFixtures.registry { catalog in
            if c.dropIkkeBesvart { catalog.categories.removeAll { $0.sourceID == 2 && $0.dimCode == 1 && $0.nativeAPICode == "-1" } }
        }
        let adapter = try BRISFixtures.adapter("bris-police-arsak", registry: registry)
        let out = try adapter.transform([BRISFixtures.answer(c.buckets)], slice: Self.slice, prepared: BRISPrepared())
        #expect(out.facts == [Fact(key: Self.key(102, .year(2016)), value: 10)])
        let upstream = try #require(out.reconcileWith)
        let gap = try #require(Reconciliation.gap(written: out.totals, upstream: upstream))
        #expect(gap.byYear == c.missing)
        #expect(gap.missing == c.missing.values.reduce(0, +))
        #expect(out.warnings.count == 1)
        #expect(out.warnings.first?.hasPrefix(c.warning) == true, "\(out.warnings)")
        #expect(out.skippedUnmapped == c.buckets[1].1.count)
    }

    /// A DAY answer pads every calendar day with zeros: only days with missions become rows, dated by their UTC day.
    @Test func dailyAnswer() throws {
        let adapter = try BRISFixtures.adapter("bris-police-arsak-daily", registry: try BundledCatalog.registry())
        let slice = Slice(dataset: "bris-police-arsak-daily", dimCode: 1, filters: [.fireType: [20101]], table: .daily)
        let days = (1...29).map { d in ("2024-02-\(d < 10 ? "0" : "")\(d)", d == 29 ? 2 : d == 3 ? 1 : 0) }
        let out = try adapter.transform([BRISFixtures.answer([("Levende lys", days)])], slice: slice, prepared: BRISPrepared())
        let dates = try [#require(CivilDate("2024-02-03")), #require(CivilDate("2024-02-29"))]
        #expect(Set(out.facts) == Set(dates.enumerated().map { i, d in
            Fact(key: FactKey(sourceID: 2, dimCode: 1, catCode: 106, period: .day(d), fireType: 20101), value: Double(i + 1))
        }))
        #expect(out.facts.count == 2)
        #expect(out.totals.byMonth == [202402: 3])
        #expect(out.reconcileWith == out.totals)
    }

    /// Entries outside the slice's window belong to no slice of this run.
    @Test func windowKeepsItsYears() throws {
        let adapter = try BRISFixtures.adapter("bris-brigade-arsak", registry: try BundledCatalog.registry())
        let slice = Slice(dataset: "bris-brigade-arsak", dimCode: 1, filters: [.fireType: [30101]], years: YearWindow(first: 2017, last: 2017))
        let out = try adapter.transform([BRISFixtures.answer([("Røyking", [("2016-01-01", 5), ("2017-01-01", 7)])])], slice: slice, prepared: BRISPrepared())
        #expect(out.facts.map(\.key.period) == [.year(2017)])
        #expect(out.reconcileWith?.total == 7)
    }

    struct Broken: Sendable, CustomTestStringConvertible {
        var name: String
        var body: String
        var code: IngestError.Code
        var says: String
        var testDescription: String { name }
    }

    static func bucket(_ series: String) -> String {
        "{\"result\":[{\"buckets\":{\"Røyking\":{\"count\":1,\"subAggregationBuckets\":{\(series)}}},\"total\":1}]}"
    }

    static let broken: [Broken] = [
        Broken(name: "Oslo midnight instead of UTC", body: bucket("\"1451602800000\":{\"count\":1}"), code: .schemaChanged,
               says: "series key 1451602800000 (2015-12-31, not midnight UTC) does not start a UTC year"),
        Broken(name: "a month's start in a yearly answer", body: bucket("\"1454284800000\":{\"count\":1}"), code: .schemaChanged,
               says: "(2016-02-01, midnight UTC) does not start a UTC year"),
        Broken(name: "a key that is no number", body: bucket("\"2016\":{\"count\":1}"), code: .schemaChanged, says: "does not start a UTC year"),
        Broken(name: "a key that is no integer", body: bucket("\"2016-01-01\":{\"count\":1}"), code: .malformedResponse, says: "is not epoch milliseconds"),
        Broken(name: "a negative count", body: bucket("\"1451606400000\":{\"count\":-2}"), code: .malformedResponse, says: "has count -2.0 at 2016"),
        Broken(name: "no result", body: "{\"result\":[]}", code: .malformedResponse, says: "expected one result, got 0"),
        Broken(name: "not BRIS at all", body: "<html>Service Unavailable</html>", code: .malformedResponse, says: "not a BRIS aggregation answer"),
        Broken(name: "a count that is text", body: bucket("\"1451606400000\":{\"count\":\"many\"}"), code: .malformedResponse, says: "not a BRIS aggregation answer"),
    ]

    @Test(arguments: broken)
    func refusesBrokenAnswers(_ c: Broken) throws {
        let adapter = try BRISFixtures.adapter("bris-police-arsak", registry: try BundledCatalog.registry())
        let error = #expect(throws: IngestError.self) {
            _ = try adapter.transform([BRISFixtures.raw(c.body)], slice: Self.slice, prepared: BRISPrepared())
        }
        #expect(error?.code == c.code)
        #expect(error?.description.contains(c.says) == true, "\(error?.description ?? "")")
    }

    @Test func auditNamesADimensionWithoutItsMissingAnswerRow() throws {
        let full = try BRISFixtures.adapter("bris-dsb-arsak", registry: try BundledCatalog.registry())
        #expect(full.audit(BRISPrepared()).isEmpty)
        let registry = try BRISFixtures.registry { $0.categories.removeAll { $0.sourceID == 4 && $0.nativeAPICode == "-1" } }
        let findings = try BRISFixtures.adapter("bris-dsb-arsak", registry: registry).audit(BRISPrepared())
        #expect(findings.map(\.severity) == [.problem])
        #expect(findings.first?.message.contains("bris-dsb dim 1 has no category with native_api_code '-1'") == true)
    }
}
