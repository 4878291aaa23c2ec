import KildeCatalog
import KildeCore
import KildeSources
import KildeUpstream
import Testing

/// The transform over pages the simulator rendered (saved in `Pages/`, the numbers read off them by eye): row labels
/// to categories, years and days to periods, the SUM row and column left out and passed on, with SUM × SUM, as the
/// totals the pipeline reconciles with.
@Suite("BRASK transform of saved pages")
struct BRASKTransformTests {
    /// Varm, Beboelse, 16-20: the filter ids every fact carries.
    static let filters: [FilterAxis: [Int]] = [.fireType: [10101], .buildingType: [10201], .buildingAge: [10305]]
    static let yearly = Slice(dataset: "brask-arsak", dimCode: 1, metric: .value, filters: filters)
    static let daily = Slice(dataset: "brask-arsak-daily", dimCode: 1, metric: .valueKr, filters: filters,
                             years: YearWindow(first: 2024, last: 2024), table: .daily)

    static func key(_ cat: Int, _ period: Period) -> FactKey {
        FactKey(sourceID: 1, dimCode: 1, catCode: cat, period: period, fireType: 10101, buildingType: 10201, buildingAge: 10305)
    }

    static func transform(_ page: String, _ slice: Slice, edit: (String) -> String = { $0 }) throws -> TransformOutput {
        let registry = try BundledCatalog.registry()
        let adapter = try BRASKFixtures.adapter(slice.dataset, registry: registry)
        let text = String(decoding: try BRASKFixtures.page(page), as: UTF8.self)
        return try adapter.transform([BRASKFixtures.response(edit(text))], slice: slice, prepared: BRASKPrepared())
    }

    @Test func yearlyPage() throws {
        let out = try Self.transform("yearly-arsak-value.html", Self.yearly)
        #expect(out.facts.contains(Fact(key: Self.key(101, .year(2015)), value: 137)), "Elektrisk 2015")
        #expect(out.facts.contains(Fact(key: Self.key(102, .year(2022)), value: 40)), "Røyking 2022")
        #expect(out.facts.contains(Fact(key: Self.key(199, .year(2025)), value: 88)), "Ukjent 2025 → x99")
        #expect(out.facts.allSatisfy { $0.valueKr == nil && ($0.value ?? 0) > 0 })
        #expect(!out.facts.contains { $0.key.catCode == 0 }, "the SUM row is no fact")
        #expect(out.totals.total == 5750, "the facts add up to SUM × SUM")
        #expect(out.apiTotal == 5750)
        #expect(out.reconcileWith?.total == 5750)
        #expect(out.reconcileWith?.byYear[2024] == 534, "the SUM row per year")
        #expect(out.reconcileWith.flatMap { Reconciliation.gap(written: out.totals, upstream: $0) } == nil)
        #expect(out.warnings.isEmpty && out.skippedUnmapped == 0)
    }

    /// February 2024 has 29 days: days 30 and 31 are empty (or, edited, zero) and never facts; zero days are skipped;
    /// damage goes to `value_kr` in thousands of NOK as printed (`1 031` → 1031).
    @Test(arguments: ["&nbsp;", "0"])
    func dailyPage(_ impossible: String) throws {
        let out = try Self.transform("daily-arsak-2024-02-value-kr.html", Self.daily) { page in
            page.replacingOccurrences(of: "<td>&nbsp;</td>", with: "<td>\(impossible)</td>")
        }
        func day(_ d: Int) -> Period { .day(CivilDate(year: 2024, month: 2, day: d)!) }  // swift-format-ignore: NeverForceUnwrap (real days)
        #expect(out.facts.contains(Fact(key: Self.key(101, day(2)), valueKr: 58)), "Elektrisk 2 February")
        #expect(out.facts.contains(Fact(key: Self.key(101, day(7)), valueKr: 1031)), "grouped thousands")
        #expect(!out.facts.contains { $0.key == Self.key(101, day(1)) }, "a zero cell is not stored")
        #expect(out.facts.allSatisfy { $0.value == nil && ($0.valueKr ?? 0) > 0 })
        #expect(out.facts.allSatisfy { if case .day(let d) = $0.key.period { d.year == 2024 && d.month == 2 && d.day <= 29 } else { false } })
        #expect(out.totals.total == 14635)
        #expect(out.reconcileWith?.total == 14635, "SUM × SUM")
        #expect(out.reconcileWith?.byDay[CivilDate(year: 2024, month: 2, day: 10)!] == 3355)  // swift-format-ignore: NeverForceUnwrap
        #expect(out.reconcileWith.flatMap { Reconciliation.gap(written: out.totals, upstream: $0) } == nil)
        #expect(out.warnings.isEmpty)
    }

    /// A number on 30 February cannot be stored: it is dropped and said.
    @Test func impossibleDayWithANumberIsSaid() throws {
        var first = true
        let out = try Self.transform("daily-arsak-2024-02-value-kr.html", Self.daily) { page in
            guard let r = page.range(of: "<td>&nbsp;</td>") else { return page }
            defer { first = false }
            return first ? page.replacingCharacters(in: r, with: "<td>5</td>") : page
        }
        #expect(out.warnings.contains { $0.contains("2024-02-30") }, "\(out.warnings)")
        #expect(out.totals.total == 14635)
    }

    /// A label without a category is skipped and counted, and the facts then miss SUM × SUM: the pipeline fails the
    /// slice with the gap (as BRIS's missing `Ikke besvart`).
    @Test func unknownLabelLeavesAGap() throws {
        let out = try Self.transform("yearly-arsak-value.html", Self.yearly) { $0.replacingOccurrences(of: "<td>Røyking</td>", with: "<td>Røykning</td>") }
        #expect(out.skippedUnmapped == 11)
        #expect(out.warnings.first?.contains("'Røykning' (340 in all)") == true, "\(out.warnings)")
        let gap = try #require(out.reconcileWith.flatMap { Reconciliation.gap(written: out.totals, upstream: $0) })
        #expect(gap.missing == 340)
        #expect(gap.byYear[2022] == 40)
    }

    /// A SUM × SUM that disagrees with the body is a gap too: it is the upstream's total, not recomputed.
    @Test func sumTimesSumIsTheTotal() throws {
        let out = try Self.transform("yearly-arsak-value.html", Self.yearly) { $0.replacingOccurrences(of: "5\u{00A0}750", with: "5\u{00A0}751") }
        #expect(out.reconcileWith?.total == 5751)
        #expect(out.reconcileWith.flatMap { Reconciliation.gap(written: out.totals, upstream: $0) }?.missing == 1)
    }

    /// No count or damage is negative: a page that prints one fails the slice naming the row and period.
    @Test func negativeCellIsMalformed() throws {
        #expect {
            try Self.transform("yearly-arsak-value.html", Self.yearly) { $0.replacingOccurrences(of: "<td align=\"right\">137</td>", with: "<td align=\"right\">-137</td>") }
        } throws: { e in
            (e as? IngestError)?.code == .malformedResponse && (e as? IngestError)?.description.contains("row 'Elektrisk' has -137 at 2015") == true
        }
    }

    /// A daily page must say which month it shows; a yearly page's columns must be years.
    @Test func pagesThatCannotBeRead() throws {
        #expect(throws: IngestError.self) { try Self.transform("yearly-arsak-value.html", Self.daily) }
        #expect(throws: IngestError.self) { try Self.transform("daily-arsak-2024-02-value-kr.html", Self.yearly) }
        #expect(throws: IngestError.self) { try Self.transform("error-no-data.html", Self.yearly) }
    }
}
