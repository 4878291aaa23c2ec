import Foundation
import KildeCatalog
import KildeCore
import KildeSources
import KildeUpstream
import Testing

@Suite("PxWeb adapter: plans, requests and preparation")
struct PxWebAdapterTests {
    let registry: Registry

    init() throws { registry = try PxWebFixtures.registry() }

    func regions(dim: Int) -> Int { registry.filters(source: 5, axis: .region).filter { $0.applicableDimCodes.contains(dim) }.count }

    @Test func defaultPlanIsExplicitAndCountable() throws {
        let fires = try PxWebFixtures.adapter("ssb-12058", registry: registry)
        let plan = try fires.plan(PxWebFixtures.fires(registry))
        // {residential (filter 64), all buildings (NULL)} × {whole country (NULL), every catalogued region}.
        #expect(plan.map { $0.filters[.buildingType] } == [[64], [64], nil, nil])
        #expect(plan.map { $0.filters[.region]?.count } == [nil, regions(dim: 5), nil, regions(dim: 5)])
        #expect(plan.allSatisfy { $0.years == YearWindow(first: 2015, last: 2024) && $0.table == .yearly })
        let children = try PxWebFixtures.adapter("ssb-08764", registry: registry)
        let childPlan = try children.plan(PxWebFixtures.prepared([("Region", ["0"]), ("ContentsCode", ["Personer"]), ("Tid", ["2023"])]))
        #expect(childPlan.map { $0.filters[.region]?.count } == [nil, regions(dim: 100)])
    }

    @Test(arguments: PxWebHost.API.allCases)
    func requestsCarryTheSelection(_ api: PxWebHost.API) throws {
        let adapter = try PxWebFixtures.adapter("ssb-12058", registry: registry, options: ["api": api.rawValue])
        let slice = Slice(dataset: "ssb-12058", dimCode: 5, filters: [.buildingType: [64], .region: [50301]], years: YearWindow(first: 2022, last: 2023))
        let requests = try PxWebFixtures.requests(adapter.fetch(slice, run: [slice], prepared: PxWebFixtures.fires(registry)))
        let r = try #require(requests.first)
        #expect(requests.count == 1)
        switch api {
        case .v2:
            #expect(r.method == "GET")
            #expect(r.url.hasPrefix("http://127.0.0.1:9/api/pxwebapi/v2/tables/12058/data?lang=no&outputFormat=json-stat2"))
            #expect(r.url.contains("valueCodes%5BKOKkommuneregion0000%5D=0301"))
            #expect(r.url.contains("valueCodes%5BContentsCode%5D=KOSboligbranner0000"))
            #expect(r.url.contains("valueCodes%5BTid%5D=2022,2023") || r.url.contains("valueCodes%5BTid%5D=2022%2C2023"))
            #expect(r.label == "12058 data (KOKkommuneregion0000 1 × ContentsCode 1 × Tid 2)")
        case .v0:
            #expect(r.method == "POST")
            #expect(r.url == "http://127.0.0.1:9/api/v0/no/table/12058")
            let body = try JSONSerialization.jsonObject(with: Data(r.body ?? [])) as? [String: Any]
            let query = body?["query"] as? [[String: Any]]
            #expect(query?.count == 3)
            #expect((query?.first?["selection"] as? [String: Any])?["values"] as? [String] == ["0301"])
            #expect((body?["response"] as? [String: String])?["format"] == "json-stat2")
        }
    }

