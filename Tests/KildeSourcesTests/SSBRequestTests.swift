import Foundation
import KildeCatalog
import KildeCore
import KildeSources
import KildeUpstream
import Testing

@Suite("SSB requests and slice plans")
struct SSBRequestTests {
    @Test func defaultPlanIsExplicitAndCountable() throws {
        let registry = try BundledCatalog.registry()
        let ds = try #require(registry.dataset(key: "ssb-12058"))
        let adapter = try AdapterRegistry.adapter(for: ds)
        let plan = try adapter.defaultPlan(registry: registry, preparation: Preparation(years: YearWindow(first: 2015, last: 2024)))
        // {residential (filter 64), all buildings (NULL)} × {whole country (NULL), all 372 regions}.
        #expect(plan.count == 4)
        #expect(plan.map { $0.filters[.buildingType] } == [[64], [64], nil, nil])
        #expect(plan.map { $0.filters[.region]?.count } == [nil, 372, nil, 372])
        let children = try AdapterRegistry.adapter(for: try #require(registry.dataset(key: "ssb-08764")))
        let childPlan = try children.defaultPlan(registry: registry, preparation: Preparation())
        #expect(childPlan.map { $0.filters[.region]?.count } == [nil, 357])
    }

    @Test(arguments: PxWebClient.API.allCases)
    func requestsCarryTheSelection(_ api: PxWebClient.API) throws {
        let registry = try BundledCatalog.registry()
        let ds = try #require(registry.dataset(key: "ssb-12058"))
        let adapter = try AdapterRegistry.adapter(for: ds)
        let fetcher = HTTPFetcher()
        defer { Task { try? await fetcher.shutdown() } }
        let upstream = Upstream(fetcher: fetcher, ssb: PxWebClient.Configuration(baseURL: "http://127.0.0.1:9", api: api))
        let slice = Slice(dataset: "ssb-12058", dimCode: 5, filters: [.buildingType: [64], .region: [50301]], years: YearWindow(first: 2022, last: 2023))
        let requests = try adapter.requests(for: slice, registry: registry, preparation: Preparation(), upstream: upstream)
        let r = try #require(requests.first)
        #expect(requests.count == 1)
        switch api {
        case .v2:
            #expect(r.method == "GET")
            #expect(r.url.hasPrefix("http://127.0.0.1:9/api/pxwebapi/v2/tables/12058/data?lang=no&outputFormat=json-stat2"))
            #expect(r.url.contains("valueCodes%5BKOKkommuneregion0000%5D=0301"))
            #expect(r.url.contains("valueCodes%5BContentsCode%5D=KOSboligbranner0000"))
            #expect(r.url.contains("valueCodes%5BTid%5D=2022,2023") || r.url.contains("valueCodes%5BTid%5D=2022%2C2023"))
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

    @Test func unknownFilterFailsTheSlice() throws {
        let registry = try BundledCatalog.registry()
        let adapter = try AdapterRegistry.adapter(for: try #require(registry.dataset(key: "ssb-12058")))
        let fetcher = HTTPFetcher()
        defer { Task { try? await fetcher.shutdown() } }
        let upstream = Upstream(fetcher: fetcher, ssb: PxWebClient.Configuration())
        let slice = Slice(dataset: "ssb-12058", dimCode: 5, filters: [.region: [64]])
        let error = #expect(throws: IngestError.self) { try adapter.requests(for: slice, registry: registry, preparation: Preparation(), upstream: upstream) }
        #expect(error?.code == .filterNotInRegistry)
    }
}

@Suite("SSB requests against table metadata")
struct SSBMetadataRequestTests {
    @Test func regionsMissingFromTheTableAreNotRequested() throws {
        let registry = try BundledCatalog.registry()
        let adapter = try AdapterRegistry.adapter(for: try #require(registry.dataset(key: "ssb-12058")))
        let fetcher = HTTPFetcher()
        defer { Task { try? await fetcher.shutdown() } }
        let upstream = Upstream(fetcher: fetcher, ssb: PxWebClient.Configuration(baseURL: "http://127.0.0.1:9", api: .v2))
        let slice = Slice(dataset: "ssb-12058", dimCode: 5, filters: [.region: [50301, 53101]], years: YearWindow(first: 2023, last: 2023))
        let preparation = Preparation(codes: ["KOKkommuneregion0000": ["EAK", "0301"], "ContentsCode": ["KOSbygningsbrann0000"], "Tid": ["2023"]])
        let request = try #require(try adapter.requests(for: slice, registry: registry, preparation: preparation, upstream: upstream).first)
        #expect(request.url.contains("valueCodes%5BKOKkommuneregion0000%5D=0301&"))
    }
}
