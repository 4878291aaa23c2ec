import Foundation
import HummingbirdTesting
import KildeCore
import KildeSimulator
import KildeStore
import Testing

/// The catalogue-driven reads serve BRIS like any source: `/v1/facts` and the explore page, one `standard_code`
/// (RESIDENTIAL) reaching BRIS's and SSB's rows, and the Police's daily facts by month.
@Suite("BRIS serving", .serialized)
struct BRISServingTests {
    static func rows(_ o: [String: Any]) -> [[String: Any]] { o["rows"] as? [[String: Any]] ?? [] }

    @Test("/v1/facts and the explorer serve BRIS; RESIDENTIAL reaches BRIS and SSB", arguments: StoreKind.enabled)
    func factsAndExplore(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            let police = try await env.pipeline.run(dataset: "bris-police-arsak", selection: SliceSelection(filters: [.fireType: [20102]]))
            #expect(police.status == .complete && police.slices.count == 9, "one mission type: all buildings and the 8 groups")
            _ = try await env.pipeline.run(dataset: "ssb-12058")
            let daily = try await env.pipeline.run(dataset: "bris-police-arsak-daily", selection: SliceSelection(filters: [.fireType: [20101]]))
            #expect(daily.status == .complete && daily.slices.count == 1)
            let residential = Slice(dataset: "bris-police-arsak", dimCode: 1, filters: [.fireType: [20102], .buildingType: [20201]])
            let expected = try env.brisCells(residential, revised: false)
            try await ServerHarness.test(env) { client in
                // Native codes and standard codes name the same filters: 10086 is DEVELOPED, 0 is RESIDENTIAL.
                for uri in ["/v1/facts?dataset=bris-police-arsak&fire_type=DEVELOPED&building_type=RESIDENTIAL",
                            "/v1/facts?dataset=bris-police-arsak&fire_type=10086&building_type=0"] {
                    let o = try ServerHarness.json(try await client.execute(uri: uri, method: .get))
                    var served: [String: Double] = [:]
                    for r in Self.rows(o) {
                        served["\(r["catCode"] as? Int ?? -1)|\(r["period"] as? String ?? "")"] = r["value"] as? Double
                        #expect((r["buildingType"] as? [String: Any])?["id"] as? Int == 20201)
                        #expect((r["fireType"] as? [String: Any])?["id"] as? Int == 20102)
                    }
                    #expect(served == expected, "\(uri)")
                }
                // SSB's 12058 answers the same token with its residential category only.
                let ssb = Self.rows(try ServerHarness.json(try await client.execute(uri: "/v1/facts?dataset=ssb-12058&building_type=RESIDENTIAL", method: .get)))
                #expect(!ssb.isEmpty && ssb.allSatisfy { $0["catCode"] as? Int == 501 && ($0["buildingType"] as? [String: Any])?["id"] as? Int == 64 })

                // The Police's days, read by month: each month the generator's sum of its days.
                let slice = Slice(dataset: "bris-police-arsak-daily", dimCode: 1, filters: [.fireType: [20101]], table: .daily)
                var byMonth: [String: Double] = [:]
                for (key, v) in try env.brisCells(slice, revised: false) where key.contains("|2024-") {
                    let parts = key.split(separator: "|")
                    byMonth["\(parts[0])|\(parts[1].prefix(7))", default: 0] += v
                }
                let months = Self.rows(try ServerHarness.json(try await client.execute(
                    uri: "/v1/facts?dataset=bris-police-arsak-daily&fire_type=10026&granularity=month&years=2024", method: .get)))
                var served: [String: Double] = [:]
                for r in months { served["\(r["catCode"] as? Int ?? -1)|\(String((r["period"] as? String ?? "").prefix(7)))"] = r["value"] as? Double }
                #expect(!byMonth.isEmpty && served == byMonth)
                // The brigades publish years only.
                let refused = try await client.execute(uri: "/v1/facts?dataset=bris-brigade-arsak&fire_type=10026&granularity=day", method: .get)
                #expect(refused.status == .badRequest)

                let page = String(buffer: try await client.execute(uri: "/explore?dataset=bris-police-arsak&fire_type=10086&building_type=0", method: .get).body)
                #expect(page.contains("Kilde: DSB, BRIS"))
                #expect(page.contains("Påsatt brann") && page.contains("Ikke besvart"))
                #expect(page.contains("DEMO DATA"))
            }
        }
    }
}
