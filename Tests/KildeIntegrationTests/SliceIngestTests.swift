import Foundation
import Hummingbird
import HummingbirdTesting
import KildeCore
import KildeStore
import Testing

/// "Ingest this slice": the admin ingest with `filters` fetches and writes only the selected slice, through the
/// real router and the simulator, on every enabled store.
@Suite("Slice ingest", .serialized)
struct SliceIngestTests {
    static func post(_ client: some TestClientProtocol, _ body: String) async throws -> TestResponse {
        try await client.execute(uri: "/v1/admin/ingest", method: .post, headers: [.init("x-ingest-key")!: "k", .contentType: "application/json"], body: ByteBuffer(string: body))
    }

    static func rows(_ client: some TestClientProtocol, _ query: String) async throws -> [[String: Any]] {
        try ServerHarness.json(try await client.execute(uri: "/v1/facts?" + query, method: .get))["rows"] as? [[String: Any]] ?? []
    }

    @Test("one region and years: facts for that region and those years only", arguments: StoreKind.enabled)
    func oneRegionWritesOnlyThatRegion(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            try await ServerHarness.test(env, ingestKey: "k") { client in
                let accepted = try await Self.post(client, #"{"dataset": "ssb-12058", "years": "2020-2022", "filters": {"region": ["0301"]}}"#)
                #expect(accepted.status == .accepted)
                let runID = try #require(try ServerHarness.json(accepted)["runId"] as? Int)
                let status = try await ServerHarness.finishedRun(client, runID)
                #expect(status["status"] as? String == "complete", "\(status)")
                #expect((status["phaseDetail"] as? [String: Any])?["canonical_progress"] as? Double == 1)
                // Oslo with and without the building-type filter: the plan's two building-type choices, cut to one region.
                #expect(status["slicesTotal"] as? Int == 2)
                #expect(await env.state.dataRequests["12058"] == 1, "only the selected slices are fetched, in one request they share")

                let stored = try await env.snapshot("ssb-12058")
                let oslo = Slice(dataset: "ssb-12058", dimCode: 5, filters: [.region: [50301]], years: YearWindow(first: 2020, last: 2022))
                var residential = oslo
                residential.filters[.buildingType] = [64]
                let expected = try env.upstreamCells(oslo, revised: false).merging(try env.upstreamCells(residential, revised: false)) { a, _ in a }
                #expect(!stored.isEmpty)
                #expect(stored.count == expected.count)
                #expect(stored.values.reduce(0, +) == expected.values.reduce(0, +))
                for key in stored.keys {
                    let parts = key.split(separator: "|").map(String.init)
                    #expect(parts[3] == "0301", "\(key)")
                    #expect(["2020", "2021", "2022"].contains(parts[1]), "\(key)")
                }
                // What the read API shows: Oslo has data; another kommune, the whole country and other years stay empty.
                #expect(try await Self.rows(client, "dataset=ssb-12058&region=0301&years=2020-2022").count == 3)
                #expect(try await Self.rows(client, "dataset=ssb-12058&region=0301&building_type=RESIDENTIAL&years=2020-2022").count == 3)
                #expect(try await Self.rows(client, "dataset=ssb-12058&region=4601&years=2015-2024").isEmpty)
                #expect(try await Self.rows(client, "dataset=ssb-12058&years=2015-2024").isEmpty)
                #expect(try await Self.rows(client, "dataset=ssb-12058&region=0301&years=2015-2019").isEmpty)
            }
        }
    }

    struct BadBody: Sendable, CustomTestStringConvertible {
        var body: String
        var parameter: String
        var testDescription: String { body.count > 120 ? body.prefix(100) + "… (\(body.utf8.count) bytes)" : body }
    }

