import Foundation
import KildeTestSupport
import Hummingbird
import HummingbirdTesting
import KildeCore
import KildeServer
import KildeStore
import Testing

/// The read API's SPEC §7 semantics, problems, CORS and the admin ingest, through the real router.
@Suite("Server API", .serialized)
struct ServerAPITests {
    static func rows(_ o: [String: Any]) -> [[String: Any]] { o["rows"] as? [[String: Any]] ?? [] }
    static func region(_ row: [String: Any]) -> String? { (row["region"] as? [String: Any])?["code"] as? String }

    @Test func factsFollowNullAsAllOrWithinAndAcrossAxesAndStandardCodes() async throws {
        try await TestEnvironment.with(.sqlite) { env in
            _ = try await env.pipeline.run(dataset: "ssb-12058")
            let years = YearWindow(first: 2020, last: 2021)
            let national = try env.upstreamCells(Slice(dataset: "ssb-12058", dimCode: 5, years: years), revised: false)
            let oslo = try env.upstreamCells(Slice(dataset: "ssb-12058", dimCode: 5, filters: [.region: [50301]], years: years), revised: false)
            try await ServerHarness.test(env) { client in
                // Omitted axes: building_type IS NULL and region IS NULL → only cat 502, the whole country.
                let all = try ServerHarness.json(try await client.execute(uri: "/v1/facts?dataset=ssb-12058&years=2020-2021", method: .get))
                #expect(Self.rows(all).count == 2)
                for r in Self.rows(all) {
                    #expect(r["catCode"] as? Int == 502)
                    #expect(r["region"] == nil && r["buildingType"] == nil)
                    #expect(r["value"] as? Double == national["EAK|KOSbygningsbrann0000|\(r["period"] as? String ?? "")"])
                }
                // OR within an axis: two kommuner → each year twice, one per kommune.
                let two = Self.rows(try ServerHarness.json(try await client.execute(uri: "/v1/facts?dataset=ssb-12058&years=2020-2021&region=0301,4601", method: .get)))
                #expect(Set(two.compactMap(Self.region)) == ["0301", "4601"])
                #expect(two.count == 4)
                for r in two where Self.region(r) == "0301" {
                    #expect(r["value"] as? Double == oslo["0301|KOSbygningsbrann0000|\(r["period"] as? String ?? "")"])
                }
                // AND across axes: residential AND Oslo → only cat 501, carrying both filters.
                let and = Self.rows(try ServerHarness.json(try await client.execute(uri: "/v1/facts?dataset=ssb-12058&years=2020&region=0301&building_type=RESIDENTIAL", method: .get)))
                #expect(and.count == 1)
                #expect(and.first?["catCode"] as? Int == 501)
                #expect((and.first?["buildingType"] as? [String: Any])?["id"] as? Int == 64)
                // A standard code expands to every matching filter: county 03 = EKA03 and 0301.
                let county = try ServerHarness.json(try await client.execute(uri: "/v1/facts?dataset=ssb-12058&years=2020&region=03", method: .get))
                #expect(Set(Self.rows(county).compactMap(Self.region)) == ["EKA03", "0301"])
                #expect(((county["query"] as? [String: Any])?["filters"] as? [String: Any])?["region"] as? [Int] == [59003, 50301])
                // Totals on read: per category and per period over everything matched.
                let totals = try ServerHarness.json(try await client.execute(uri: "/v1/facts?dataset=ssb-12058&years=2020-2021&region=0301,4601&totals=all", method: .get))
                let t = try #require(totals["totals"] as? [String: Any])
                let byPeriod = try #require(t["byPeriod"] as? [[String: Any]])
                let sum = Self.rows(totals).filter { $0["period"] as? String == "2020" }.compactMap { $0["value"] as? Double }.reduce(0, +)
                #expect(byPeriod.first { $0["period"] as? String == "2020" }?["value"] as? Double == sum)
                let byCategory = try #require(t["byCategory"] as? [[String: Any]])
                #expect(byCategory.map { $0["catCode"] as? Int } == [502])
                #expect(byCategory.first?["value"] as? Double == Self.rows(totals).compactMap { $0["value"] as? Double }.reduce(0, +))
                // CSV on request.
                let csv = try await client.execute(uri: "/v1/facts?dataset=ssb-12058&years=2020&region=0301", method: .get, headers: [.accept: "text/csv"])
                #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
                #expect(String(buffer: csv.body).hasPrefix("cat_code,category,period,"))
            }
        }
    }

    struct BadRequest: Sendable, CustomTestStringConvertible {
        var uri: String
        var parameter: String
        var testDescription: String { uri }
    }

