import Foundation
import Hummingbird
import KildeCore

/// The explorer's HTML pages, and the one form that starts an ingest through the server's own admin path.
struct WebRoutes<Context: RequestContext> {
    let server: ServerContext

    func routes() -> RouteCollection<Context> {
        let r = RouteCollection(context: Context.self)
        r.get("/") { req, _ in
            _ = try QueryParameters(req, allowed: [])
            return try await CataloguePage(server: server).render()
        }
        r.get("map") { req, _ in
            let p = try QueryParameters(req, allowed: ["indicator", "year"])
            return try await MapPage(server: server).render(indicator: try p.one("indicator"), year: try p.int("year", in: 1000...9999))
        }
        r.get("explore") { req, ctx -> Response in
            guard req.uri.queryParameters.get("dataset") != nil else {
                let first = server.registry.catalog.datasets.first { $0.isDefault } ?? server.registry.catalog.datasets.first
                return Response(status: .seeOther, headers: [.location: "/explore?" + HTML.query([("dataset", first?.key ?? "")])])
            }
            return try await ExplorePage(server: server).render(req).response(from: req, context: ctx)
        }
        r.get("runs") { req, _ in
            _ = try QueryParameters(req, allowed: [])
            return try await RunsPage(server: server).render()
        }
        r.post("explore/ingest") { req, ctx in try await startIngest(req, ctx) }
        return r
    }

    /// The explorer's "fetch this slice" button: the server submits the ingest with its own key, server-side,
    /// so the key never reaches the browser. The form carries the page's selection (`dataset`, `years`, one field
    /// per filtered axis with comma-separated tokens) and is validated like the admin body. JSON callers (the
    /// page's script) get `202 {runId}`; a plain form post is redirected to the explore page with the run's
    /// progress bar.
    func startIngest(_ req: Request, _ ctx: Context) async throws -> Response {
        guard let service = server.ingest else { throw APIError.notFound("ingest is disabled: the server has no ingest key") }
        let text = String(buffer: try await req.body.collect(upTo: 16 * 1024))
        var form: [String: String]
        do { form = try URLEncodedFormDecoder().decode([String: String].self, from: text) } catch {
            throw APIError.invalidParameter("dataset", "the form must be URL-encoded with a dataset, optional years and filters")
        }
        guard let dataset = form.removeValue(forKey: "dataset") else { throw APIError.invalidParameter("dataset", "the form needs a dataset") }
        let years = form.removeValue(forKey: "years").flatMap { $0.isEmpty ? nil : $0 }
        let back = form.removeValue(forKey: "back").flatMap { $0.isEmpty ? nil : $0 }
        // Every other field is a filter axis.
        let filters = form.mapValues { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let order = try IngestOrder(dataset: dataset, years: years, filters: filters, registry: server.registry)
        let runID = try await service.submit(dataset: order.dataset.key, selection: order.selection)
        if req.headers[.accept]?.contains("application/json") == true {
            return try Payload.json(API.IngestAccepted(runId: runID, status: "running", statusUrl: "/v1/ingest/status/\(runID)"), status: .accepted)
                .response(from: req, context: ctx)
        }
        let backQuery = back ?? HTML.query([("dataset", order.dataset.key)])
        return Response(status: .seeOther, headers: [.location: "/explore?\(backQuery)&run=\(runID)"])
    }
}
