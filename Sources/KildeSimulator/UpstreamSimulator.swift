import Foundation
import HTTPTypes
import Hummingbird
import KildeCatalog
import KildeCore
import Logging
import NIOCore

/// An SSB PxWeb simulator over loopback: v0 and v2 data and metadata for generated demo tables
/// (12058, 08764) and recorded real responses (07221, 05300), with fault injection.
///
/// Control endpoints (for `kilde sim` users and tests in other processes):
/// `POST /_sim/fault?spec=503x2`, `POST /_sim/revised?on=true`, `POST /_sim/reset`, `GET /_sim/stats`.
public struct UpstreamSimulator: Sendable {
    public let state: SimulatorState
    public let tables: SimulatedTables
    let recordings: Recordings
    /// The `updated` timestamp of generated tables.
    public var updated = "2026-03-17T08:00:00Z"

    public init(registry: Registry, state: SimulatorState = SimulatorState()) {
        self.state = state
        let seed = try? BundledSeeds.kommuneDim()
        let population = Dictionary(seed?.kommuner.compactMap { k in k.population.map { (k.number, $0) } } ?? [], uniquingKeysWith: { a, _ in a })
        self.tables = SimulatedTables(registry: registry, population: population)
        self.recordings = Recordings()
    }

    /// Builds the router.
    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        let sim = self
        router.get("/") { _, _ in
            Response.text("Kilde upstream simulator: SSB PxWeb v0 and v2. Tables 12058 and 08764 are DEMO DATA (generated); 07221 and 05300 are recorded real responses.\n")
        }
        router.get("/api/pxwebapi/v2/config") { _, _ in
            Response.json("{\"apiVersion\":\"2.0.0\",\"appVersion\":\"kilde-sim\",\"maxDataCells\":800000,\"maxCallsPerTimeWindow\":30,\"timeWindow\":60}", demo: true)
        }
        router.get("/api/pxwebapi/v2/tables/:id") { _, context in
            let id = try context.parameters.require("id")
            if let recorded = sim.recordings.file("\(id)_v2_table.json") { return Response.json(recorded, demo: false) }
            guard let t = sim.tables.tables[id] else { return Response.notFound(id) }
            return Response.json("{\"id\":\"\(id)\",\"label\":\(CanonicalJSON.string(t.title)),\"updated\":\"\(sim.updated)\",\"firstPeriod\":\"\(t.time.values.first?.code ?? "")\",\"lastPeriod\":\"\(t.time.values.last?.code ?? "")\",\"source\":\"Statistisk sentralbyrå (DEMO DATA)\"}", demo: true)
        }
        router.get("/api/pxwebapi/v2/tables/:id/metadata") { _, context in
            let id = try context.parameters.require("id")
            await sim.state.countMetadata()
            if let recorded = sim.recordings.file("\(id)_v2_metadata.json") { return Response.json(recorded, demo: false) }
            guard let t = sim.tables.tables[id] else { return Response.notFound(id) }
            return Response.json(JSONStatWriter.dataset(t, selected: t.variables.map { $0.values.map(\.code) }, revised: false,
                                                        metadataOnly: true, updated: sim.updated), demo: true)
        }
        router.get("/api/v0/:lang/table/:id") { _, context in
            let id = try context.parameters.require("id")
            await sim.state.countMetadata()
            if let recorded = sim.recordings.file("\(id)_v0_table.json") { return Response.json(recorded, demo: false) }
            guard let t = sim.tables.tables[id] else { return Response.notFound(id) }
            return Response.json(JSONStatWriter.v0Metadata(t), demo: true)
        }
        router.get("/api/pxwebapi/v2/tables/:id/data") { request, context in
            let id = try context.parameters.require("id")
            var selection: [String: [String]] = [:]
            for (key, value) in request.uri.queryParameters {
                let k = String(key).removingPercentEncoding ?? String(key)
                // PxWeb's query names are case-insensitive: SSB documents valueCodes[…], the OpenAPI spec valuecodes[…].
                guard k.lowercased().hasPrefix("valuecodes["), k.hasSuffix("]") else { continue }
                let name = String(k.dropFirst("valueCodes[".count).dropLast())
                selection[name] = (String(value).removingPercentEncoding ?? String(value)).split(separator: ",").map(String.init)
            }
            return try await sim.data(table: id, selection: selection, recordedName: "\(id)_v2_data.json", recordedQuery: nil, body: nil)
        }
        router.post("/api/v0/:lang/table/:id") { request, context in
            let id = try context.parameters.require("id")
            let body = try await request.body.collect(upTo: 4 << 20)
            let bytes = Array(body.readableBytesView)
            guard let query = PxWebQuery.parseV0(bytes) else {
                return Response.error(.badRequest, "the body is not a PxWeb v0 query")
            }
            return try await sim.data(table: id, selection: query, recordedName: "\(id)_v0_response.json", recordedQuery: "\(id)_v0_query.json", body: bytes)
        }
        router.post("/_sim/fault") { request, _ in
            guard let spec = request.uri.queryParameters.get("spec"), let (fault, times) = Fault.parse(spec) else {
                return Response.error(.badRequest, "spec must be like 503x2, 429:2, slow:3, truncated, malformed or renamed")
            }
            await sim.state.inject(fault, times: times)
            return Response.text("queued \(times)× \(fault)\n")
        }
        router.post("/_sim/revised") { request, _ in
            let on = request.uri.queryParameters.get("on") != "false"
            await sim.state.setRevised(on)
            return Response.text("revised mode \(on ? "on" : "off")\n")
        }
        router.post("/_sim/reset") { _, _ in
            await sim.state.reset()
            return Response.text("reset\n")
        }
        router.get("/_sim/stats") { _, _ in
            let counts = await sim.state.dataRequests
            let meta = await sim.state.metadataRequests
            let items = counts.sorted { $0.key < $1.key }.map { "\(CanonicalJSON.string($0.key)):\($0.value)" }.joined(separator: ",")
            return Response.json("{\"data_requests\":{\(items)},\"metadata_requests\":\(meta)}", demo: false)
        }
        return router
    }

    /// Serves a data request: applies the next queued fault, then answers from a recording or a generated table.
    func data(table id: String, selection: [String: [String]], recordedName: String, recordedQuery: String?, body: [UInt8]?) async throws -> Response {
        let fault = await state.nextFault(table: id)
        if case .slow(let d) = fault { try await Task.sleep(for: d) }
        if case .status(let code, let retryAfter) = fault {
            var r = Response.error(HTTPResponse.Status(code: code), "simulated fault: HTTP \(code)")
            if let retryAfter { r.headers[.retryAfter] = String(retryAfter) }
            return r
        }
        var text: String
        var demo = true
        if let recorded = recordings.file(recordedName) {
            // A recording answers only the query it was recorded for.
            if let recordedQuery, let expected = recordings.file(recordedQuery), PxWebQuery.parseV0(Array(expected.utf8)) != selection {
                return Response.error(.badRequest, "the simulator has a recording of table \(id) for one query only")
            }
            text = recorded
            demo = false
        } else if let t = tables.tables[id] {
            var selected: [[String]] = []
            for v in t.variables {
                let codes = v.values.map(\.code)
                let asked = selection[v.code] ?? ["*"]
                if asked == ["*"] { selected.append(codes); continue }
                if let unknown = asked.first(where: { !codes.contains($0) }) {
                    return Response.error(.badRequest, "value code '\(unknown)' does not exist in variable \(v.code) of table \(id)")
                }
                selected.append(asked)
            }
            let revised = await state.revised
            text = JSONStatWriter.dataset(t, selected: selected, revised: revised,
                                          renameRegion: fault == .renamedDimension ? "Region2024" : nil, updated: updated)
        } else {
            return Response.notFound(id)
        }
        switch fault {
        case .truncated: text = String(text.utf8.prefix(text.utf8.count / 2)) ?? ""
        case .malformed: text = "{\"class\":\"dataset\",\"value\":[1,2," + String(repeating: "}", count: 3) + "<html>Service Unavailable"
        default: break
        }
        return Response.json(text, demo: demo)
    }
}

extension Response {
    static func json(_ text: String, demo: Bool) -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if demo { headers[HTTPField.Name("X-Kilde-Demo")!] = "1" }  // swift-format-ignore: NeverForceUnwrap (constant, valid name)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func text(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func error(_ status: HTTPResponse.Status, _ message: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json"],
                 body: .init(byteBuffer: ByteBuffer(string: "{\"error\":\(CanonicalJSON.string(message))}")))
    }

    static func notFound(_ table: String) -> Response { error(.notFound, "table \(table) is not simulated") }
}
