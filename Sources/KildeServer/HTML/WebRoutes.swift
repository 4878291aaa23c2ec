import Foundation
import Hummingbird
import KildeCore
import KildeStore

/// The explorer's HTML pages, and the one form that starts an ingest through the server's own admin path.
struct WebRoutes<Context: RemoteAddressRequestContext> {
    let server: ServerContext

    func routes() -> RouteCollection<Context> {
        let r = RouteCollection(context: Context.self)
        // The reference is read from the OpenAPI document once, here; a document that does not parse is a 500 on
        // `/api` (as a missing one is on `/v1/openapi.json`), not a server that fails to start.
        let reference = Result { try OpenAPIDocument.reference() }
        r.get("/") { req, _ in
            _ = try QueryParameters(req, allowed: [])
            return try await CataloguePage(server: server).render()
        }
        r.get("map") { req, _ in
            let p = try QueryParameters(req, allowed: ["indicator", "year", "normalize"])
            return try await MapPage(server: server).render(indicator: try p.one("indicator"), year: try p.int("year", in: 1000...9999),
                                                            normalize: try p.choice("normalize", Normalization.self) ?? .none)
        }
        r.get("explore") { req, ctx -> Response in
            guard req.uri.queryParameters.get("dataset") != nil else {
                let first = server.registry.catalog.datasets.first { $0.isDefault } ?? server.registry.catalog.datasets.first
                return Response(status: .seeOther, headers: [.location: "/explore?" + HTML.query([("dataset", first?.key ?? "")])])
            }
            return try await ExplorePage(server: server).render(req).response(from: req, context: ctx)
        }
        r.get("explore/compare") { req, _ in try await ComparePage(server: server).render(req) }
        r.get("runs") { req, _ in
            let p = try QueryParameters(req, allowed: ["dataset"])
            return try await RunsPage(server: server).render(dataset: try p.one("dataset"))
        }
        r.get("lineage") { req, _ in
            _ = try QueryParameters(req, allowed: [])
            return try await LineagePage(server: server).render()
        }
        r.get("api") { req, _ in
            _ = try QueryParameters(req, allowed: [])
            return try await APIReferencePage(server: server, reference: try reference.get()).render(req)
        }
        r.post("explore/ingest") { req, ctx in try await startIngest(req, ctx) }
        return r
    }

    /// The explorer's "fetch this slice" button: the server submits the ingest server-side, so no key reaches the
    /// browser. It is a write path, guarded as such (``ExploreIngestGuard``): enabled by the operator, from the
    /// explorer's own origin, with the token the page was signed with for exactly its selection (`dataset`, `years`,
    /// one field per filtered axis with comma-separated tokens), only while that slice is still empty, within a
    /// per-client rate and the explorer's upstream budget. JSON callers (the page's script) get `202 {runId}`; a
    /// plain form post is redirected to the explore page with the run's progress bar.
    func startIngest(_ req: Request, _ ctx: Context) async throws -> Response {
        guard let service = server.ingest, let guardian = server.exploreIngest else {
            throw APIError.notFound("the explorer's ingest is disabled: the operator enables it with `kilde serve --explore-ingest` and an ingest key")
        }
        try guardian.checkOrigin(req)
        let text = String(buffer: try await req.collectBody(upTo: 16 * 1024))
        var form: [String: String]
        do { form = try URLEncodedFormDecoder().decode([String: String].self, from: text) } catch {
            throw APIError.invalidParameter("dataset", "the form must be URL-encoded with a dataset, optional years and filters")
        }
        guard let dataset = form.removeValue(forKey: "dataset") else { throw APIError.invalidParameter("dataset", "the form needs a dataset") }
        let years = form.removeValue(forKey: "years").flatMap { $0.isEmpty ? nil : $0 }
        let back = form.removeValue(forKey: "back").flatMap { $0.isEmpty ? nil : $0 }
        let token = form.removeValue(forKey: "token")
        // Every other field is a filter axis.
        let filters = form.mapValues { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let order = try IngestOrder(dataset: dataset, years: years, filters: filters, registry: server.registry)
        try guardian.verify(token, dataset: order.dataset.key, selection: order.selection)
        try await ensureEmpty(order)
        try guardian.admit(client: ctx.remoteAddress?.ipAddress ?? "local")
        let runID = try await service.submit(dataset: order.dataset.key, request: order.request, explorer: true)
        if req.headers[.accept]?.contains("application/json") == true {
            return try Payload.json(API.IngestAccepted(runId: runID, status: "running", statusUrl: "/v1/ingest/status/\(runID)"), status: .accepted)
                .response(from: req, context: ctx)
        }
        let backQuery = back ?? HTML.query([("dataset", order.dataset.key)])
        return Response(status: .seeOther, headers: [.location: "/explore?\(backQuery)&run=\(runID)"])
    }

    /// Refuses a selection that already has facts in any metric: the explorer fetches empty slices only; refreshing
    /// stored data is the admin endpoint's job.
    func ensureEmpty(_ order: IngestOrder) async throws {
        for metric in Metric.allCases {
            let query = FactSeriesQuery(sourceID: order.dataset.sourceID, dimCode: order.dataset.dimCode, filters: order.selection.filters,
                                        years: order.selection.years, granularity: Granularity(order.dataset.grain), metric: metric, limit: 1)
            if try await !server.store.factSeries(query).rows.isEmpty {
                throw APIError(.conflict, title: "Slice not empty",
                               detail: "this slice already has facts; the explorer fetches only empty slices (refresh stored data with POST /v1/admin/ingest)")
            }
        }
    }
}
