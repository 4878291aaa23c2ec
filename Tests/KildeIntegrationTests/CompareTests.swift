import Foundation
import HummingbirdTesting
import KildeCore
import KildeSimulator
@testable import KildeStore
import Testing

/// One standard code across sources: `GET /v1/compare` and `/explore/compare` on every enabled store, after ingests
/// from the simulator; the expected sums are the simulator's own (BRIS's generator, SSB's recorded table).
@Suite("Compare", .serialized)
struct CompareTests {
    static let window = YearWindow(first: 2015, last: 2024)

    /// RESIDENTIAL per year as the upstreams hold it: BRIS Police's developed fires in homes (every category; the
    /// store has that one mission type and no total over mission types, so the sum over the types is that type),
    /// and SSB 12058's residential fires for the whole country (its NULL-as-ALL region total, not the kommuner).
    static func expected(_ env: TestEnvironment) throws -> (bris: [String: Double], ssb: [String: Double]) {
        var bris: [String: Double] = [:]
        let residential = Slice(dataset: "bris-police-arsak", dimCode: 1, filters: [.fireType: [20102], .buildingType: [20201]])
        for (key, v) in try env.brisCells(residential, revised: false) {
            let year = String(key.split(separator: "|")[1])
            if let y = Int(year), window.contains(y) { bris[year, default: 0] += v }
        }
        var ssb: [String: Double] = [:]
        for (key, v) in try env.upstreamCells(Slice(dataset: "ssb-12058", dimCode: 5, filters: [.buildingType: [64]], years: window), revised: false) {
            ssb[String(key.split(separator: "|")[2]), default: 0] += v
        }
        return (bris, ssb)
    }

    static func points(_ series: [String: Any]) -> [String: Double] {
        var out: [String: Double] = [:]
        for p in series["points"] as? [[String: Any]] ?? [] { out[p["period"] as? String ?? ""] = p["value"] as? Double }
        return out
    }