    @Test("invalid parameters are 400 problems naming the parameter", arguments: [
        BadRequest(uri: "/v1/facts?dataset=ssb-12058&granularity=month", parameter: "granularity"),
        BadRequest(uri: "/v1/facts?dataset=ssb-12058&regoin=0301", parameter: "regoin"),
        BadRequest(uri: "/v1/facts?dataset=ssb-12058&region=9998", parameter: "region"),
        BadRequest(uri: "/v1/facts?dataset=ssb-08764&building_type=RESIDENTIAL", parameter: "building_type"),
        BadRequest(uri: "/v1/facts?dataset=ssb-12058&years=20x0", parameter: "years"),
        BadRequest(uri: "/v1/facts?dataset=nope", parameter: "dataset"),
        BadRequest(uri: "/v1/facts", parameter: "dataset"),
        BadRequest(uri: "/v1/facts?dataset=ssb-12058&metric=kr", parameter: "metric"),
        BadRequest(uri: "/v1/runs?limit=0", parameter: "limit"),
        BadRequest(uri: "/v1/kommune-indicators?indicator=ssb-00000", parameter: "indicator"),
    ])
    func problems(_ c: BadRequest) async throws {
        try await TestEnvironment.with(.sqlite) { env in
            try await ServerHarness.test(env) { client in
                let r = try await client.execute(uri: c.uri, method: .get)
                #expect(r.status == .badRequest)
                #expect(r.headers[.contentType] == "application/problem+json")
                let p = try ServerHarness.json(r)
                #expect(p["parameter"] as? String == c.parameter)
                #expect(p["status"] as? Int == 400)
                #expect(p["type"] as? String == "/v1/problems/invalid-parameter")
                #expect((p["detail"] as? String)?.isEmpty == false)
            }
        }
    }

    @Test func corsHeadersOnEveryResponse() async throws {
        try await TestEnvironment.with(.sqlite) { env in
            try await ServerHarness.test(env, corsOrigins: ["https://a.example"]) { client in
                let cases: [(String, HTTPRequest.Method, HTTPResponse.Status)] = [
                    ("/v1/assets", .get, .ok), ("/v1/facts?dataset=x", .get, .badRequest), ("/nowhere", .get, .notFound),
                    ("/v1/facts", .delete, .methodNotAllowed), ("/v1/facts", .options, .noContent), ("/", .get, .ok),
                    ("/map", .get, .ok), ("/healthz", .get, .ok), ("/metrics", .get, .ok), ("/v1/admin/ingest", .post, .notFound),
                    ("/api", .get, .ok), ("/api", .post, .methodNotAllowed),
                ]
                for (uri, method, status) in cases {
                    let r = try await client.execute(uri: uri, method: method, headers: [.origin: "https://a.example"])
                    #expect(r.status == status, "\(method) \(uri)")
                    #expect(r.headers[.accessControlAllowOrigin] == "https://a.example", "\(method) \(uri)")
                    #expect(r.headers[.xContentTypeOptions] == "nosniff", "\(method) \(uri)")
                    // Only a route that writes lets a listed origin send the key.
                    #expect(r.headers[.accessControlAllowHeaders]?.contains("x-ingest-key") == (uri == "/v1/admin/ingest"), "\(method) \(uri)")
                }
                // Another origin still gets the header (the browser then refuses the read).
                let other = try await client.execute(uri: "/v1/assets", method: .get, headers: [.origin: "https://evil.example"])
                #expect(other.headers[.accessControlAllowOrigin] == "https://a.example")
                let gz = try await client.execute(uri: "/map", method: .get, headers: [.acceptEncoding: "gzip"])
                #expect(gz.headers[.contentEncoding] == "gzip")
                // A write route answers an unlisted origin with no CORS at all.
                let evilPost = try await client.execute(uri: "/v1/admin/ingest", method: .post, headers: [.origin: "https://evil.example"])
                #expect(evilPost.headers[.accessControlAllowOrigin] == nil)
            }
            // With `*` for the reads, routes that write still allow no origin: no other site's script can drive them.
            try await ServerHarness.test(env, ingestKey: "k") { client in
                for (uri, method) in [("/v1/admin/ingest", HTTPRequest.Method.post), ("/v1/admin/ingest", .options), ("/explore/ingest", .post), ("/explore/ingest", .options)] {
                    let r = try await client.execute(uri: uri, method: method, headers: [.origin: "https://evil.example", .accessControlRequestMethod: "POST"])
                    #expect(r.headers[.accessControlAllowOrigin] == nil, "\(method) \(uri)")
                }
                #expect(try await client.execute(uri: "/v1/facts?dataset=ssb-08764", method: .get).headers[.accessControlAllowOrigin] == "*")
            }
        }
    }