    /// SSB answers a v2 GET longer than about 2,000 characters with 404: every request for the default datasets, on
    /// the full region list, is a GET under the limit or the POST form.
    @Test func everyDefaultRequestIsUnderTheURLLimitOrAPost() throws {
        let prepared: [String: PxWebPrepared] = [
            "ssb-12058": PxWebFixtures.fires(registry),
            "ssb-08764": PxWebFixtures.prepared([("Region", ["0"] + registry.filters(source: 5, axis: .region).map(\.nativeCode)),
                                                 ("ContentsCode", ["Personer", "EUskala50", "EUskala60", "OECDskala50", "OECDskala60"]),
                                                 ("Tid", (2015...2023).map(String.init))]),
        ]
        var posts = 0
        for ds in registry.catalog.datasets where ds.isDefault {
            let adapter = try PxWebFixtures.adapter(ds.key, registry: registry)
            let p = try #require(prepared[ds.key])
            let plan = try adapter.plan(p)
            for slice in plan {
                // Alone and as part of the run, as the pipeline asks.
                for run in [[slice], plan] {
                    for r in try PxWebFixtures.requests(adapter.fetch(slice, run: run, prepared: p)) {
                        #expect(r.method == "POST" || r.url.utf8.count <= 2000, "\(r.label): \(r.url.utf8.count) characters")
                        if r.method == "POST" {
                            posts += 1
                            let body = try #require(try JSONSerialization.jsonObject(with: Data(r.body ?? [])) as? [String: Any])
                            let selection = try #require(body["selection"] as? [[String: Any]])
                            #expect(selection.map { $0["variableCode"] as? String } == [adapter.table.regionVariable, "ContentsCode", "Tid"])
                            #expect(r.url.hasSuffix("/tables/\(ds.tableID)/data?lang=no&outputFormat=json-stat2"))
                        }
                    }
                }
            }
        }
        #expect(posts > 0, "the full region list does not fit a GET")
    }

    /// One request serves every slice of a run when their union fits the cell limit: the pipeline sends it once.
    @Test func slicesOfARunShareOneRequest() throws {
        let adapter = try PxWebFixtures.adapter("ssb-12058", registry: registry)
        let p = PxWebFixtures.fires(registry)
        let plan = try adapter.plan(p)
        let requests = try plan.flatMap { try PxWebFixtures.requests(adapter.fetch($0, run: plan, prepared: p)) }
        #expect(requests.count == plan.count)
        #expect(Set(requests).count == 1)
        // With a cell limit the union does not fit, each slice asks its own (split) requests.
        let small = try PxWebFixtures.adapter("ssb-12058", registry: registry, options: ["cell_limit": "1000"])
        let own = try plan.flatMap { try PxWebFixtures.requests(small.fetch($0, run: plan, prepared: p)) }
        #expect(Set(own).count == own.count)
        #expect(own.count > plan.count)
    }

    @Test func regionsMissingFromTheTableAreNotRequested() throws {
        let adapter = try PxWebFixtures.adapter("ssb-12058", registry: registry)
        let slice = Slice(dataset: "ssb-12058", dimCode: 5, filters: [.region: [50301, 51103]], years: YearWindow(first: 2023, last: 2023))
        let p = PxWebFixtures.prepared([("KOKkommuneregion0000", ["EAK", "0301"]), ("ContentsCode", ["KOSbygningsbrann0000"]), ("Tid", ["2023"])])
        let request = try #require(try PxWebFixtures.requests(adapter.fetch(slice, run: [slice], prepared: p)).first)
        #expect(request.url.contains("valueCodes%5BKOKkommuneregion0000%5D=0301&"))
        // None offered: nothing is asked.
        let gone = Slice(dataset: "ssb-12058", dimCode: 5, filters: [.region: [51103]], years: YearWindow(first: 2023, last: 2023))
        #expect(try PxWebFixtures.requests(adapter.fetch(gone, run: [gone], prepared: p)).isEmpty)
    }

