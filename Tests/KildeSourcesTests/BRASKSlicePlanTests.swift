import KildeCatalog
import KildeCore
import KildeSources
import Testing

@Suite("BRASK slice plans, counted before they run")
struct BRASKSlicePlanTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var dataset: String
        var selection: [FilterAxis: [String]]
        var metric: Metric?
        var count: Int
        var testDescription: String { "\(dataset) \(selection) \(metric?.rawValue ?? "both metrics") → \(count)" }
    }

    /// Seed 001: 2 fire types × 23 næringer × 13 bygningsalder brackets = 598 slices per characteristic, metric and
    /// window; næring fixed to Beboelse gives 2 × 1 × 13 = 26. Both metric passes double them. Bygningsalder as its
    /// own dimension (6) is not crossed with itself: 2 × 23.
    static let cases: [Case] = [
        Case(dataset: "brask-arsak", selection: [:], metric: .value, count: 598),
        Case(dataset: "brask-arsak", selection: [:], metric: .valueKr, count: 598),
        Case(dataset: "brask-arsak", selection: [:], metric: nil, count: 1196),
        Case(dataset: "brask-arsak", selection: [.buildingType: ["0"]], metric: .value, count: 26),
        Case(dataset: "brask-arsak", selection: [.buildingType: ["RESIDENTIAL"]], metric: .value, count: 26),
        Case(dataset: "brask-arsak", selection: [.buildingType: ["INDUSTRY"]], metric: .value, count: 2 * 7 * 13),
        Case(dataset: "brask-arsak", selection: [.buildingType: ["0"], .fireType: ["1"]], metric: nil, count: 26),
        Case(dataset: "brask-arsak-daily", selection: [.buildingType: ["0"]], metric: .value, count: 26),
        Case(dataset: "brask-kilde", selection: [:], metric: .value, count: 598),
        Case(dataset: "brask-bygningsalder", selection: [:], metric: .value, count: 46),
    ]

    @Test(arguments: cases)
    func counts(_ c: Case) throws {
        let registry = try BundledCatalog.registry()
        let adapter = try BRASKFixtures.adapter(c.dataset, registry: registry)
        let ds = try #require(registry.dataset(key: c.dataset))
        let ids = try registry.filterIDs(tokens: c.selection, source: ds.sourceID, dimCode: ds.dimCode)
        let window = YearWindow(first: 2024, last: 2024)
        let slices = try adapter.narrow(try adapter.plan(BRASKPrepared()), to: SliceSelection(filters: ids, years: window, metric: c.metric), registry: registry)
        #expect(slices.count == c.count)
        // Every slice is one value per crossed axis, the window asked for, and distinct.
        #expect(Set(slices).count == slices.count)
        #expect(slices.allSatisfy { $0.years == window && $0.filters.values.allSatisfy { $0.count == 1 } && $0.filters[.region] == nil })
        #expect(slices.allSatisfy { $0.table == (ds.grain == .year ? .yearly : .daily) })
    }

    /// The value pass comes first, then value_kr over the same keys.
    @Test func metricPassesCoverTheSameKeys() throws {
        let registry = try BundledCatalog.registry()
        let slices = try BRASKFixtures.adapter("brask-arsak", registry: registry).plan(BRASKPrepared())
        let value = slices.filter { $0.metric == .value }, kr = slices.filter { $0.metric == .valueKr }
        #expect(slices.prefix(value.count).allSatisfy { $0.metric == .value })
        #expect(value.map(\.filters) == kr.map(\.filters))
    }
}
