import Foundation
import Hummingbird
import HummingbirdTesting
import KildeCatalog
import KildeCore
import KildeIngest
import KildeStore
import Testing

/// The materialisation records as served: `/v1/assets` (each asset's last record), `/v1/assets/{key}/materializations`,
/// and `/lineage`, whose nodes link to their data and runs and name the latest period and data version.
@Suite("Materialisations served", .serialized)
struct MaterializationAPITests {
    @Test("/v1/assets carries each asset's last record; /v1/assets/{key}/materializations lists them; an unknown asset is a 404",
          arguments: StoreKind.enabled)
    func api(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            let first = try await env.pipeline.run(dataset: "ssb-08764")
            let second = try await env.pipeline.run(dataset: "ssb-08764")
            let build = try await env.store.materializeKommuneIndicators(seed: try BundledSeeds.kommuneDim(), trigger: "test")
            let record = try #require(try await env.store.materializations(asset: "ssb-08764", limit: 1).first)
            try await ServerHarness.test(env) { client in
                let assets = try ServerHarness.jsonArray(try await client.execute(uri: "/v1/assets", method: .get))
                let ds = try #require(assets.first { $0["key"] as? String == "ssb-08764" }?["lastMaterialization"] as? [String: Any])
                #expect(ds["runId"] as? Int == Int(second.runID) && ds["asset"] as? String == "ssb-08764")
                #expect(ds["rowsAdded"] as? Int == 0 && ds["rowsUpdated"] as? Int == 0 && ds["rowsDeleted"] as? Int == 0)
                #expect(ds["rowsUnchanged"] as? Int == record.rowsUnchanged && ds["rowsTotal"] as? Int == first.counters.added)
                #expect(ds["latestPeriod"] as? String == record.latestPeriod && ds["dataVersion"] as? String == record.dataVersion)
                #expect(ds["durationMs"] as? Int == record.durationMs && ds["status"] as? String == "complete")
                #expect(ds["materializedAt"] as? String == record.materializedAt)
                let mart = try #require(assets.first { $0["key"] as? String == KommuneIndicatorMart.asset }?["lastMaterialization"] as? [String: Any])
                #expect(mart["runId"] as? Int == Int(build.runID) && mart["rowsAdded"] as? Int == build.rows)
                #expect(assets.first { $0["key"] as? String == "ssb-12058" }?["lastMaterialization"] == nil, "never materialised: absent")

                let list = try await client.execute(uri: "/v1/assets/ssb-08764/materializations", method: .get)
                #expect(list.status == .ok)
                let records = try ServerHarness.jsonArray(list)
                #expect(records.map { $0["runId"] as? Int } == [Int(second.runID), Int(first.runID)], "newest first")
                #expect(records.first?["dataVersion"] as? String == records.last?["dataVersion"] as? String, "an unchanged re-ingest keeps the version")
                #expect(try ServerHarness.jsonArray(try await client.execute(uri: "/v1/assets/ssb-08764/materializations?limit=1", method: .get)).count == 1)
                #expect(try ServerHarness.jsonArray(try await client.execute(uri: "/v1/assets/ssb-12058/materializations", method: .get)).isEmpty)
                for uri in ["/v1/assets/mart:kommune_indicators/materializations", "/v1/assets/mart%3Akommune_indicators/materializations"] {
                    let r = try await client.execute(uri: uri, method: .get)
                    #expect(r.status == .ok, "\(uri)")
                    #expect(try ServerHarness.jsonArray(r).map { $0["runId"] as? Int } == [Int(build.runID)], "\(uri)")
                }
                let csv = try await client.execute(uri: "/v1/assets/ssb-08764/materializations?format=csv", method: .get)
                #expect(String(buffer: csv.body).hasPrefix("id,asset,run_id,materialized_at,duration_ms,rows_added,rows_updated,rows_deleted,"))

                let unknown = try await client.execute(uri: "/v1/assets/no-such-asset/materializations", method: .get)
                #expect(unknown.status == .notFound)
                #expect(unknown.headers[.contentType] == "application/problem+json")
                #expect((try ServerHarness.json(unknown)["detail"] as? String)?.contains("no-such-asset") == true)
                for bad in ["?limit=0", "?limit=x", "?since=1"] {
                    let r = try await client.execute(uri: "/v1/assets/ssb-08764/materializations\(bad)", method: .get)
                    #expect(r.status == .badRequest, "\(bad)")
                }
                #expect(try await client.execute(uri: "/v1/assets/ssb-08764/materializations", method: .post).status == .methodNotAllowed)
            }
        }
    }

    @Test("/lineage links each node to its data and its runs and names its latest period and data version; /runs filters by asset",
          arguments: StoreKind.enabled)
    func lineageLinksAndRuns(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            let ingest = try await env.pipeline.run(dataset: "ssb-08764")
            let seed = try BundledSeeds.kommuneDim()
            _ = try #require(try await MartRefresh(store: env.store, seed: seed, registry: env.registry).after(ingest, dataset: "ssb-08764"))
            let record = try #require(try await env.store.materializations(asset: "ssb-08764", limit: 1).first)
            let mart = try #require(try await env.store.materializations(asset: KommuneIndicatorMart.asset, limit: 1).first)
            try await ServerHarness.test(env) { client in
                let page = String(buffer: try await client.execute(uri: "/lineage", method: .get).body)
                let svg = page.components(separatedBy: "<svg id=\"lineage\"")[1].components(separatedBy: "</svg>")[0]
                #expect(svg.contains("<a href=\"/explore?dataset=ssb-08764\" data-node=\"ssb-08764\" data-state=\"\(try #require(try await env.store.assets().first { $0.key == "ssb-08764" }).freshness().rawValue)\"><title>ssb-08764: "))
                #expect(svg.contains("<a href=\"/runs?dataset=ssb-08764\" data-runs=\"ssb-08764\">"))
                #expect(svg.contains("<a href=\"/map\" data-node=\"\(KommuneIndicatorMart.asset)\""))
                #expect(svg.contains("<a href=\"/runs?dataset=mart:kommune_indicators\" data-runs=\"\(KommuneIndicatorMart.asset)\">"))
                let title = "siste periode \(record.latestPeriod ?? "?") · dataversjon \(record.dataVersion)</title>"
                #expect(svg.contains(title), "the node's tooltip names the latest period and data version")
                #expect(svg.contains("siste periode \(mart.latestPeriod ?? "?") · dataversjon \(mart.dataVersion)</title>"))
                #expect(svg.contains("class=\"nd\">periode \(record.latestPeriod ?? "?")</text>"))
                #expect(svg.contains("data-runs=\"ssb-12058\"><title>Kjøringer av ssb-12058</title>"), "every asset links to its runs, materialised or not")
                #expect(page.contains("<li data-asset=\"ssb-08764\">") && page.contains("<a href=\"/runs?dataset=ssb-08764\">kjøringer</a></li>"))

                let runs = String(buffer: try await client.execute(uri: "/runs?dataset=ssb-08764", method: .get).body)
                #expect(runs.contains("<tr data-run=\"\(ingest.runID)\">"))
                #expect(ExplorerPageTests.count("<tr data-run=", in: runs) == 1, "only the dataset's run, not the mart build")
                let martRuns = String(buffer: try await client.execute(uri: "/runs?dataset=mart:kommune_indicators", method: .get).body)
                #expect(martRuns.contains("<tr data-run=\"\(mart.runID)\">") && ExplorerPageTests.count("<tr data-run=", in: martRuns) == 1)
                #expect(ExplorerPageTests.count("<tr data-run=", in: String(buffer: try await client.execute(uri: "/runs", method: .get).body)) == 2)
                #expect(try await client.execute(uri: "/runs?dataset=nope", method: .get).status == .badRequest)
                #expect(try await client.execute(uri: "/runs?other=1", method: .get).status == .badRequest)
            }
        }
    }
}