    @Test func yearsOutsideTheTableAreTrimmed() throws {
        let adapter = try PxWebFixtures.adapter("ssb-12058", registry: registry)
        let slice = Slice(dataset: "ssb-12058", dimCode: 5, filters: [.region: [50301]], years: YearWindow(first: 2020, last: 2026))
        let request = try #require(try PxWebFixtures.requests(adapter.fetch(slice, run: [slice], prepared: PxWebFixtures.fires(registry))).first)
        #expect(request.url.contains("valueCodes%5BTid%5D=2020%2C2021%2C2022%2C2023%2C2024") || request.url.contains("valueCodes%5BTid%5D=2020,2021,2022,2023,2024"),
                "\(request.url)")
        let none = Slice(dataset: "ssb-12058", dimCode: 5, filters: [.region: [50301]], years: YearWindow(first: 2030, last: 2031))
        #expect(try PxWebFixtures.requests(adapter.fetch(none, run: [none], prepared: PxWebFixtures.fires(registry))).isEmpty)
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        var name: String
        var slice: Slice
        var metadata: [(String, [String])]
        var code: IngestError.Code
        var mentions: [String]
        var testDescription: String { name }
    }

    static let refusals: [Refusal] = [
        Refusal(name: "a filter of another axis as region", slice: Slice(dataset: "ssb-12058", dimCode: 5, filters: [.region: [64]]),
                metadata: [("KOKkommuneregion0000", ["EAK"]), ("ContentsCode", ["KOSbygningsbrann0000"]), ("Tid", ["2023"])],
                code: .filterNotInRegistry, mentions: ["region filter 64"]),
        Refusal(name: "an axis the table lacks", slice: Slice(dataset: "ssb-12058", dimCode: 5, filters: [.fireType: [1]]),
                metadata: [("KOKkommuneregion0000", ["EAK"]), ("ContentsCode", ["KOSbygningsbrann0000"]), ("Tid", ["2023"])],
                code: .invalidSlice, mentions: ["has no fire_type axis"]),
        // 12058's codes could not be checked offline: one the live table lacks fails the slice, naming it and the codes on offer.
        Refusal(name: "an unverified contents code the table does not offer", slice: Slice(dataset: "ssb-12058", dimCode: 5, filters: [.buildingType: [64]]),
                metadata: [("KOKkommuneregion0000", ["EAK"]), ("ContentsCode", ["KOSbygningsbrann0000", "KOSbranner1000innb0000"]), ("Tid", ["2023"])],
                code: .codeNotOffered, mentions: ["'KOSboligbranner0000' (unverified in the catalogue)", "it offers KOSbygningsbrann0000, KOSbranner1000innb0000"]),
    ]

    @Test(arguments: refusals)
    func slicesTheTableCannotAnswerFailNamingTheCause(_ r: Refusal) throws {
        let adapter = try PxWebFixtures.adapter("ssb-12058", registry: registry)
        let error = #expect(throws: IngestError.self) { try adapter.fetch(r.slice, run: [r.slice], prepared: PxWebFixtures.prepared(r.metadata)) }
        #expect(error?.code == r.code)
        for m in r.mentions { #expect(error?.description.contains(m) == true, "\(error?.description ?? "")") }
    }

    /// v2 metadata carries `updated`; v0's has none (SSB's), so a v0 host that also speaks v2 asks the v2 table
    /// description for it.
    @Test(arguments: PxWebHost.API.allCases)
    func preparationReadsTheMetadataAndUpdated(_ api: PxWebHost.API) throws {
        let adapter = try PxWebFixtures.adapter("ssb-08764", registry: registry, options: ["api": api.rawValue, "v2_path": "/api/pxwebapi/v2"])
        var conversation = adapter.prepare()
        var reply: ConversationReply?
        var urls: [String] = []
        let v2 = #"{"version":"2.0","class":"dataset","updated":"2026-03-17T08:00:00Z","id":["Region","ContentsCode","Tid"],"size":[1,1,2],"role":{"time":["Tid"]},"dimension":{"Region":{"category":{"index":{"0":0}}},"ContentsCode":{"category":{"index":{"EUskala60":0},"unit":{"EUskala60":{"base":"prosent","decimals":1}}}},"Tid":{"category":{"index":{"2022":0,"2023":1}}}},"value":[]}"#
        let v0 = #"{"title":"08764","variables":[{"code":"Region","text":"region","values":["0"],"valueTexts":["Hele landet"]},{"code":"ContentsCode","text":"statistikkvariabel","values":["EUskala60"],"valueTexts":["EU-60"]},{"code":"Tid","text":"år","values":["2022","2023"],"valueTexts":["2022","2023"],"time":true}]}"#
        let info = #"{"id":"08764","label":"x","updated":"2026-03-17T08:00:00Z"}"#
        while true {
            switch try conversation.next(after: reply) {
            case .fetch(let r):
                urls.append(r.url)
                let body = r.url.hasSuffix("/metadata?lang=no") ? v2 : r.url.contains("/api/v0/") ? v0 : info
                reply = .response(UpstreamResponse(request: r, status: 200, contentType: "application/json", body: Array(body.utf8), isDemo: true, attempts: 1))
            case .askStore:
                Issue.record("preparation asks no store")
                return
            case .finish(let p):
                #expect(p.metadata.updated == "2026-03-17T08:00:00Z")
                #expect(p.years == YearWindow(first: 2022, last: 2023))
                #expect(p.metadata.variable("ContentsCode")?.codes == ["EUskala60"])
                switch api {
                case .v2:
                    #expect(urls == ["http://127.0.0.1:9/api/pxwebapi/v2/tables/08764/metadata?lang=no"])
                    #expect(p.metadata.variable("ContentsCode")?.values.first?.unit == "prosent")
                case .v0:
                    #expect(urls == ["http://127.0.0.1:9/api/v0/no/table/08764", "http://127.0.0.1:9/api/pxwebapi/v2/tables/08764?lang=no"])
                }
                return
            }
        }
    }

    @Test func aVariableTheCatalogueDoesNotPlaceFailsPreparation() throws {
        let adapter = try PxWebFixtures.adapter("ssb-08764", registry: registry)
        let table = adapter.table
        let metadata = PxWebMetadata(title: nil, variables: ["Region", "Kjonn", "ContentsCode", "Tid"].map { PxWebMetadata.Variable(code: $0, label: $0, values: []) },
                                     updated: nil)
        let error = #expect(throws: IngestError.self) { try table.check(metadata, dataset: "ssb-08764") }
        #expect(error?.code == .schemaChanged)
        #expect(error?.description.contains("add fixed=Kjonn:CODE") == true)
    }

    struct OptionCase: Sendable, CustomTestStringConvertible {
        var options: String
        var mentions: String
        var testDescription: String { options }
    }

    @Test(arguments: [
        OptionCase(options: "national=0", mentions: "option national needs the option region"),
        OptionCase(options: "region=Region;fixed=Kon", mentions: "option fixed: 'Kon' is not Variable:Code"),
    ])
    func badDatasetOptionsAreNamed(_ c: OptionCase) throws {
        var ds = try #require(registry.dataset(key: "ssb-08764"))
        ds.options = try AdapterOptions(parsing: c.options)
        let error = #expect(throws: IngestError.self) { try PxWebTable(dataset: ds) }
        #expect(error?.description.contains(c.mentions) == true, "\(error?.description ?? "")")
    }

    @Test func badHostOptionsAreNamed() throws {
        let source = try #require(registry.source(key: "ssb"))
        #expect(throws: IngestError.self) { try PxWebHost(source: source, baseURL: "http://x", options: ["api": "v9"], dataset: "d") }
        let error = #expect(throws: IngestError.self) { try PxWebHost(source: source, baseURL: "http://x", options: ["cell_limit": "-5"], dataset: "d") }
        #expect(error?.description.contains("cell_limit=-5") == true)
    }

    @Test(arguments: [
        ("2024", Period.year(2024)), ("2024M03", .day(CivilDate(year: 2024, month: 3, day: 1)!)), ("2024K2", .day(CivilDate(year: 2024, month: 4, day: 1)!)),
        ("2024Q4", .day(CivilDate(year: 2024, month: 10, day: 1)!)),
    ] as [(String, Period)])
    func timeCodes(_ code: String, _ period: Period) {
        #expect(PxWebTime.period(code) == period)
    }

    @Test(arguments: ["2014U30", "2024M13", "2024K5", "24", "year", "2024M1x"])
    func unknownTimeCodes(_ code: String) {
        #expect(PxWebTime.period(code) == nil)
    }
}