    @Test func adminIngestNeedsTheKeyRunsInTheBackgroundAndRebuildsTheMart() async throws {
        try await TestEnvironment.with(.sqlite) { env in
            try await ServerHarness.test(env, ingestKey: "s3cret") { client in
                let body = ByteBuffer(string: #"{"dataset": "ssb-08764", "years": "2021-2023"}"#)
                let none = try await client.execute(uri: "/v1/admin/ingest", method: .post, headers: [.contentType: "application/json"], body: body)
                #expect(none.status == .forbidden)
                let wrong = try await client.execute(uri: "/v1/admin/ingest", method: .post, headers: [.init("x-ingest-key")!: "s3creT"], body: body)
                #expect(wrong.status == .forbidden)
                let bad = try await client.execute(uri: "/v1/admin/ingest", method: .post, headers: [.init("x-ingest-key")!: "s3cret"], body: ByteBuffer(string: #"{"dataset": "nope"}"#))
                #expect(bad.status == .badRequest)
                let ok = try await client.execute(uri: "/v1/admin/ingest", method: .post, headers: [.init("x-ingest-key")!: "s3cret"], body: body)
                #expect(ok.status == .accepted)
                let runID = try #require(try ServerHarness.json(ok)["runId"] as? Int)
                let status = try await ServerHarness.finishedRun(client, runID)
                #expect(status["status"] as? String == "complete")
                #expect(status["progress"] as? Double == 1)
                #expect((status["phaseDetail"] as? [String: Any])?["canonical_progress"] as? Double == 1)
                #expect(status["rowsAdded"] as? Int ?? 0 > 0)
                // The mart was rebuilt after the ingest (its build is a run too): the map's data is served.
                var mart: [String: Any] = [:]
                for _ in 0..<100 {
                    mart = try ServerHarness.json(try await client.execute(uri: "/v1/kommune-indicators?indicator=ssb-08764&year=2023", method: .get))
                    if !(mart["rows"] as? [Any] ?? []).isEmpty { break }
                    try await Task.sleep(for: .milliseconds(50))
                }
                #expect((mart["rows"] as? [Any])?.count == 356, "2023 is drawn on the 2020 structure")
                #expect(mart["attribution"] as? String == "Kilde: Statistisk sentralbyrå, tabell 08764")
                let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
                #expect(metrics.contains("kilde_ingest_rows_total{outcome=\"added\"} \(status["rowsAdded"] as? Int ?? -1)"))
                #expect(metrics.contains("kilde_upstream_requests_total{source=\"ssb\"}"))
                #expect(metrics.contains("kilde_http_request_duration_seconds_bucket{method=\"GET\",route=\"/v1/ingest/status/{id}\""))
            }
            // Without a key the endpoint does not exist.
            try await ServerHarness.test(env) { client in
                let r = try await client.execute(uri: "/v1/admin/ingest", method: .post, headers: [.init("x-ingest-key")!: "s3cret"],
                                                 body: ByteBuffer(string: #"{"dataset": "ssb-08764"}"#))
                #expect(r.status == .notFound)
            }
        }
    }

    @Test func headIsGetWithoutTheBody() async throws {
        try await TestEnvironment.with(.sqlite) { env in
            try await ServerHarness.test(env) { client in
                for uri in ["/v1/assets", "/map", "/v1/openapi.json", "/healthz"] {
                    let get = try await client.execute(uri: uri, method: .get)
                    let head = try await client.execute(uri: uri, method: .head)
                    #expect(head.status == .ok, "\(uri)")
                    #expect(head.body.readableBytes == 0, "\(uri)")
                    #expect(head.headers[.contentType] == get.headers[.contentType], "\(uri)")
                    #expect(head.headers[.contentLength] == String(get.body.readableBytes), "\(uri)")
                }
                let bad = try await client.execute(uri: "/v1/facts?dataset=nope", method: .head)
                #expect(bad.status == .badRequest)
                #expect(bad.body.readableBytes == 0)
                let write = try await client.execute(uri: "/v1/admin/ingest", method: .head)
                #expect(write.status == .methodNotAllowed, "a route that only writes has no HEAD")
            }
        }
    }

    @Test func keyComparisonIsExact() {
        #expect(ServerContext.keysMatchForTesting("abc", "abc"))
        #expect(!ServerContext.keysMatchForTesting("abd", "abc"))
        #expect(!ServerContext.keysMatchForTesting("ab", "abc"))
        #expect(!ServerContext.keysMatchForTesting("abcd", "abc"))
        #expect(!ServerContext.keysMatchForTesting("", "abc"))
    }
}

/// Slow, idle and malformed clients on a real socket, against a real `kilde serve`: the server closes them after its
/// idle timeout, serves at most its connection cap at once (the others wait to be accepted), and answers what its
/// HTTP parser refuses with a problem naming the limit.
@Suite("Slow clients", .serialized)
struct SlowClientTests {
    /// Runs `body` with the port of a `kilde serve` started with `args`, and stops it after.
    static func serve(_ env: TestEnvironment, _ args: [String], _ body: (Int) async throws -> Void) async throws {
        let p = Process()
        p.executableURL = try CLIProcess.executable
        p.arguments = ["serve", "--port", "0", "--store", env.storeSpec] + args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        let exited = CLIProcess.exitStatus(of: p)
        try p.run()
        defer {
            p.terminate()
            _ = out.fileHandleForReading.readDataToEndOfFile()
        }
        // The first line names the bound port: "Kilde explorer: http://127.0.0.1:PORT/ …".
        let line = await withCheckedContinuation { c in
            DispatchQueue.global().async { c.resume(returning: String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)) }
        }
        let port = try #require(line.components(separatedBy: "127.0.0.1:").dropFirst().first.flatMap { Int($0.prefix { $0.isNumber }) }, "\(line)")
        try await body(port)
        p.terminate()
        _ = await exited.value
    }

    @Test func aClientSendingItsHeadersAByteAtATimeIsClosed() async throws {
        try await TestEnvironment.with(.sqlite) { env in
            try await Self.serve(env, ["--idle-timeout", "1"]) { port in
                let slow = try RawConnection(port: port)
                var closed = false
                for byte in "GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: " + String(repeating: "a", count: 40) {
                    guard slow.send(String(byte)), slow.receive(timeout: .milliseconds(100)) == nil else { closed = true; break }
                }
                #expect(closed, "a head that never completes is closed by the idle timeout, not kept open")
                // A client that sends its request promptly is served.
                let prompt = try RawConnection(port: port)
                prompt.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
                #expect(String(decoding: prompt.receive(timeout: .seconds(5)) ?? [], as: UTF8.self).hasPrefix("HTTP/1.1 200"))
            }
        }
    }

    /// Requests the HTTP parser refuses before any route sees them.
    enum Refused: String, CaseIterable, CustomTestStringConvertible {
        case longQuery, longHeader, notHTTP

        var request: String {
            let big = String(repeating: "a", count: 40_000)
            switch self {
            case .longQuery: return "GET /v1/facts?dataset=ssb-08764&q=\(big) HTTP/1.1\r\nHost: localhost\r\n\r\n"
            case .longHeader: return "GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Big: \(big)\r\n\r\n"
            case .notHTTP: return "NOT HTTP AT ALL\r\n\r\n"
            }
        }
        var status: Int { self == .notHTTP ? 400 : 431 }
        var detail: String { self == .notHTTP ? "could not be parsed" : "at most 32768 bytes" }
        var testDescription: String { rawValue }
    }

    /// What the HTTP parser refuses never reaches a route; it is still answered with a problem naming the limit.
    @Test("a request the HTTP parser refuses is answered with a problem naming the limit, then closed", arguments: Refused.allCases)
    func refusedByTheParser(_ refused: Refused) async throws {
        try await TestEnvironment.with(.sqlite) { env in
            try await Self.serve(env, []) { port in
                let client = try RawConnection(port: port)
                client.send(refused.request)
                var answer: [UInt8] = []
                while let bytes = client.receive(timeout: .seconds(5)), !bytes.isEmpty { answer += bytes }
                let text = String(decoding: answer, as: UTF8.self)
                #expect(text.hasPrefix("HTTP/1.1 \(refused.status) "), "\(text.prefix(300))")
                #expect(text.lowercased().contains("content-type: application/problem+json"), "\(text.prefix(600))")
                #expect(text.contains("\"status\":\(refused.status)") && text.contains(refused.detail), "\(text.prefix(600))")
            }
        }
    }

    @Test func connectionsBeyondTheCapWaitForASlot() async throws {
        try await TestEnvironment.with(.sqlite) { env in
            // An idle timeout of 3 s leaves the check below room on a loaded machine: the idle ones must still be open.
            try await Self.serve(env, ["--idle-timeout", "3", "--max-connections", "2"]) { port in
                let idle = [try RawConnection(port: port), try RawConnection(port: port)]
                try await Task.sleep(for: .milliseconds(100))
                let third = try RawConnection(port: port)
                third.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
                #expect(third.receive(timeout: .milliseconds(300)) == nil, "two connections are served; the third waits")
                // The idle ones are closed after the timeout; then the third is accepted and answered.
                let answer = String(decoding: third.receive(timeout: .seconds(10)) ?? [], as: UTF8.self)
                #expect(answer.hasPrefix("HTTP/1.1 200"), "\(answer)")
                for c in idle { #expect(c.receive(timeout: .milliseconds(100)) == [], "closed by the server") }
            }
        }
    }
}
