import KildeCatalog
import KildeCore
import KildeSources
import KildeUpstream
import Testing

@Suite("BRIS request building")
struct BRISRequestTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var dataset: String
        var filters: [FilterAxis: [Int]]
        var years: YearWindow?
        var path: String
        var body: String
        var testDescription: String { name }
    }

    static let histogramYear = #""nextLevelAggregationDefinition":{"interval":"YEAR","name":"MISSION_CALL_TIME_YEAR","type":"DATE_HISTOGRAM"}"#

    static let cases: [Case] = [
        Case(name: "Police: one mission type and one Matrikkel group, every year", dataset: "bris-police-arsak",
             filters: [.fireType: [20102], .buildingType: [20201]], years: nil, path: "/api/v1/missionreports/aggregate",
             body: #"{"buildingTypes":["0"],"# + histogramYear + #","questionId":407,"revisedMissionTypes":{"ids":["10086"]}}"#),
        Case(name: "Police: all buildings (building type NULL) leaves buildingTypes out", dataset: "bris-police-arnested",
             filters: [.fireType: [20104]], years: nil, path: "/api/v1/missionreports/aggregate",
             body: "{" + histogramYear + #","questionId":410,"revisedMissionTypes":{"ids":["10175"]}}"#),
        Case(name: "Brigade: the restricted endpoint, its own question id, a window", dataset: "bris-brigade-arsak",
             filters: [.fireType: [30101]], years: YearWindow(first: 2019, last: 2024), path: "/api/v1/missionreports/restrictedaggregation",
             body: #"{"dateRange":{"end":"2024-12-31","start":"2019-01-01"},"# + histogramYear + #","questionId":269,"revisedMissionTypes":{"ids":["10026"]}}"#),
        Case(name: "DSB: restricted, question 531", dataset: "bris-dsb-arsak", filters: [.fireType: [40103]], years: nil,
             path: "/api/v1/missionreports/restrictedaggregation",
             body: "{" + histogramYear + #","questionId":531,"revisedMissionTypes":{"ids":["10212"]}}"#),
        Case(name: "no mission type (NULL: all of them) leaves revisedMissionTypes out", dataset: "bris-dsb-arsak", filters: [:], years: nil,
             path: "/api/v1/missionreports/restrictedaggregation", body: "{" + histogramYear + #","questionId":531}"#),
    ]

    @Test(arguments: cases)
    func body(_ c: Case) throws {
        let registry = try BundledCatalog.registry()
        let adapter = try BRISFixtures.adapter(c.dataset, registry: registry)
        let ds = try #require(registry.dataset(key: c.dataset))
        let slice = Slice(dataset: c.dataset, dimCode: ds.dimCode, filters: c.filters, years: c.years, table: FactTable(ds.grain))
        let requests = try PxWebFixtures.requests(adapter.fetch(slice, run: [slice], prepared: BRISPrepared()))
        #expect(requests.count == 1)
        let r = try #require(requests.first)
        #expect(r.method == "POST")
        #expect(r.url == BRISFixtures.base + c.path)
        #expect(String(decoding: r.body ?? [], as: UTF8.self) == c.body)
        #expect(r.headers.contains { $0.0 == "Content-Type" && $0.1 == "application/json" })
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        var name: String
        var dataset: String
        var filters: [FilterAxis: [Int]]
        var code: IngestError.Code
        var says: String
        var testDescription: String { name }
    }

    static let refusals: [Refusal] = [
        Refusal(name: "two mission types in one slice", dataset: "bris-police-arsak", filters: [.fireType: [20101, 20102]], code: .invalidSlice,
                says: "one fire_type per BRIS slice"),
        Refusal(name: "another source's mission type", dataset: "bris-brigade-arsak", filters: [.fireType: [20101]], code: .filterNotInRegistry,
                says: "fire_type filter 20101 is not a filter of source bris-brigade"),
        Refusal(name: "a region", dataset: "bris-police-arsak", filters: [.fireType: [20101], .region: [50301]], code: .invalidSlice,
                says: "no region axis"),
        Refusal(name: "a building type on the restricted endpoint", dataset: "bris-brigade-arsak", filters: [.fireType: [30101], .buildingType: [39999]],
                code: .invalidSlice, says: "/restrictedaggregation takes no building types"),
    ]

    @Test(arguments: refusals)
    func refuses(_ c: Refusal) throws {
        // A building-type row for the brigades exists only here, to reach the endpoint's own refusal.
        let registry = try BRISFixtures.registry { c in
            c.filters.append(Filter(id: 39999, sourceID: 3, axis: .buildingType, nativeCode: "0", nativeName: "Bolig", standardCode: "RESIDENTIAL",
                                    applicableDimCodes: [1], sortOrder: 1))
        }
        let adapter = try BRISFixtures.adapter(c.dataset, registry: registry)
        let slice = Slice(dataset: c.dataset, dimCode: 1, filters: c.filters)
        let error = #expect(throws: IngestError.self) { _ = try adapter.fetch(slice, run: [slice], prepared: BRISPrepared()) }
        #expect(error?.code == c.code)
        #expect(error?.description.contains(c.says) == true, "\(error?.description ?? "")")
    }

    /// The plan is explicit and countable: one slice per mission type, and for the Police each also per Matrikkel group
    /// and for all buildings.
    @Test(arguments: [("bris-police-arsak", 4 * (1 + 8)), ("bris-police-arnested", 4 * 9), ("bris-brigade-arsak", 4), ("bris-dsb-arsak", 3),
                      ("bris-police-arsak-daily", 4)])
    func plan(_ dataset: String, _ count: Int) throws {
        let registry = try BundledCatalog.registry()
        let adapter = try BRISFixtures.adapter(dataset, registry: registry)
        let slices = try adapter.plan(BRISPrepared())
        #expect(slices.count == count)
        #expect(Set(slices).count == count)
        #expect(slices.allSatisfy { $0.filters[.fireType]?.count == 1 && ($0.filters[.buildingType]?.count ?? 1) == 1 && $0.years == nil })
        let ds = try #require(registry.dataset(key: dataset))
        #expect(slices.allSatisfy { $0.table == FactTable(ds.grain) && $0.dimCode == ds.dimCode })
    }

    struct BadOptions: Sendable, CustomTestStringConvertible {
        var name: String
        var change: @Sendable (inout DatasetDefinition) -> Void
        var code: IngestError.Code
        var testDescription: String { name }
    }

    static let badOptions: [BadOptions] = [
        BadOptions(name: "no question id", change: { $0.options["question"] = nil }, code: .invalidSlice),
        BadOptions(name: "a question id that is no number", change: { $0.options["question"] = "Årsak" }, code: .invalidSlice),
        BadOptions(name: "building types asked of the restricted endpoint", change: { $0.sourceID = 3; $0.options["building_types"] = "true" },
                   code: .invalidSlice),
        BadOptions(name: "a quarterly grain: BRIS has no such histogram", change: { $0.grain = .quarter }, code: .grainNotSupported),
        BadOptions(name: "daily data from the brigades, whose endpoint serves years only", change: { $0.sourceID = 3; $0.grain = .day },
                   code: .grainNotSupported),
        BadOptions(name: "daily data from DSB", change: { $0.sourceID = 4; $0.grain = .day }, code: .grainNotSupported),
    ]

    /// Through the kinds registry, as the pipeline and `kilde catalog --check` make adapters.
    @Test(arguments: badOptions)
    func refusesOptions(_ c: BadOptions) async throws {
        let registry = try BundledCatalog.registry()
        var ds = try #require(registry.dataset(key: "bris-police-arsak"))
        c.change(&ds)
        let error = try await Self.refusal(ds, registry: registry)
        #expect(error?.code == c.code, "\(error?.description ?? "no error")")
    }

    @Test func dailySSBDatasetIsRefusedLikeBRIS() async throws {
        let registry = try BundledCatalog.registry()
        var ds = try #require(registry.dataset(key: "ssb-12058"))
        ds.grain = .day
        let error = try await Self.refusal(ds, registry: registry)
        #expect(error?.code == .grainNotSupported)
        #expect(error?.description.contains("source 'ssb' serves yearly data only") == true)
    }

    /// The error making `ds`'s adapter gives, if any.
    static func refusal(_ ds: DatasetDefinition, registry: Registry) async throws -> IngestError? {
        let fetcher = HTTPFetcher()
        var caught: IngestError?
        do { _ = try AdapterKinds.builtIn.adapter(for: ds, registry: registry, upstream: Upstream(fetcher: fetcher)) } catch { caught = error }
        try await fetcher.shutdown()
        return caught
    }
}