    @Test("RESIDENTIAL over BRIS and SSB: a series per dataset with the upstreams' sums and attributions, as JSON and as a page",
          arguments: StoreKind.enabled)
    func residential(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            let police = try await env.pipeline.run(dataset: "bris-police-arsak", selection: SliceSelection(filters: [.fireType: [20102]]))
            #expect(police.status == .complete)
            #expect(try await env.pipeline.run(dataset: "ssb-12058").status == .complete)
            let (bris, ssb) = try Self.expected(env)
            #expect(!bris.isEmpty && !ssb.isEmpty)
            try await ServerHarness.test(env) { client in
                let o = try ServerHarness.json(try await client.execute(uri: "/v1/compare?category=RESIDENTIAL&years=2015-2024&granularity=year", method: .get))
                #expect(o["category"] as? String == "RESIDENTIAL" && o["demo"] as? Bool == true)
                let series = o["series"] as? [[String: Any]] ?? []
                #expect(series.map { $0["dataset"] as? String ?? "" } == ["ssb-12058", "bris-police-arsak"])
                // The Police's other dataset and BRASK's yearly ones (næring 0 Beboelse is RESIDENTIAL) have the code but no facts.
                #expect(o["notStored"] as? [String] == ["bris-police-arnested", "brask-arsak", "brask-kilde", "brask-bygningsalder"])
                let bySet = Dictionary(uniqueKeysWithValues: series.map { ($0["dataset"] as? String ?? "", $0) })
                let s = try #require(bySet["ssb-12058"]), b = try #require(bySet["bris-police-arsak"])
                #expect(Self.points(s) == ssb)
                #expect(Self.points(b) == bris)
                #expect(s["attribution"] as? String == "Kilde: Statistisk sentralbyrå, tabell 12058")
                #expect(b["attribution"] as? String == "Kilde: DSB, BRIS")
                #expect(s["source"] as? String == "ssb" && b["source"] as? String == "bris-police")
                #expect(s["demo"] as? Bool == true && b["demo"] as? Bool == true)
                #expect(s["summedAxes"] as? [String] == [] && b["summedAxes"] as? [String] == ["fire_type"])
                #expect((s["filters"] as? [String: [Int]])?["building_type"] == [64] && (b["filters"] as? [String: [Int]])?["building_type"] == [20201])
                #expect(o["periods"] as? [String] == Set(ssb.keys).union(bris.keys).sorted())

                // Bad parameters are problems naming the parameter.
                for (uri, parameter) in [("/v1/compare?category=NO_SUCH_CODE", "category"), ("/v1/compare", "category"),
                                         ("/v1/compare?category=RESIDENTIAL&granularity=decade", "granularity"),
                                         ("/v1/compare?category=RESIDENTIAL&region=0301", "region")] {
                    let r = try await client.execute(uri: uri, method: .get)
                    #expect(r.status == .badRequest && r.headers[.contentType] == "application/problem+json", "\(uri)")
                    #expect(try ServerHarness.json(r)["parameter"] as? String == parameter, "\(uri)")
                }

                // The page: one chart, a line per dataset, each dataset's credit line, demo data said per series.
                let page = String(buffer: try await client.execute(uri: "/explore/compare?category=RESIDENTIAL&years=2015-2024&granularity=year",
                                                                   method: .get).body)
                #expect(page.contains("<svg class=\"chart\""))
                #expect(page.components(separatedBy: "<polyline class=\"series\"").count - 1 == 2)
                #expect(page.contains("Kilde: Statistisk sentralbyrå, tabell 12058") && page.contains("Kilde: DSB, BRIS"))
                #expect(page.components(separatedBy: "<strong>demo data</strong>").count - 1 == 2, "each series says demo data")
                #expect(page.contains("DEMO DATA"))
                let unknown = try await client.execute(uri: "/explore/compare?category=NO_SUCH_CODE", method: .get)
                #expect(unknown.status == .badRequest)
                let empty = try await client.execute(uri: "/explore/compare", method: .get)
                #expect(empty.status == .ok && String(buffer: empty.body).contains("id=\"compareform\""))

                // The explore page links to the comparison of its selection's standard code.
                let explore = String(buffer: try await client.execute(uri: "/explore?dataset=ssb-12058&building_type=RESIDENTIAL&years=2015-2024",
                                                                      method: .get).body)
                #expect(explore.contains("href=\"/explore/compare?category=RESIDENTIAL&amp;years=2015-2024&amp;granularity=year\""), "\(explore)")
            }
        }
    }

    @Test("the coarsest stored level prefers NULL-as-ALL totals, then the earlier axis")
    func coarsestLevel() {
        let levels = [StoredLevel(nullAxes: [.region]), StoredLevel(nullAxes: [.region, .buildingAge]), StoredLevel(nullAxes: [.fireType, .buildingAge])]
        #expect(StoredLevel.coarsest(levels) == StoredLevel(nullAxes: [.fireType, .buildingAge]))
        #expect(StoredLevel.coarsest([StoredLevel(nullAxes: [.region]), StoredLevel(nullAxes: [.buildingType])]) == StoredLevel(nullAxes: [.buildingType]))
        #expect(StoredLevel.coarsest([]) == nil)
    }

    /// A store with RESIDENTIAL for a kommune and its county but no national total: the region axis is summed, at the
    /// county level only (adding Oslo kommune to Oslo county would count its fires twice).
    @Test("a summed region axis is read at its coarsest level, never a county with its kommuner", arguments: StoreKind.enabled)
    func nestedRegions(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            let db = try #require((env.store as? any SQLFactStore)?.database)
            let kommune = try #require(env.registry.filter(source: 5, axis: .region, nativeCode: "0301")).id
            let county = try #require(env.registry.filter(source: 5, axis: .region, nativeCode: "EKA03")).id
            for (region, value) in [(kommune, 5.0), (county, 7.0)] {
                try await db.execute("""
                    INSERT INTO fact_yearly (source_id, dim_code, cat_code, year, building_type_code, region_code, value, ingested_at)
                    VALUES (5, 5, 501, 2023, 64, ?, ?, ?)
                    """, [.int(region), .double(value), .text("2026-01-01T00:00:00.000Z")])
            }
            try await env.store.claimDataKind(.demo)
            try await ServerHarness.test(env) { client in
                let o = try ServerHarness.json(try await client.execute(uri: "/v1/compare?category=RESIDENTIAL&years=2023", method: .get))
                let series = o["series"] as? [[String: Any]] ?? []
                #expect(series.count == 1)
                let s = try #require(series.first)
                #expect(s["dataset"] as? String == "ssb-12058" && s["summedAxes"] as? [String] == ["region"])
                #expect(Self.points(s) == ["2023": 7])
                // A county's standard code is its kommuner's too: read at the county level, not the two added up.
                let county = try ServerHarness.json(try await client.execute(uri: "/v1/compare?category=03&years=2023", method: .get))
                let ssb = try #require((county["series"] as? [[String: Any]])?.first { $0["dataset"] as? String == "ssb-12058" })
                #expect(Self.points(ssb) == ["2023": 7])
            }
        }
    }
}
