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

    struct IngestForm: Decodable {
        var dataset: String
        var years: String?
        var back: String?
    }

    /// The explorer's "fetch this slice" button: the server submits the ingest with its own key, server-side,
    /// so the key never reaches the browser. JSON callers (the page's script) get `202 {runId}`; a plain form
    /// post is redirected to the explore page with the run's progress bar.
    func startIngest(_ req: Request, _ ctx: Context) async throws -> Response {
        guard let service = server.ingest else { throw APIError.notFound("ingest is disabled: the server has no ingest key") }
        let text = String(buffer: try await req.body.collect(upTo: 16 * 1024))
        let form: IngestForm
        do { form = try URLEncodedFormDecoder().decode(IngestForm.self, from: text) } catch {
            throw APIError.invalidParameter("dataset", "the form needs a dataset")
        }
        var years: YearWindow?
        if let y = form.years, !y.isEmpty {
            guard let w = YearWindow(parsing: y) else { throw APIError.invalidParameter("years", "'years' must look like 2023 or 2015-2024") }
            years = w
        }
        let runID = try await service.submit(dataset: form.dataset, years: years)
        if req.headers[.accept]?.contains("application/json") == true {
            return try Payload.json(API.IngestAccepted(runId: runID, status: "running", statusUrl: "/v1/ingest/status/\(runID)"), status: .accepted)
                .response(from: req, context: ctx)
        }
        let back = form.back.flatMap { $0.isEmpty ? nil : $0 } ?? HTML.query([("dataset", form.dataset)])
        return Response(status: .seeOther, headers: [.location: "/explore?\(back)&run=\(runID)"])
    }
}
