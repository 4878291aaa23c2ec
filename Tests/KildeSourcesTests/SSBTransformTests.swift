import KildeCatalog
import KildeCore
import KildeSources
import KildeUpstream
import Testing

@Suite("SSB transform (table 12058 and 08764)")
struct SSBTransformTests {
    let registry: Registry
    let fires: SSBAdapter
    let children: SSBAdapter

    init() throws {
        registry = try BundledCatalog.registry()
        fires = SSBAdapter(dataset: try #require(registry.dataset(key: "ssb-12058")), table: .fires12058)
        children = SSBAdapter(dataset: try #require(registry.dataset(key: "ssb-08764")), table: .lowIncomeChildren08764)
    }

    /// A JSON-stat 2.0 response in the shape PxWeb returns for 12058.
    static func response(regions: [String], contents: [String], years: [String], values: [String], status: String = "", regionID: String = "KOKkommuneregion0000") -> UpstreamResponse {
        func dim(_ id: String, _ codes: [String]) -> String {
            "\"\(id)\":{\"label\":\"\(id)\",\"category\":{\"index\":{\(codes.enumerated().map { "\"\($1)\":\($0)" }.joined(separator: ","))},\"label\":{\(codes.map { "\"\($0)\":\"\($0) label\"" }.joined(separator: ","))}}}"
        }
        let text = """
            {"version":"2.0","class":"dataset","label":"test","id":["\(regionID)","ContentsCode","Tid"],"size":[\(regions.count),\(contents.count),\(years.count)],
             "dimension":{\(dim(regionID, regions)),\(dim("ContentsCode", contents)),\(dim("Tid", years))},
             "value":[\(values.joined(separator: ","))]\(status)}
            """
        return UpstreamResponse(request: UpstreamRequest(url: "http://sim/test"), status: 200, contentType: "application/json", body: Array(text.utf8), isDemo: true, attempts: 1)
    }

    @Test func nationalResidentialSlice() throws {
        let slice = Slice(dataset: "ssb-12058", dimCode: 5, filters: [.buildingType: [64]], years: YearWindow(first: 2022, last: 2023))
        let r = Self.response(regions: ["EAK"], contents: ["KOSboligbranner0000"], years: ["2022", "2023"], values: ["1200", "1310"])
        let out = try fires.transform([r], slice: slice, registry: registry)
        #expect(out.facts == [
            Fact(key: FactKey(sourceID: 5, dimCode: 5, catCode: 501, period: .year(2022), buildingType: 64, region: nil), value: 1200),
            Fact(key: FactKey(sourceID: 5, dimCode: 5, catCode: 501, period: .year(2023), buildingType: 64, region: nil), value: 1310),
        ])
        #expect(out.totals == SliceTotals(total: 2510, byYear: [2022: 1200, 2023: 1310]))
        #expect(out.apiTotal == 2510)
    }

    @Test func regionSliceMapsKommunerAndCountiesCountsUnmappedAndKeepsMissingMissing() throws {
        let slice = Slice(dataset: "ssb-12058", dimCode: 5, filters: [.region: [50301, 59003]], years: YearWindow(first: 2023, last: 2023))
        // 1850 Tysfjord no longer exists (merged 2020): not in the catalogue → counted and skipped.
        // A suppressed cell (null, status "..") stays missing; a zero cell is not stored.
        let r = Self.response(regions: ["0301", "EKA03", "1850", "0301x"], contents: ["KOSbygningsbrann0000"], years: ["2023"],
                              values: ["412", "null", "7", "0"], status: ",\"status\":{\"1\":\"..\"}")
        let out = try fires.transform([r], slice: slice, registry: registry)
        #expect(out.facts == [Fact(key: FactKey(sourceID: 5, dimCode: 5, catCode: 502, period: .year(2023), region: 50301), value: 412)])
        #expect(out.skippedUnmapped == 2)
        #expect(out.apiTotal == 419)
        #expect(out.totals.total == 412)
        #expect(out.warnings.contains { $0.contains("1850") })
    }

    @Test func nativeOnlyContentsAreNeverFacts() throws {
        let slice = Slice(dataset: "ssb-12058", dimCode: 5, years: YearWindow(first: 2023, last: 2023))
        let r = Self.response(regions: ["EAK"], contents: ["KOSbygningsbrann0000", "KOSbranner1000innb0000"], years: ["2023"], values: ["3000", "0.55"])
        let out = try fires.transform([r], slice: slice, registry: registry)
        #expect(out.facts.map(\.key.catCode) == [502])
        #expect(out.apiTotal == 3000)
    }

    @Test func splitResponsesAreMerged() throws {
        let slice = Slice(dataset: "ssb-08764", dimCode: 100, filters: [.region: [50301, 55601]], years: YearWindow(first: 2023, last: 2023))
        let a = Self.response(regions: ["0301"], contents: ["Personer"], years: ["2023"], values: ["28402"], regionID: "Region")
        let b = Self.response(regions: ["5601"], contents: ["Personer"], years: ["2023"], values: ["487"], regionID: "Region")
        let out = try children.transform([a, b], slice: slice, registry: registry)
        #expect(out.facts.map(\.value) == [28402, 487])
        #expect(out.facts.map(\.key.region) == [50301, 55601])
    }

    struct Failure: Sendable, CustomTestStringConvertible {
        var name: String
        var response: UpstreamResponse
        var code: IngestError.Code
        var mentions: String
        var testDescription: String { name }
    }

    static let failures: [Failure] = [
        Failure(name: "renamed dimension", response: response(regions: ["EAK"], contents: ["KOSbygningsbrann0000"], years: ["2023"], values: ["1"], regionID: "Region2024"),
                code: .schemaChanged, mentions: "expected dimension 'KOKkommuneregion0000'"),
        Failure(name: "malformed JSON", response: UpstreamResponse(request: .init(url: "http://sim"), status: 200, contentType: nil, body: Array("{\"class\":\"dataset\",\"value\":[1,".utf8), isDemo: true, attempts: 1),
                code: .malformedResponse, mentions: "JSON-stat"),
        Failure(name: "quarter instead of year", response: response(regions: ["EAK"], contents: ["KOSbygningsbrann0000"], years: ["2023K1"], values: ["1"]),
                code: .schemaChanged, mentions: "2023K1"),
        Failure(name: "negative count", response: response(regions: ["EAK"], contents: ["KOSbygningsbrann0000"], years: ["2023"], values: ["-4"]),
                code: .malformedResponse, mentions: "negative"),
    ]

    @Test(arguments: failures)
    func badResponsesFailNamingDatasetSliceAndCause(_ f: Failure) {
        let slice = Slice(dataset: "ssb-12058", dimCode: 5, years: YearWindow(first: 2023, last: 2023))
        let error = #expect(throws: IngestError.self) { try fires.transform([f.response], slice: slice, registry: registry) }
        #expect(error?.code == f.code)
        let text = error?.description ?? ""
        #expect(text.contains("ssb-12058"), "\(text)")
        #expect(text.contains(slice.label), "\(text)")
        #expect(text.contains(f.mentions), "\(text)")
    }
}
