import Foundation
import Hummingbird
import HummingbirdTesting
import KildeCatalog
import KildeCore
import KildeIngest
import KildeStore
import Testing

/// The explorer's pages as served HTML, without a browser (the browser tests in Tests/Browser run them in Chromium).
@Suite("Explorer pages", .serialized)
struct ExplorerPageTests {
    static func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    /// The acceptance test of kommune structures: each year is drawn on the structure of its year, 2021 on 2020's
    /// 356 kommuner and 2024 on 2024's 357, and the regions not drawn are listed, never dropped.
    @Test("the map draws each year on its own kommune structure and lists the regions it does not draw", arguments: StoreKind.enabled)
    func mapDrawsEachYearOnItsStructure(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            let result = try await env.pipeline.run(dataset: "ssb-08764")
            _ = try await env.store.materializeKommuneIndicators(seed: try BundledSeeds.kommuneDim(), trigger: "run \(result.runID)")
            try await ServerHarness.test(env) { client in
                let y2021 = String(buffer: try await client.execute(uri: "/map?indicator=ssb-08764&year=2021", method: .get).body)
                #expect(y2021.contains("data-structure=\"2020\""))
                #expect(Self.count("<path class=\"k", in: y2021) == 356)
                #expect(Self.count(" data-v=\"", in: y2021) == 356)
                #expect(y2021.contains("data-k=\"3001\"") && !y2021.contains("data-k=\"3101\""), "Halden is 3001 in 2021")
                // The whole country, the 11 fylker of 2021 and the 5 codes outside the kommuner.
                #expect(y2021.contains("<details id=\"unmatched\" data-count=\"17\"><summary>17 regioner er ikke tegnet: Hele landet, "))
                #expect(y2021.contains("<li>Longyearbyen (2111): ikke en kommune</li>"))
                #expect(y2021.contains("<li>Viken (2020-2023) (30): fylke</li>"))
                #expect(y2021.contains("Kilde: Statistisk sentralbyrå, tabell 08764"))
                #expect(y2021.contains("DEMO DATA"))

                let y2024 = String(buffer: try await client.execute(uri: "/map?indicator=ssb-08764&year=2024", method: .get).body)
                #expect(y2024.contains("data-structure=\"2024\""))
                #expect(Self.count("<path class=\"k", in: y2024) == 357)
                #expect(Self.count(" data-v=\"", in: y2024) == 357)
                #expect(y2024.contains("data-k=\"3101\"") && !y2024.contains("data-k=\"3001\""))
                #expect(y2024.contains("<details id=\"unmatched\" data-count=\"21\">"), "15 fylker in 2024")
                let byDefault = try await client.execute(uri: "/map", method: .get).body
                let named = try await client.execute(uri: "/map?indicator=ssb-08764&year=2024", method: .get).body
                #expect(byDefault == named, "the default: the catalogue's default indicator, the latest year")

                // 2019 in the 2020 structure: shares of merged kommuner are not summed; the split Tysfjord is not shared out.
                let y2019 = String(buffer: try await client.execute(uri: "/map?indicator=ssb-08764&year=2019", method: .get).body)
                #expect(Self.count("<path class=\"k", in: y2019) == 356)
                #expect(y2019.contains("data-k=\"3002\" data-n=\"Moss\" fill=\"url(#nodata)\""))
                #expect(y2019.contains("<li>Tysfjord - Divtasvuodna (-2019) (1850): kommunen ble delt (1806, 1875); verdien kan ikke fordeles</li>"))
                #expect(y2019.contains("<li>Rygge (-2019) (0136): slått sammen til 3002; verdien kan ikke summeres</li>"))
                // Counts are summed over a merger, and can be shown per 1,000 inhabitants.
                let counts = String(buffer: try await client.execute(uri: "/map?indicator=ssb-08764-barn&year=2019&normalize=per_1000", method: .get).body)
                #expect(counts.contains("<option value=\"per_1000\" selected>Per 1 000 innbyggere</option>"))
                #expect(counts.contains("data-k=\"3002\" data-n=\"Moss\" data-v=\""))
                // A share ignores the choice (switching indicators in the form never fails) and offers none.
                let shares = try await client.execute(uri: "/map?indicator=ssb-08764&normalize=per_1000", method: .get)
                #expect(shares.status == .ok && !String(buffer: shares.body).contains("name=\"normalize\""))

                // The read API says the same.
                let api = try ServerHarness.json(try await client.execute(uri: "/v1/kommune-indicators?indicator=ssb-08764&year=2021", method: .get))
                #expect(api["structure"] as? Int == 2020 && (api["rows"] as? [Any])?.count == 356)
                let unmatched = try #require(api["unmatched"] as? [[String: Any]])
                #expect(unmatched.count == 17 && unmatched.contains { $0["code"] == nil && $0["reason"] as? String == "country" })
                #expect(api["national"] as? Double == unmatched.first { $0["reason"] as? String == "country" }?["value"] as? Double)
                let plain = try ServerHarness.json(try await client.execute(uri: "/v1/kommune-indicators?indicator=ssb-08764-barn&year=2024", method: .get))
                let per1000 = try ServerHarness.json(try await client.execute(uri: "/v1/kommune-indicators?indicator=ssb-08764-barn&year=2024&normalize=per_1000", method: .get))
                #expect(plain["unit"] as? String == "count" && per1000["unit"] as? String == "per_1000_inhabitants" && per1000["normalize"] as? String == "per_1000")
                let oslo = try #require((plain["rows"] as? [[String: Any]])?.first { $0["kommune"] as? String == "0301" })
                let osloPer1000 = try #require((per1000["rows"] as? [[String: Any]])?.first { $0["kommune"] as? String == "0301" })
                let population = try #require(oslo["population"] as? Double)
                #expect(osloPer1000["value"] as? Double == (oslo["value"] as? Double ?? 0) * 1000 / population)
                let refused = try await client.execute(uri: "/v1/kommune-indicators?indicator=ssb-08764&normalize=per_1000", method: .get)
                #expect(refused.status == .badRequest)
                #expect(try ServerHarness.json(refused)["parameter"] as? String == "normalize")
                let indicators = try ServerHarness.jsonArray(try await client.execute(uri: "/v1/indicators", method: .get))
                #expect(indicators.filter { $0["default"] as? Bool == true }.compactMap { $0["key"] as? String } == ["ssb-08764"])
                #expect(indicators.first { $0["key"] as? String == "ssb-08764" }?["years"] as? [Int] == Array(2015...2024))

                let catalogue = String(buffer: try await client.execute(uri: "/", method: .get).body)
                #expect(catalogue.contains("data-asset=\"mart:kommune_indicators\""))
                #expect(catalogue.contains("DEMO DATA"))
            }
        }
    }

    @Test("the explore page shows labels in Norwegian, not native codes and axis ids; the nav names the API document")
    func exploreShowsLabels() async throws {
        try await TestEnvironment.with(.sqlite) { env in
            try await ServerHarness.test(env) { client in
                let page = String(buffer: try await client.execute(uri: "/explore?dataset=ssb-12058&region=0301", method: .get).body)
                #expect(page.contains("<option value=\"0301\" selected>Oslo</option>"))
                #expect(page.contains("<option value=\"KOSboligbranner0000\">Boliger</option>"))
                #expect(!page.contains("KOSboligbranner0000 Boliger") && !page.contains("0301 Oslo"))
                #expect(page.contains("<label>Region (tom = alle)") && page.contains("<label>Bygningstype (tom = alle)"))
                #expect(!page.contains(">region (tom") && !page.contains(">building_type (tom"))
                #expect(page.contains("<optgroup label=\"Kommuner\">") && page.contains("<optgroup label=\"Tidligere kommuner\">"))
                #expect(page.contains("<option value=\"0101\">Halden (-2019)</option>"))
                #expect(page.contains("<a href=\"/v1/openapi.json\" type=\"application/json\">API: OpenAPI-dokument (JSON)</a>"))
                // The footer's credits: the publishers of the catalogue's datasets, and the map files' credit line.
                // Each once, though several sources (BRIS's three reporters) share one.
                let publishers = env.registry.catalog.sources.filter { s in env.registry.catalog.datasets.contains { $0.sourceID == s.id } }
                    .map(\.publisher).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
                #expect(page.contains("Data: \(publishers.joined(separator: ", ")) (vilkår og kilder i katalogen). Kart: © Kartverket (CC BY 4.0) via robhop/fylker-og-kommuner."))
            }
        }
    }

    @Test func anEmptySliceOffersAnIngestThatWorksWithoutJavaScript() async throws {
        try await TestEnvironment.with(.sqlite) { env in
            try await ServerHarness.test(env, ingestKey: "k", explore: ExploreIngestGuardTests.guardian()) { client in
                let empty = String(buffer: try await client.execute(uri: "/explore?dataset=ssb-08764&region=0301&years=2021-2023", method: .get).body)
                #expect(empty.contains("id=\"ingestform\""))
                // The form carries the page's selection, so the ingest covers this slice, not the whole plan.
                #expect(empty.contains("<input type=\"hidden\" name=\"region\" value=\"0301\">"))
                #expect(empty.contains("<input type=\"hidden\" name=\"years\" value=\"2021-2023\">"))
                let fields = try await ExploreIngestGuardTests.offer(client, "dataset=ssb-08764&region=0301&years=2021-2023")
                #expect(fields["back"] == "dataset=ssb-08764&region=0301&years=2021-2023")
                let token = try #require(fields["token"])
                let post = try await client.execute(uri: "/explore/ingest", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                                    body: ByteBuffer(string: "dataset=ssb-08764&years=2021-2023&region=0301&token=\(token)&back=dataset%3Dssb-08764%26region%3D0301%26years%3D2021-2023"))
                #expect(post.status == .seeOther)
                let location = try #require(post.headers[.location])
                #expect(location.hasPrefix("/explore?dataset=ssb-08764&region=0301&years=2021-2023&run="))
                var page = ""
                for _ in 0..<200 {
                    page = String(buffer: try await client.execute(uri: location, method: .get).body)
                    if page.contains("data-status=\"complete\"") { break }
                    try await Task.sleep(for: .milliseconds(50))
                }
                #expect(page.contains("id=\"runprogress\""))
                #expect(page.contains("data-status=\"complete\""))
                #expect(Self.count("<polyline class=\"series\"", in: page) == 5, "08764's five contents codes, one region: five series")
                #expect(page.contains("(1/1 utsnitt"), "one slice: Oslo, not the whole country and every kommune")
                let bergen = String(buffer: try await client.execute(uri: "/explore?dataset=ssb-08764&region=4601&years=2021-2023", method: .get).body)
                #expect(bergen.contains("id=\"empty\""))
                let badForm = try await client.execute(uri: "/explore/ingest", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                                       body: ByteBuffer(string: "dataset=ssb-08764&region=9998"))
                #expect(badForm.status == .badRequest)
                #expect(try ServerHarness.json(badForm)["parameter"] as? String == "region")
            }
        }
    }

    /// `/lineage`: a node per asset and the schema, an edge from the schema to every dataset and from each dataset an
    /// indicator reads to the mart; colours follow freshness, and a mart whose data test failed is red while the
    /// previous good mart stays served.
    @Test("the lineage page draws the asset graph with freshness, and a failed mart build in red", arguments: StoreKind.enabled)
    func lineage(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            let ingest = try await env.pipeline.run(dataset: "ssb-08764")
            let seed = try BundledSeeds.kommuneDim()
            _ = try await MartRefresh(store: env.store, seed: seed, registry: env.registry).after(ingest, dataset: "ssb-08764")
            try await ServerHarness.test(env) { client in
                let page = String(buffer: try await client.execute(uri: "/lineage", method: .get).body)
                let datasets = env.registry.catalog.datasets.map(\.key)
                #expect(Self.count("<a href=", in: page.components(separatedBy: "<svg id=\"lineage\"")[1].components(separatedBy: "</svg>")[0])
                        == 2 * datasets.count + 3, "the schema; every dataset and the mart, each to its data and its runs")
                for key in datasets {
                    #expect(page.contains("data-from=\"schema\" data-to=\"\(key)\""), "\(key)")
                    let feeds = env.registry.feedsIndicators(dataset: key)
                    #expect(page.contains("data-from=\"\(key)\" data-to=\"\(KommuneIndicatorMart.asset)\"") == feeds, "\(key) feeds the mart: \(feeds)")
                }
                // Coloured by the policy: the simulated tables end in 2024, fresh until 13 months after it (stale today).
                let assets = try await env.store.assets()
                for key in ["ssb-08764", KommuneIndicatorMart.asset] {
                    let state = try #require(assets.first { $0.key == key }).freshness()
                    #expect(state != .never && page.contains("data-node=\"\(key)\" data-state=\"\(state.rawValue)\""), "\(key): \(state)")
                }
                #expect(page.contains("data-node=\"ssb-12058\" data-state=\"never\""))
                #expect(page.contains("<a href=\"/lineage\" aria-current"), "the nav marks the page")
            }
            // Tromsø twice: the unique test fails, the build is refused, the asset turns red.
            guard let tromso = seed.kommuner.first(where: { $0.number == "5501" }) else { throw TestFailure("no 5501 in the seed") }
            let doubled = KommuneSeed(version: "test-5501-twice", kommuner: seed.kommuner + [tromso], crosswalk: seed.crosswalk)
            let bad = try await MartRefresh(store: env.store, seed: doubled, registry: env.registry).after(ingest, dataset: "ssb-08764")
            #expect(bad?.swapped == false)
            try await ServerHarness.test(env) { client in
                let page = String(buffer: try await client.execute(uri: "/lineage", method: .get).body)
                #expect(page.contains("data-node=\"\(KommuneIndicatorMart.asset)\" data-state=\"failed\""))
                #expect(page.contains("siste kjøring error"))
            }
        }
    }
}

