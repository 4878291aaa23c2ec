import Foundation
import HTTPTypes
import Hummingbird
import KildeCatalog
import KildeCore
import Logging
import NIOCore

/// A PxWeb simulator over loopback: SSB (v0 and v2) at the root, with generated demo tables (12058, 08764) and
/// recorded real responses (07221, 05300); Statistics Sweden (v2) under `/scb`, replaying a recorded table
/// (TAB6471) for any selection within it; BRASK's WebForms page under `/brask`, with generated demo fires
/// (``BRASKSimulator``). Faults can be injected into data responses.
///
/// It serves what the live services serve: SSB's v0 metadata has no `updated` (v2's has), a v2 data GET whose URL is
/// longer than about 2,000 characters is answered 404, and the v2 POST form takes the selection as a JSON body.
///
/// Control endpoints (for `kilde sim` users and tests in other processes):
/// `POST /_sim/fault?spec=503x2`, `POST /_sim/revised?on=true`, `POST /_sim/release?table=12058` (a new release: a later
/// `updated`, revised numbers), `POST /_sim/reset`, `GET /_sim/stats`.
public struct UpstreamSimulator: Sendable {
    public let state: SimulatorState
    public let tables: SimulatedTables
    /// The simulated BRASK form and its generated fires.
    public let brask: BRASKSimulator
    let recordings: Recordings
    /// Recorded data responses answered by selection, by mount and table id.
    let cubes: [String: [String: RecordedCube]]
    /// The `updated` timestamp of generated tables.
    public var updated = "2026-03-17T08:00:00Z"

    /// The sources the simulator serves and where, under its base URL: SSB at the root, Statistics Sweden at `/scb`,
    /// BRIS's three reporters at `/bris`, BRASK at `/brask`.
    public static let mounts: [String: String] = ["ssb": "", "scb": "/scb", "bris-police": "/bris", "bris-brigade": "/bris", "bris-dsb": "/bris", "brask": "/brask"]

    /// The longest v2 GET URL the simulated SSB answers; longer ones get 404, as the live service does.
    public static let urlLimit = 2000

    public init(registry: Registry, state: SimulatorState = SimulatorState()) {
        self.state = state
        self.tables = SimulatedTables(registry: registry, seed: try? BundledSeeds.kommuneDim())
        self.brask = BRASKSimulator()
        let recordings = Recordings()
        self.recordings = recordings
        func cube(_ prefix: String, _ id: String) -> RecordedCube? {
            recordings.file("\(prefix)\(id)_v2_data.json").flatMap { RecordedCube(recording: $0, metadata: recordings.file("\(prefix)\(id)_v2_metadata.json")) }
        }
        self.cubes = ["": ["05300": cube("", "05300")].compactMapValues { $0 }, "/scb": ["TAB6471": cube("scb/", "TAB6471")].compactMapValues { $0 }]
    }

