import Foundation
import Hummingbird
import KildeCore
import KildeStore

/// The outermost middleware: answers CORS preflights, turns every error into a response (a problem body), adds the CORS headers and `X-Content-Type-Options: nosniff` to **every** response, and
/// records the request in the latency histogram by route template.
///
/// Errors are mapped to HTTP here, at the edge, and nowhere else.
struct ServingMiddleware<Context: RequestContext>: RouterMiddleware {
    let corsOrigins: [String]
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var response: Response
        if request.method == .options {
            response = Response(status: .noContent)
            response.headers[.accessControlMaxAge] = "600"
        } else {
            do {
                response = try await next(request, context)
            } catch {
                response = try Self.errorResponse(Self.problem(for: error), request, context)
            }
            // A known path asked with a method it does not answer: 405 with Allow, whether the router threw or answered 404.
            if response.status == .notFound, let methods = RouteTable.allowed(request.uri.path),
               !methods.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == request.method.rawValue }) {
                response = try Self.errorResponse(APIError(.methodNotAllowed, title: "Method not allowed", detail: "\(request.uri.path) answers \(methods)"),
                                                  request, context)
                response.headers[.allow] = methods + ", OPTIONS"
            }
        }
        addCORS(to: &response, origin: request.headers[.origin], write: RouteTable.allowed(request.uri.path)?.contains("POST") == true)
        // No response is to be read as another type than it says (a problem as HTML, a CSV as script).
        response.headers[.xContentTypeOptions] = "nosniff"
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        metrics.observe(method: request.method.rawValue, route: context.endpointPath ?? "unmatched", status: Int(response.status.code), seconds: seconds)
        return response
    }

    /// CORS headers on every response. A read route allows the request's origin when it is listed, any origin with
    /// `*`, and otherwise names the first configured origin, so the header is still present and the browser refuses
    /// the cross-origin read. A route that writes (it answers `POST`) allows only origins listed by name: never `*`,
    /// so no other site's script can drive it, whatever the read API allows.
    func addCORS(to response: inout Response, origin: String?, write: Bool) {
        let allowed: String?
        if write {
            allowed = origin.flatMap { o in corsOrigins.contains(o) ? o : nil }
        } else if corsOrigins.contains("*") {
            allowed = "*"
        } else if let origin, corsOrigins.contains(origin) {
            allowed = origin
        } else {
            allowed = corsOrigins.first ?? "null"
        }
        if allowed != "*" {
            let vary = response.headers[.vary].map { $0 + ", Origin" } ?? "Origin"
            response.headers[.vary] = vary
        }
        guard let allowed else { return }
        response.headers[.accessControlAllowOrigin] = allowed
        response.headers[.accessControlAllowMethods] = write ? "POST, OPTIONS" : "GET, HEAD, OPTIONS"
        response.headers[.accessControlAllowHeaders] = write ? "content-type, x-ingest-key" : "accept"
        response.headers[.accessControlExposeHeaders] = "content-length, content-type, location"
    }

    static func errorResponse(_ problem: APIError, _ request: Request, _ context: Context) throws -> Response {
        guard wantsHTML(request) else { return try problem.response(from: request, context: context) }
        // A person in the explorer gets a page, not a JSON problem.
        let page = HTMLPage(title: problem.title, section: .catalogue, demo: false,
                            body: "<p class=\"error\">\(HTML.escape(problem.detail))</p><p><a href=\"/\">Til katalogen</a></p>", status: problem.status)
        return try page.response(from: request, context: context)
    }

    /// Explorer pages (not the API) answer errors as HTML when the client reads HTML.
    static func wantsHTML(_ request: Request) -> Bool {
        !request.uri.path.hasPrefix("/v1") && request.uri.path != "/metrics" && request.uri.path != "/healthz"
            && request.headers[.accept]?.contains("text/html") == true
    }

    /// Maps any error to a problem response.
    static func problem(for error: any Error) -> APIError {
        switch error {
        case let e as APIError:
            return e
        case let e as HTTPError:
            let title = e.status == .notFound ? "Not found" : e.status.reasonPhrase
            return APIError(e.status, title: title, detail: e.body ?? e.status.reasonPhrase)
        case let e as StoreError:
            return APIError(.internalServerError, title: "Store error", detail: e.message)
        case let e as any HTTPResponseError:
            return APIError(e.status, title: e.status.reasonPhrase, detail: "\(e)")
        default:
            return APIError(.internalServerError, title: "Internal error", detail: "\(error)")
        }
    }
}
