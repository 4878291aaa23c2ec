import Foundation
import Hummingbird
import HummingbirdTesting
import KildeCore
@testable import KildeServer
import KildeStore
import Testing

/// The explorer's "fetch this slice" is a write path: each guard of it refuses, through the real router.
@Suite("Explorer ingest guard", .serialized)
struct ExploreIngestGuardTests {
    static let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .accept: "application/json"]

    /// The hidden fields of the page's ingest form, as a browser would send them.
    static func offer(_ client: some TestClientProtocol, _ query: String) async throws -> [String: String] {
        let html = String(buffer: try await client.execute(uri: "/explore?" + query, method: .get).body)
        guard let start = html.range(of: "id=\"ingestform\""), let end = html.range(of: "</form>", range: start.upperBound..<html.endIndex) else {
            throw TestFailure("no ingest offer on /explore?\(query)")
        }
        var fields: [String: String] = [:]
        let inputs = html[start.upperBound..<end.lowerBound].components(separatedBy: "<input type=\"hidden\" ").dropFirst()
        for input in inputs {
            let parts = input.components(separatedBy: "\"")
            guard parts.count >= 4, parts[0] == "name=", parts[2] == " value=" else { continue }
            fields[parts[1]] = parts[3].replacingOccurrences(of: "&amp;", with: "&")
        }
        return fields
    }

    static func post(_ client: some TestClientProtocol, _ fields: [String: String], headers: HTTPFields = [:]) async throws -> TestResponse {
        var c = URLComponents()
        c.queryItems = fields.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        var h = form
        h.append(contentsOf: headers)
        return try await client.execute(uri: "/explore/ingest", method: .post, headers: h,
                                        body: ByteBuffer(string: (c.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")))
    }

    static func guardian(_ policy: ExploreIngestPolicy = .init(), key: String = "k", now: @escaping @Sendable () -> Int = { Int(Date().timeIntervalSince1970) }) -> ExploreIngestGuard {
        ExploreIngestGuard(policy: policy, ingestKey: key, now: now)
    }

    @Test func offNeedsTheOperator() async throws {
        try await TestEnvironment.with(.sqlite) { env in
            // An ingest key alone does not enable the explorer's offer.
            try await ServerHarness.test(env, ingestKey: "k") { client in
                let page = String(buffer: try await client.execute(uri: "/explore?dataset=ssb-08764&region=0301", method: .get).body)
                #expect(page.contains("id=\"empty\""))
                #expect(!page.contains("id=\"ingestform\""))
                let r = try await Self.post(client, ["dataset": "ssb-08764", "region": "0301"])
                #expect(r.status == .notFound)
                #expect(try ServerHarness.json(r)["detail"] as? String ?? "" == "the explorer's ingest is disabled: the operator enables it with `kilde serve --explore-ingest` and an ingest key")
            }
            #expect(await env.state.metadataRequests == 0)
        }
    }

    @Test func theTokenIsBoundToThePagesSliceAndOrigin() async throws {
        try await TestEnvironment.with(.sqlite) { env in
            try await ServerHarness.test(env, ingestKey: "k", explore: Self.guardian()) { client in
                let fields = try await Self.offer(client, "dataset=ssb-08764&region=0301&years=2021-2023")
                #expect(fields["region"] == "0301" && fields["years"] == "2021-2023" && fields["token"]?.hasPrefix("v1.") == true, "\(fields)")
                func refused(_ f: [String: String], headers: HTTPFields = [:], parameter: String, _ comment: Comment) async throws {
                    let r = try await Self.post(client, f, headers: headers)
                    #expect(r.status == .forbidden, comment)
                    #expect(try ServerHarness.json(r)["parameter"] as? String == parameter, comment)
                    #expect(r.headers[.accessControlAllowOrigin] == nil, "a write route sends no permissive CORS: \(comment)")
                }
                var noToken = fields
                noToken["token"] = nil
                try await refused(noToken, parameter: "token", "no token")
                var otherRegion = fields
                otherRegion["region"] = "4601"
                try await refused(otherRegion, parameter: "token", "the token of Oslo's page for Bergen")
                var otherYears = fields
                otherYears["years"] = "2015-2023"
                try await refused(otherYears, parameter: "token", "more years than the page showed")
                var wholeDataset = fields
                wholeDataset["region"] = nil
                wholeDataset["years"] = nil
                try await refused(wholeDataset, parameter: "token", "the whole dataset with a slice's token")
                var forged = fields
                forged["token"] = Self.guardian(key: "another key").token(dataset: "ssb-08764", selection: SliceSelection(filters: [.region: [50301]], years: YearWindow(first: 2021, last: 2023)))
                try await refused(forged, parameter: "token", "signed with another key")
                var stale = fields
                stale["token"] = Self.guardian(now: { Int(Date().timeIntervalSince1970) - 7200 })
                    .token(dataset: "ssb-08764", selection: SliceSelection(filters: [.region: [50301]], years: YearWindow(first: 2021, last: 2023)))
                try await refused(stale, parameter: "token", "issued two hours ago")
                var garbage = fields
                garbage["token"] = "v1.notanumber.00"
                try await refused(garbage, parameter: "token", "malformed")
                try await refused(fields, headers: [.origin: "https://evil.example"], parameter: "Origin", "another site's page")
                try await refused(fields, headers: [.secFetchSite: "cross-site"], parameter: "Origin", "a cross-site request")
                try await refused(fields, headers: [.origin: "null"], parameter: "Origin", "an opaque origin")
                try await refused(fields, headers: [.origin: "http://localhost:8081"], parameter: "Origin", "this host on another port")
                #expect(await env.state.metadataRequests == 0, "no refused request reached the upstream")
                let preflight = try await client.execute(uri: "/explore/ingest", method: .options,
                                                         headers: [.origin: "https://evil.example", .accessControlRequestMethod: "POST"])
                #expect(preflight.headers[.accessControlAllowOrigin] == nil)
                #expect(try await client.execute(uri: "/v1/assets", method: .get).headers[.accessControlAllowOrigin] == "*", "reads stay public")

                // The page's own request (the test client's authority is `localhost`) is accepted once; then the slice
                // is no longer empty.
                let accepted = try await Self.post(client, fields, headers: [.origin: "http://localhost", .secFetchSite: "same-origin"])
                #expect(accepted.status == .accepted)
                #expect(accepted.headers[.accessControlAllowOrigin] == nil)
                let runID = try #require(try ServerHarness.json(accepted)["runId"] as? Int)
                let status = try await ServerHarness.finishedRun(client, runID)
                #expect(status["status"] as? String == "complete", "\(status)")
                #expect(status["slicesTotal"] as? Int == 1, "Oslo only, not the whole dataset")
                let again = try await Self.post(client, fields)
                #expect(again.status == .conflict)
                #expect(try ServerHarness.json(again)["title"] as? String == "Slice not empty")
                // A page over the stored slice offers nothing.
                let page = String(buffer: try await client.execute(uri: "/explore?dataset=ssb-08764&region=0301&years=2021-2023", method: .get).body)
                #expect(!page.contains("id=\"ingestform\""))
            }
        }
    }

    @Test func aClientMayStartOnlySoManyIngests() async throws {
        var policy = ExploreIngestPolicy()
        policy.perClient = 2
        let guardian = Self.guardian(policy)
        try await TestEnvironment.with(.sqlite) { env in
            try await ServerHarness.test(env, ingestKey: "k", explore: guardian, live: true) { client in
                for region in ["0301", "4601"] {
                    let ok = try await Self.post(client, try await Self.offer(client, "dataset=ssb-08764&region=\(region)&years=2023"))
                    #expect(ok.status == .accepted)
                    if let runID = try ServerHarness.json(ok)["runId"] as? Int { _ = try await ServerHarness.finishedRun(client, runID) }
                }
                let third = try await Self.post(client, try await Self.offer(client, "dataset=ssb-08764&region=5001&years=2023"))
                #expect(third.status == .tooManyRequests)
                let wait = try #require(third.headers[.retryAfter].flatMap(Int.init))
                #expect(wait > 3500 && wait <= 3600, "the oldest start leaves the hour's window in about an hour: \(wait)")
                #expect(try ServerHarness.json(third)["detail"] as? String == "this client may start 2 ingests per hour from the explorer")
            }
        }
        // Another client has its own allowance.
        #expect(throws: Never.self) { try guardian.admit(client: "192.0.2.7") }
        #expect(throws: APIError.self) { try guardian.admit(client: "127.0.0.1") }
    }

    @Test func theUpstreamBudgetBoundsEveryExplorerIngest() async throws {
        var policy = ExploreIngestPolicy()
        policy.upstreamRequestsPerHour = 1
        try await TestEnvironment.with(.sqlite) { env in
            try await ServerHarness.test(env, ingestKey: "k", explore: Self.guardian(policy)) { client in
                // The budget pays for the table metadata, then is spent: the slice fails naming it, and the upstream
                // never sees the data request.
                let first = try await Self.post(client, try await Self.offer(client, "dataset=ssb-08764&region=0301&years=2023"))
                #expect(first.status == .accepted)
                let runID = try #require(try ServerHarness.json(first)["runId"] as? Int)
                let status = try await ServerHarness.finishedRun(client, runID)
                #expect(status["status"] as? String == "error")
                let error = status["errorMessage"] as? String ?? ""
                #expect(error.contains("the explorer's upstream budget of 1 upstream requests per hour is spent"), "\(error)")
                #expect(await env.state.metadataRequests == 1)
                #expect(await env.state.dataRequests["08764"] == nil)
                // The next offer is refused before any run starts.
                let second = try await Self.post(client, try await Self.offer(client, "dataset=ssb-08764&region=4601&years=2023"))
                #expect(second.status == .tooManyRequests)
                #expect(try ServerHarness.json(second)["detail"] as? String == "the explorer's upstream budget of 1 requests per hour is spent")
                #expect(await env.state.metadataRequests == 1)
            }
            // The admin endpoint is not bound by the explorer's budget.
            try await ServerHarness.test(env, ingestKey: "k", explore: Self.guardian(policy)) { client in
                let r = try await client.execute(uri: "/v1/admin/ingest", method: .post, headers: [.init("x-ingest-key")!: "k"],
                                                 body: ByteBuffer(string: #"{"dataset": "ssb-08764", "years": "2023", "filters": {"region": ["0301"]}}"#))
                let runID = try #require(try ServerHarness.json(r)["runId"] as? Int, "\(String(buffer: r.body))")
                #expect(try await ServerHarness.finishedRun(client, runID)["status"] as? String == "complete")
            }
        }
    }
}
