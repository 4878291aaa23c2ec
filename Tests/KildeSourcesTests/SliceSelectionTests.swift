import KildeCatalog
import KildeCore
import KildeSources
import Testing

/// Narrowing a dataset's slice plan to a selection: a pure function of the plan and the selection, checked over
/// the real SSB plans built from the bundled catalogue.
@Suite("Slice plan narrowing")
struct SliceSelectionTests {
    static let planYears = YearWindow(first: 2015, last: 2024)
    static let oslo = 50301, bergen = 54601, osloCounty = 59003, residential = 64

    /// One planned slice, reduced to what narrowing changes: its building-type and region filters and its window.
    struct Planned: Hashable, CustomStringConvertible {
        var buildingType: [Int]?
        var region: [Int]?
        var years: YearWindow?

        init(_ buildingType: [Int]?, _ region: [Int]?, _ years: YearWindow? = SliceSelectionTests.planYears) {
            self.buildingType = buildingType
            self.region = region
            self.years = years
        }

        init(_ s: Slice) {
            self.init(s.filters[.buildingType], s.filters[.region], s.years)
        }

        var description: String { "bt=\(buildingType.map(\.description) ?? "NULL") region=\(region.map { $0.count > 3 ? "(\($0.count))" : $0.description } ?? "NULL") \(years.map { "\($0.first)-\($0.last)" } ?? "all")" }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var dataset: String
        var selection: SliceSelection
        /// The narrowed plan, or the axis and filter id the narrowing must refuse.
        var expected: Result<[Planned], UnplannedFilter>
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "no selection keeps the whole plan", dataset: "ssb-12058", selection: .everything,
             expected: .success([Planned([residential], nil), Planned([residential], []), Planned(nil, nil), Planned(nil, [])])),
        Case(name: "years alone replace every window", dataset: "ssb-12058", selection: SliceSelection(years: YearWindow(first: 2020, last: 2021)),
             expected: .success([Planned([residential], nil, YearWindow(first: 2020, last: 2021)), Planned([residential], [], YearWindow(first: 2020, last: 2021)),
                                 Planned(nil, nil, YearWindow(first: 2020, last: 2021)), Planned(nil, [], YearWindow(first: 2020, last: 2021))])),
        Case(name: "one region: both building-type choices, cut to that region; the national slices go", dataset: "ssb-12058",
             selection: SliceSelection(filters: [.region: [oslo]], years: YearWindow(first: 2020, last: 2022)),
             expected: .success([Planned([residential], [oslo], YearWindow(first: 2020, last: 2022)), Planned(nil, [oslo], YearWindow(first: 2020, last: 2022))])),
        Case(name: "two regions stay one request per building-type choice", dataset: "ssb-12058",
             selection: SliceSelection(filters: [.region: [bergen, oslo]]),
             expected: .success([Planned([residential], [oslo, bergen]), Planned(nil, [oslo, bergen])])),
        Case(name: "a county aggregate is a planned region of 12058", dataset: "ssb-12058",
             selection: SliceSelection(filters: [.region: [osloCounty, oslo]]),
             expected: .success([Planned([residential], [oslo, osloCounty]), Planned(nil, [oslo, osloCounty])])),
        Case(name: "building type alone keeps its national and regional slices", dataset: "ssb-12058",
             selection: SliceSelection(filters: [.buildingType: [residential]]),
             expected: .success([Planned([residential], nil), Planned([residential], [])])),
        Case(name: "building type and region: one slice", dataset: "ssb-12058",
             selection: SliceSelection(filters: [.buildingType: [residential], .region: [oslo]]),
             expected: .success([Planned([residential], [oslo])])),
        Case(name: "08764: one kommune", dataset: "ssb-08764", selection: SliceSelection(filters: [.region: [oslo]]),
             expected: .success([Planned(nil, [oslo], nil)])),
        Case(name: "an axis the plan never filters on", dataset: "ssb-12058", selection: SliceSelection(filters: [.fireType: [1]]),
             expected: .failure(UnplannedFilter(axis: .fireType, filterID: 1, plannedAxes: [.buildingType, .region]))),
        Case(name: "a region id no slice lists", dataset: "ssb-12058", selection: SliceSelection(filters: [.region: [oslo, 99999]]),
             expected: .failure(UnplannedFilter(axis: .region, filterID: 99999, plannedAxes: [.buildingType, .region]))),
        Case(name: "08764: a county aggregate of 12058 only", dataset: "ssb-08764", selection: SliceSelection(filters: [.region: [osloCounty]]),
             expected: .failure(UnplannedFilter(axis: .region, filterID: osloCounty, plannedAxes: [.region]))),
        Case(name: "08764: a building type, which its plan has no axis for", dataset: "ssb-08764",
             selection: SliceSelection(filters: [.buildingType: [residential], .region: [oslo]]),
             expected: .failure(UnplannedFilter(axis: .buildingType, filterID: residential, plannedAxes: [.region]))),
    ]

    @Test(arguments: cases)
    func narrowsTheDefaultPlan(_ c: Case) throws {
        let registry = try BundledCatalog.registry()
        let ds = try #require(registry.dataset(key: c.dataset))
        let adapter = try PxWebFixtures.adapter(c.dataset, registry: registry)
        let plan = try adapter.plan(PxWebPrepared(metadata: PxWebMetadata(title: nil, variables: [], updated: nil),
                                                  years: ds.key == "ssb-12058" ? Self.planYears : nil))
        // `[]` in an expectation stands for the plan's own all-regions list.
        let allRegions = try #require(plan.compactMap { $0.filters[.region] }.first)
        func resolved(_ p: Planned) -> Planned { p.region == [] ? Planned(p.buildingType, allRegions, p.years) : p }
        switch c.expected {
        case .success(let expected):
            let narrowed = try c.selection.narrow(plan)
            #expect(narrowed.map(Planned.init) == expected.map(resolved))
            #expect(narrowed.allSatisfy { $0.dataset == c.dataset && $0.dimCode == ds.dimCode })
        case .failure(let expected):
            #expect(throws: expected) { try c.selection.narrow(plan) }
            // Through the adapter: an IngestError naming the dataset, the axis and the native code.
            let error = #expect(throws: IngestError.self) { try adapter.narrow(plan, to: c.selection, registry: registry) }
            #expect(error?.code == .filterNotPlanned)
            #expect(error?.dataset == c.dataset)
            #expect(error?.description.contains(expected.axis.rawValue) == true)
            if let native = registry.filter(id: expected.filterID)?.nativeCode {
                #expect(error?.description.contains("'\(native)'") == true, "\(error?.description ?? "")")
            }
        }
    }

    @Test func slicesNarrowingToTheSameSliceAreKeptOnce() throws {
        let plan = [Slice(dataset: "d", dimCode: 1, filters: [.region: [1, 2]]), Slice(dataset: "d", dimCode: 1, filters: [.region: [2, 3]])]
        let narrowed = try SliceSelection(filters: [.region: [2]]).narrow(plan)
        #expect(narrowed == [Slice(dataset: "d", dimCode: 1, filters: [.region: [2]])])
    }
}