    @Test("invalid filters are 400 problems naming the parameter, and start no run", arguments: [
        BadBody(body: #"{"dataset": "ssb-12058", "filters": {"region": ["9998"]}}"#, parameter: "region"),
        BadBody(body: #"{"dataset": "ssb-12058", "filters": {"region": ["0301", ""]}}"#, parameter: "region"),
        BadBody(body: #"{"dataset": "ssb-12058", "filters": {"region": []}}"#, parameter: "region"),
        BadBody(body: #"{"dataset": "ssb-12058", "filters": {"region": "0301"}}"#, parameter: "region"),
        BadBody(body: #"{"dataset": "ssb-12058", "filters": {"regoin": ["0301"]}}"#, parameter: "filters"),
        BadBody(body: #"{"dataset": "ssb-12058", "filters": {"fire_type": ["1"]}}"#, parameter: "fire_type"),
        BadBody(body: #"{"dataset": "ssb-08764", "filters": {"building_type": ["RESIDENTIAL"]}}"#, parameter: "building_type"),
        BadBody(body: #"{"dataset": "ssb-08764", "filters": {"region": ["EKA03"]}}"#, parameter: "region"),
        BadBody(body: #"{"dataset": "ssb-12058", "years": "20x0", "filters": {"region": ["0301"]}}"#, parameter: "years"),
        BadBody(body: #"{"dataset": "nope", "filters": {"region": ["0301"]}}"#, parameter: "dataset"),
        // A field named twice is refused, not read first- or last-wins; so is a field the body does not take.
        BadBody(body: #"{"dataset": "ssb-12058", "dataset": "ssb-08764"}"#, parameter: "dataset"),
        BadBody(body: #"{"dataset": "ssb-12058", "filters": {"region": ["0301"], "region": ["4601"]}}"#, parameter: "region"),
        BadBody(body: #"{"dataset": "ssb-12058", "yeras": "2020"}"#, parameter: "yeras"),
        BadBody(body: #"{"dataset": "ssb-12058"} {}"#, parameter: "body"),
        // Found by Fuzz/ (request-fuzz): keys compare as decoded, so an escaped spelling is the same key; nesting is
        // bounded, so 60,000 brackets are a 400, not a stack overflow.
        BadBody(body: #"{"dataset": "ssb-12058", "d\u0061taset": "ssb-08764"}"#, parameter: "dataset"),
        BadBody(body: #"{"dataset": "ssb-12058", "filters": {"region": ["0301"], "regi\u006fn": ["4601"]}}"#, parameter: "region"),
        BadBody(body: #"{"dataset": "ssb-12058", "filters": {"region": ["0301\q"]}}"#, parameter: "body"),
        BadBody(body: #"{"dataset": "ssb-12058", "filters": {"region": "# + String(repeating: "[", count: 60_000) + "}}", parameter: "body"),
    ])
    func invalidFilters(_ c: BadBody) async throws {
        try await TestEnvironment.with(.sqlite) { env in
            try await ServerHarness.test(env, ingestKey: "k") { client in
                let r = try await Self.post(client, c.body)
                #expect(r.status == .badRequest)
                #expect(r.headers[.contentType] == "application/problem+json")
                let p = try ServerHarness.json(r)
                #expect(p["parameter"] as? String == c.parameter, "\(p)")
                #expect((p["detail"] as? String)?.isEmpty == false)
            }
            #expect(try await env.store.runs(limit: 10).isEmpty)
        }
    }

    @Test func anOversizedBodyIsAProblemNamingTheLimit() async throws {
        try await TestEnvironment.with(.sqlite) { env in
            try await ServerHarness.test(env, ingestKey: "k") { client in
                let big = #"{"dataset": "ssb-12058", "years": ""# + String(repeating: " ", count: 70_000) + #""}"#
                let r = try await Self.post(client, big)
                #expect(r.status == .contentTooLarge)
                #expect(r.headers[.contentType] == "application/problem+json")
                #expect(try ServerHarness.json(r)["detail"] as? String == "the body of /v1/admin/ingest may be at most 65536 bytes")
            }
        }
    }

    @Test("a selected filter the plan does not cover fails before the run starts, naming dataset, axis and value", arguments: StoreKind.enabled)
    func unplannedFilterFailsBeforeTheRun(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            // EKA03 is a county aggregate of table 12058 only: 08764's plan has no slice carrying it.
            let error = await #expect(throws: IngestError.self) {
                try await env.pipeline.run(dataset: "ssb-08764", selection: SliceSelection(filters: [.region: [59003]]))
            }
            #expect(error?.code == .filterNotPlanned)
            #expect((error?.underlying as? UnplannedFilter)?.axis == .region)
            let text = error?.description ?? ""
            #expect(text.contains("ssb-08764") && text.contains("region") && text.contains("EKA03"), "\(text)")
            let runs = try await env.store.runs(limit: 10)
            #expect(runs.isEmpty, "no run row for a selection the plan cannot serve")
            #expect(await env.state.dataRequests.isEmpty)
        }
    }
}