    /// Builds the router.
    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        let sim = self
        router.get("/") { _, _ in
            Response.text("Kilde upstream simulator: SSB PxWeb v0 and v2 at /, Statistics Sweden PxWeb v2 at /scb, BRIS aggregation at /bris, BRASK's WebForms page at /brask/. SSB tables 12058 and 08764, all of BRIS and all of BRASK are DEMO DATA (generated); 07221 and 05300 (SSB) and TAB6471 (SCB) are recorded real responses.\n")
        }
        router.get("/api/pxwebapi/v2/config") { _, _ in
            Response.json("{\"apiVersion\":\"2.0.0\",\"appVersion\":\"kilde-sim\",\"maxDataCells\":800000,\"maxCallsPerTimeWindow\":30,\"timeWindow\":60}", demo: true)
        }
        router.get("/api/pxwebapi/v2/tables/:id") { _, context in
            let id = try context.parameters.require("id")
            if let recorded = sim.recordings.file("\(id)_v2_table.json") { return Response.json(recorded, demo: false) }
            guard let t = sim.tables.tables[id] else { return Response.notFound(id) }
            let updated = await sim.state.releases[id] ?? sim.updated
            return Response.json("{\"id\":\"\(id)\",\"label\":\(CanonicalJSON.string(t.title)),\"updated\":\"\(updated)\",\"firstPeriod\":\"\(t.time.values.first?.code ?? "")\",\"lastPeriod\":\"\(t.time.values.last?.code ?? "")\",\"source\":\"Statistisk sentralbyrå (DEMO DATA)\"}", demo: true)
        }
        router.get("/api/pxwebapi/v2/tables/:id/metadata") { _, context in
            let id = try context.parameters.require("id")
            await sim.state.countMetadata()
            if let recorded = sim.recordings.file("\(id)_v2_metadata.json") { return Response.json(recorded, demo: false) }
            guard let t = sim.tables.tables[id] else { return Response.notFound(id) }
            return Response.json(JSONStatWriter.dataset(t, selected: t.variables.map { $0.values.map(\.code) }, revised: false,
                                                        metadataOnly: true, updated: await sim.state.releases[id] ?? sim.updated), demo: true)
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
            if let tooLong = Self.urlTooLong(request) { return tooLong }
            if sim.cubes[""]?[id] != nil { return try await sim.cubeData(mount: "", table: id, selection: Self.v2Selection(request)) }
            return try await sim.data(table: id, selection: Self.v2Selection(request), recordedName: "\(id)_v2_data.json", recordedQuery: nil, body: nil)
        }
        router.post("/api/pxwebapi/v2/tables/:id/data") { request, context in
            let id = try context.parameters.require("id")
            let body = Array(try await request.body.collect(upTo: 4 << 20).readableBytesView)
            guard let selection = PxWebQuery.parseV2(body) else { return Response.error(.badRequest, "the body is not a PxWeb v2 selection") }
            if sim.cubes[""]?[id] != nil { return try await sim.cubeData(mount: "", table: id, selection: selection) }
            return try await sim.data(table: id, selection: selection, recordedName: "\(id)_v2_data.json", recordedQuery: nil, body: body)
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
        sim.recordedHost(router, mount: "/scb", directory: "scb", v2Path: "/api/v2")
        BRISSimulator(state: sim.state).register(on: router, mount: "/bris")
        sim.brask.mount(router, at: Self.mounts["brask"] ?? "/brask", faults: sim.state)
        router.post("/_sim/fault") { request, _ in
            guard let spec = request.uri.queryParameters.get("spec") else { return Response.error(.badRequest, "spec is required, e.g. spec=503x2") }
            switch Fault.parse(spec) {
            case .success(let (fault, times)):
                await sim.state.inject(fault, times: times)
                return Response.text("queued \(times)× \(fault)\n")
            case .failure(let e):
                return Response.error(.badRequest, e.message)
            }
        }
        router.post("/_sim/release") { request, _ in
            guard let table = request.uri.queryParameters.get("table"), sim.tables.tables[table] != nil else {
                return Response.error(.badRequest, "table is required and must be a generated table, e.g. table=12058")
            }
            let updated = await sim.state.publishRelease(table: table)
            return Response.text("table \(table) released: updated \(updated), revised numbers\n")
        }
        router.post("/_sim/revised") { request, _ in
            let on = request.uri.queryParameters.get("on") != "false"
            await sim.state.setRevised(on)
            return Response.text("revised mode \(on ? "on" : "off")\n")
        }
        router.post("/_sim/reset") { _, _ in
            await sim.state.reset()
            await sim.brask.state.reset()
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

    /// A PxWeb v2 host that replays recordings only (real data, never demo): config, table description, metadata,
    /// and data by GET and POST for any selection within a recorded cube.
    func recordedHost(_ router: Router<BasicRequestContext>, mount: String, directory: String, v2Path: String) {
        let sim = self
        let base = mount + v2Path
        router.get("\(base)/config") { _, _ in
            guard let config = sim.recordings.file("\(directory)/config.json") else { return Response.error(.notFound, "no recorded config") }
            return Response.json(config, demo: false)
        }
        router.get("\(base)/codelists/:id") { _, context in
            let raw = try context.parameters.require("id")
            let id = raw.removingPercentEncoding ?? raw
            guard let recorded = sim.recordings.file("\(directory)/codelist_\(id).json") else { return Response.error(.notFound, "code list \(id) is not recorded") }
            return Response.json(recorded, demo: false)
        }
        router.get("\(base)/tables/:id/metadata") { _, context in
            let id = try context.parameters.require("id")
            await sim.state.countMetadata()
            guard let recorded = sim.recordings.file("\(directory)/\(id)_v2_metadata.json") else { return Response.notFound(id) }
            return Response.json(recorded, demo: false)
        }
        router.get("\(base)/tables/:id/data") { request, context in
            let id = try context.parameters.require("id")
            if let tooLong = Self.urlTooLong(request) { return tooLong }
            return try await sim.cubeData(mount: mount, table: id, selection: Self.v2Selection(request))
        }
        router.post("\(base)/tables/:id/data") { request, context in
            let id = try context.parameters.require("id")
            let body = Array(try await request.body.collect(upTo: 4 << 20).readableBytesView)
            guard let selection = PxWebQuery.parseV2(body) else { return Response.error(.badRequest, "the body is not a PxWeb v2 selection") }
            return try await sim.cubeData(mount: mount, table: id, selection: selection)
        }
    }

    /// The value codes of a v2 GET (`valueCodes[Var]=a,b`; PxWeb's parameter names are case-insensitive).
    static func v2Selection(_ request: Request) -> [String: [String]] {
        var selection: [String: [String]] = [:]
        for (key, value) in request.uri.queryParameters {
            let k = String(key).removingPercentEncoding ?? String(key)
            guard k.lowercased().hasPrefix("valuecodes["), k.hasSuffix("]") else { continue }
            let name = String(k.dropFirst("valueCodes[".count).dropLast())
            selection[name] = (String(value).removingPercentEncoding ?? String(value)).split(separator: ",").map(String.init)
        }
        return selection
    }

    /// SSB answers a v2 GET whose URL is too long with 404; so does the simulator.
    static func urlTooLong(_ request: Request) -> Response? {
        let length = (request.head.authority.map { "http://\($0)" } ?? "").utf8.count + request.uri.description.utf8.count
        guard length > urlLimit else { return nil }
        return Response.error(.notFound, "not found (a GET URL of \(length) characters; use the POST form for long selections)")
    }

    /// A data answer from a recorded cube, after the next queued fault.
    func cubeData(mount: String, table id: String, selection: [String: [String]]) async throws -> Response {
        guard let cube = cubes[mount]?[id] else { return Response.notFound(id) }
        let fault = await state.nextFault(table: id, selection: selection)
        if let early = try await Self.early(fault) { return early }
        switch cube.answer(selection) {
        case .success(let text): return Response.json(Self.damaged(text, by: fault), demo: false)
        case .failure(let e): return Response.error(.badRequest, e.message)
        }
    }

    /// Serves a data request: applies the next queued fault, then answers from a recording or a generated table.
    func data(table id: String, selection: [String: [String]], recordedName: String, recordedQuery: String?, body: [UInt8]?) async throws -> Response {
        let fault = await state.nextFault(table: id, selection: selection)
        if let early = try await Self.early(fault) { return early }
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
                                          renameRegion: fault == .renamedDimension ? "Region2024" : nil,
                                          addsDimension: fault == .addedDimension, newContentsCode: fault == .newCategory ? "NyttInnhold" : nil,
                                          updated: updated)
        } else {
            return Response.notFound(id)
        }
        return Self.delivered(Self.damaged(text, by: fault), demo: demo, by: fault)
    }

