import Foundation
import KildeCore
import KildeTestSupport
import NIOCore
import Testing

/// `kilde plan` and `kilde ingest` on BRASK as a user types them, and the admin ingest with the same selection.
@Suite("BRASK CLI and admin", .serialized)
struct BRASKCLITests {
    /// Seed 001's counts, before anything runs (nothing is asked of the upstream: no --sim-url).
    @Test(arguments: [
        (["brask", "--characteristic", "arsak", "--year", "2024", "--metric", "value"], "brask-arsak: 598 slices"),
        (["brask", "--characteristic", "arsak", "--year", "2024", "--metric", "value", "--filter", "building_type=0"], "brask-arsak: 26 slices"),
        (["brask", "--characteristic", "arsak", "--year", "2024"], "brask-arsak: 1196 slices"),
        (["brask", "--characteristic", "Årsak", "--grain", "day", "--metric", "value_kr", "--filter", "building_type=RESIDENTIAL"], "brask-arsak-daily: 26 slices"),
        (["brask-bygningsalder", "--metric", "value"], "brask-bygningsalder: 46 slices"),
    ])
    func planCounts(_ args: [String], _ first: String) async throws {
        let r = try await CLIProcess.run(["plan"] + args)
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.first.map(String.init) == first)
        let count = Int(first.split(separator: " ")[1]) ?? -1
        #expect(lines.count == 1 + count, "one line per slice")
    }

    @Test func planRefusesWhatItCannotCount() async throws {
        let noCharacteristic = try await CLIProcess.run(["plan", "brask"])
        #expect(noCharacteristic.status == 2 && noCharacteristic.stderr.contains("--characteristic"), "\(noCharacteristic.stderr)")
        let badMetric = try await CLIProcess.run(["plan", "brask-arsak", "--metric", "kroner"])
        #expect(badMetric.status == 2 && badMetric.stderr.contains("value or value_kr"), "\(badMetric.stderr)")
        let unplanned = try await CLIProcess.run(["plan", "brask-bygningsalder", "--filter", "building_age=5"])
        #expect(unplanned.status == 2, "\(unplanned.stderr)")
    }

    @Test func ingestTakesTheSameSelection() async throws {
        try await TestEnvironment.with(.sqlite) { env in
            let store = "sqlite:" + env.directory.appendingPathComponent("cli.sqlite").path
            let r = try await CLIProcess.run(["ingest", "brask-arsak", "--filter", "fire_type=2", "--filter", "building_type=0", "--filter", "building_age=99",
                                              "--metric", "value", "--store", store, "--sim-url", env.sim.baseURL, "--json"])
            #expect(r.status == 0, "\(r.stderr)")
            let report = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
            let slices = (report?["slices"] as? [[String: Any]] ?? []).compactMap { $0["slice_key"] as? String }
            #expect(slices == ["brask-arsak dim 1 fire_type=10102 building_type=10201 building_age=10313 all years"])
        }
    }

    @Test func adminIngestTakesTheMetric() async throws {
        try await TestEnvironment.with(.sqlite) { env in
            try await ServerHarness.test(env, ingestKey: "k") { client in
                let body = #"{"dataset": "brask-arsak", "filters": {"fire_type": ["2"], "building_type": ["0"], "building_age": ["99"]}, "metric": "value_kr"}"#
                let ok = try await client.execute(uri: "/v1/admin/ingest", method: .post, headers: [.init("x-ingest-key")!: "k"], body: ByteBuffer(string: body))
                #expect(ok.status == .accepted)
                let runID = try #require(try ServerHarness.json(ok)["runId"] as? Int)
                let status = try await ServerHarness.finishedRun(client, runID)
                #expect(status["status"] as? String == "complete", "\(status)")
                #expect(status["slicesTotal"] as? Int == 1)
                let rows = try await env.store.queryFacts(.init(sourceID: 1, dimCode: 1, filters: [.fireType: [10102], .buildingType: [10201], .buildingAge: [10313]]))
                #expect(!rows.isEmpty && rows.allSatisfy { $0.value == nil && $0.valueKr != nil }, "only the value_kr pass ran")
                let bad = try await client.execute(uri: "/v1/admin/ingest", method: .post, headers: [.init("x-ingest-key")!: "k"],
                                                   body: ByteBuffer(string: #"{"dataset": "brask-arsak", "metric": "kroner"}"#))
                #expect(bad.status == .badRequest)
                #expect(String(buffer: bad.body).contains("metric"))
            }
        }
    }
}
