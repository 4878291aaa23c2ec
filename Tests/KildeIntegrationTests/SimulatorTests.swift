import Foundation
import KildeSimulator
import KildeUpstream
import Testing

/// The simulator answers as the live services do, over loopback, through Kilde's own HTTP client.
@Suite("Upstream simulator", .serialized)
struct SimulatorTests {
    static func get(_ env: TestEnvironment, _ path: String) async throws -> UpstreamResponse {
        try await env.fetcher.fetch(UpstreamRequest(url: env.sim.baseURL + path))
    }

    @Test func ssbShapes() async throws {
        try await TestEnvironment.with(.sqlite) { env in
            // v0 metadata has no `updated`; v2's has it at the root.
            let v0 = try JSONSerialization.jsonObject(with: Data(try await Self.get(env, "/api/v0/no/table/08764").body)) as? [String: Any]
            #expect(v0?["variables"] != nil && v0?["updated"] == nil)
            let v2 = try JSONSerialization.jsonObject(with: Data(try await Self.get(env, "/api/pxwebapi/v2/tables/08764/metadata?lang=no").body)) as? [String: Any]
            #expect(v2?["updated"] as? String == "2026-03-17T08:00:00Z")
            // A GET longer than about 2,000 characters is answered 404, as SSB does; the POST form takes any selection.
            let regions = (0..<450).map { String(format: "%04d", $0) }.joined(separator: ",")
            let long = "/api/pxwebapi/v2/tables/08764/data?lang=no&outputFormat=json-stat2&valueCodes%5BRegion%5D=\(regions)"
            let error = await #expect(throws: UpstreamError.self) { try await Self.get(env, long) }
            #expect(error?.status == 404)
            let body = #"{"selection":[{"variableCode":"Region","valueCodes":["0","0301"]},{"variableCode":"ContentsCode","valueCodes":["EUskala60"]},{"variableCode":"Tid","valueCodes":["2022","2023"]}]}"#
            let post = try await env.fetcher.fetch(UpstreamRequest(method: "POST", url: env.sim.baseURL + "/api/pxwebapi/v2/tables/08764/data?lang=no&outputFormat=json-stat2",
                                                                   headers: [("Content-Type", "application/json")], body: Array(body.utf8)))
            let doc = try JSONSerialization.jsonObject(with: Data(post.body)) as? [String: Any]
            #expect(doc?["size"] as? [Int] == [2, 1, 2])
            #expect((doc?["value"] as? [Any])?.count == 4)
            #expect(post.isDemo)
        }
    }

    @Test func aRecordedTableAnswersSelectionsWithinIt() async throws {
        try await TestEnvironment.with(.sqlite) { env in
            let r = try await Self.get(env, "/scb/api/v2/tables/TAB6471/data?lang=sv&outputFormat=json-stat2&valueCodes%5BRegion%5D=01&valueCodes%5BAlder%5D=0-9&valueCodes%5BKon%5D=TotSa&valueCodes%5BContentsCode%5D=000007SF&valueCodes%5BTid%5D=2025M12,2026M01")
            let doc = try JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any]
            #expect(doc?["size"] as? [Int] == [1, 1, 1, 1, 2])
            let values = doc?["value"] as? [Any]
            #expect(values?.first is NSNull, "2025M12 is in the metadata, not in the recording: missing, never invented")
            #expect((values?.last as? NSNumber)?.doubleValue == 245284, "the recorded value for Stockholms län, 0-9 år, 2026M01")
            #expect(!r.isDemo, "a recording is real data")
            let unknown = await #expect(throws: UpstreamError.self) {
                try await Self.get(env, "/scb/api/v2/tables/TAB6471/data?valueCodes%5BRegion%5D=99")
            }
            #expect(unknown?.status == 400)
        }
    }

    @Test(arguments: [
        ("503x2", true), ("429:2", true), ("slow:0.5", true), ("okx3", true), ("truncated", true), ("renamed", true),
        ("slowbody:2", true), ("resetx50", true), ("added", true), ("newcategory", true), ("slowbody:-1", false), ("slowbody:1e308", false),
        ("503x999999999999999999", false), ("503x0", false), ("503x-1", false), ("slow:1e308", false), ("slow:-1", false), ("slow:nan", false),
        ("429:-2", false), ("429:99999", false), ("700", false), ("teapot", false), ("503:2:3", false),
    ])
    func faultSpecsAreValidated(_ spec: String, _ accepted: Bool) async throws {
        switch Fault.parse(spec) {
        case .success: #expect(accepted, "\(spec) should be refused")
        case .failure(let e): #expect(!accepted, "\(spec): \(e.message)")
        }
    }

    @Test func theControlEndpointRefusesBadFaults() async throws {
        try await TestEnvironment.with(.sqlite) { env in
            for spec in ["503x999999999999999999", "slow:1e308", "503x-4"] {
                let error = await #expect(throws: UpstreamError.self) {
                    try await env.fetcher.fetch(UpstreamRequest(method: "POST", url: env.sim.baseURL + "/_sim/fault?spec=\(spec)"))
                }
                #expect(error?.status == 400, "\(spec)")
            }
        }
    }
}