    /// A JSON answer as a fault delivers it: the headers (with the whole length) and the first half of the body at
    /// once, then the rest after a pause (a slow body) or never, the connection dropped (a reset).
    static func delivered(_ text: String, demo: Bool, by fault: Fault?) -> Response {
        var response = Response.json(text, demo: demo)
        let pause: Duration?
        switch fault {
        case .slowBody(let d): pause = d
        case .reset: pause = nil
        default: return response
        }
        let bytes = Array(text.utf8)
        response.body = ResponseBody(contentLength: bytes.count) { writer in
            try await writer.write(ByteBuffer(bytes: bytes.prefix(bytes.count / 2)))
            // Thrown after the head went out, the server can only close the connection: the client sees it drop.
            guard let pause else { throw SimulatedReset() }
            try await Task.sleep(for: pause)
            try await writer.write(ByteBuffer(bytes: bytes.dropFirst(bytes.count / 2)))
            try await writer.finish(nil)
        }
        return response
    }

    /// The error that drops a connection mid-answer (``Fault/reset``).
    struct SimulatedReset: Error {}

    /// The answer a fault gives instead of data (a status), after its delay, if any.
    static func early(_ fault: Fault?) async throws -> Response? {
        if case .slow(let d) = fault { try await Task.sleep(for: d) }
        guard case .status(let code, let retryAfter) = fault else { return nil }
        var r = Response.error(HTTPResponse.Status(code: code), "simulated fault: HTTP \(code)")
        if let retryAfter { r.headers[.retryAfter] = String(retryAfter) }
        return r
    }

    /// The body a fault damages.
    static func damaged(_ text: String, by fault: Fault?) -> String {
        switch fault {
        case .truncated: String(text.utf8.prefix(text.utf8.count / 2)) ?? ""
        case .malformed: "{\"class\":\"dataset\",\"value\":[1,2," + String(repeating: "}", count: 3) + "<html>Service Unavailable"
        default: text
        }
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
