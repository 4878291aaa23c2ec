import KildeCatalog
import KildeCore
import KildeSources
import KildeUpstream
import Testing

@Suite("PxWeb transform (tables 12058, 08764 and TAB6471)")
struct PxWebTransformTests {
    let registry: Registry
    let fires: PxWebAdapter
    let children: PxWebAdapter
    let prepared: PxWebPrepared

    init() throws {
        registry = try PxWebFixtures.registry()
        fires = try PxWebFixtures.adapter("ssb-12058", registry: registry)
        children = try PxWebFixtures.adapter("ssb-08764", registry: registry)
        prepared = PxWebFixtures.fires(registry)
    }

    /// A JSON-stat 2.0 response in the shape PxWeb returns for 12058.
    static func response(regions: [String], contents: [String], years: [String], values: [String], status: String = "",
                         regionID: String = "KOKkommuneregion0000") -> UpstreamResponse {
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
        let out = try fires.transform([r], slice: slice, prepared: prepared)
        #expect(out.facts == [
            Fact(key: FactKey(sourceID: 5, dimCode: 5, catCode: 501, period: .year(2022), buildingType: 64, region: nil), value: 1200),
            Fact(key: FactKey(sourceID: 5, dimCode: 5, catCode: 501, period: .year(2023), buildingType: 64, region: nil), value: 1310),
        ])
        #expect(out.totals == SliceTotals(total: 2510, byYear: [2022: 1200, 2023: 1310]))
        #expect(out.apiTotal == 2510)
        #expect(out.warnings.isEmpty)
    }

    @Test func regionSliceMapsKommunerAndCountiesCountsUnmappedAndKeepsMissingMissing() throws {
        let slice = Slice(dataset: "ssb-12058", dimCode: 5, filters: [.region: [50301, 59003]], years: YearWindow(first: 2023, last: 2023))
        // EKG13 (a KOSTRA group of kommuner) and 0301x are not in the catalogue → counted and skipped.
        // A suppressed cell (null, status "..") stays missing; a zero cell is not stored.
        let r = Self.response(regions: ["0301", "EKA03", "EKG13", "0301x", "4601"], contents: ["KOSbygningsbrann0000"], years: ["2023"],
                              values: ["412", "null", "7", "0", "300"], status: ",\"status\":{\"1\":\"..\"}")
        let out = try fires.transform([r], slice: slice, prepared: prepared)
        #expect(out.facts == [Fact(key: FactKey(sourceID: 5, dimCode: 5, catCode: 502, period: .year(2023), region: 50301), value: 412)])
        #expect(out.skippedUnmapped == 2)
        #expect(out.apiTotal == 419, "Bergen (4601) belongs to no slice asking for it here: neither stored nor counted")
        #expect(out.totals.total == 412)
        #expect(out.warnings.contains { $0.contains("EKG13") })
    }

    /// One response answers every slice of a run: each slice takes its own cells and leaves the others'.
    @Test func aSharedResponseIsSplitBetweenTheRunsSlices() throws {
        let r = Self.response(regions: ["EAK", "0301"], contents: ["KOSbygningsbrann0000", "KOSboligbranner0000"], years: ["2023"],
                              values: ["3000", "1800", "412", "250"])
        let slices = [
            Slice(dataset: "ssb-12058", dimCode: 5, filters: [.buildingType: [64]], years: YearWindow(first: 2023, last: 2023)),
            Slice(dataset: "ssb-12058", dimCode: 5, filters: [.buildingType: [64], .region: [50301]], years: YearWindow(first: 2023, last: 2023)),
            Slice(dataset: "ssb-12058", dimCode: 5, years: YearWindow(first: 2023, last: 2023)),
            Slice(dataset: "ssb-12058", dimCode: 5, filters: [.region: [50301]], years: YearWindow(first: 2023, last: 2023)),
        ]
        let values = try slices.map { try fires.transform([r], slice: $0, prepared: prepared).facts.map { $0.value ?? -1 } }
        #expect(values == [[1800], [250], [3000], [412]])
    }

    @Test func nativeOnlyContentsAreNeverFacts() throws {
        let slice = Slice(dataset: "ssb-12058", dimCode: 5, years: YearWindow(first: 2023, last: 2023))
        let r = Self.response(regions: ["EAK"], contents: ["KOSbygningsbrann0000", "KOSbranner1000innb0000"], years: ["2023"], values: ["3000", "0.55"])
        let out = try fires.transform([r], slice: slice, prepared: prepared)
        #expect(out.facts.map(\.key.catCode) == [502])
        #expect(out.apiTotal == 3000)
    }

    @Test func splitResponsesAreMerged() throws {
        let slice = Slice(dataset: "ssb-08764", dimCode: 100, filters: [.region: [50301, 55601]], years: YearWindow(first: 2023, last: 2023))
        let a = Self.response(regions: ["0301"], contents: ["Personer"], years: ["2023"], values: ["28402"], regionID: "Region")
        let b = Self.response(regions: ["5601"], contents: ["Personer"], years: ["2023"], values: ["487"], regionID: "Region")
        let p = PxWebFixtures.prepared([("Region", ["0", "0301", "5601"]), ("ContentsCode", ["Personer", "EUskala50", "EUskala60", "OECDskala50", "OECDskala60"]),
                                        ("Tid", ["2023"])])
        let out = try children.transform([a, b], slice: slice, prepared: p)
        #expect(out.facts.map(\.value) == [28402, 487])
        #expect(out.facts.map(\.key.region) == [50301, 55601])
    }

    @Test func yearsTheTableLacksAreSaidInAWarning() throws {
        let slice = Slice(dataset: "ssb-12058", dimCode: 5, years: YearWindow(first: 2020, last: 2026))
        let r = Self.response(regions: ["EAK"], contents: ["KOSbygningsbrann0000"], years: ["2024"], values: ["3000"])
        let out = try fires.transform([r], slice: slice, prepared: prepared)
        #expect(out.warnings == ["asked for 2020–2026; table 12058 offers 2015–2024, so 2020–2024 was fetched"])
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
        Failure(name: "quarter in a yearly dataset", response: response(regions: ["EAK"], contents: ["KOSbygningsbrann0000"], years: ["2023K1"], values: ["1"]),
                code: .schemaChanged, mentions: "2023K1"),
        Failure(name: "week codes", response: response(regions: ["EAK"], contents: ["KOSbygningsbrann0000"], years: ["2023U30"], values: ["1"]),
                code: .schemaChanged, mentions: "time code '2023U30' is not a year, month or quarter"),
        Failure(name: "negative count", response: response(regions: ["EAK"], contents: ["KOSbygningsbrann0000"], years: ["2023"], values: ["-4"]),
                code: .malformedResponse, mentions: "negative"),
        Failure(name: "a string where a number is required", response: response(regions: ["EAK"], contents: ["KOSbygningsbrann0000"], years: ["2023"], values: ["\"12 branner\""]),
                code: .malformedResponse, mentions: "holds the string \"12 branner\""),
    ]

    @Test(arguments: failures)
    func badResponsesFailNamingDatasetSliceAndCause(_ f: Failure) {
        let slice = Slice(dataset: "ssb-12058", dimCode: 5, years: YearWindow(first: 2023, last: 2023))
        let error = #expect(throws: IngestError.self) { try fires.transform([f.response], slice: slice, prepared: prepared) }
        #expect(error?.code == f.code)
        let text = error?.description ?? ""
        #expect(text.contains("ssb-12058"), "\(text)")
        #expect(text.contains(slice.label), "\(text)")
        #expect(text.contains(f.mentions), "\(text)")
    }
}
