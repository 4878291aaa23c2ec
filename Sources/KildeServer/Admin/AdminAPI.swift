import Foundation
import HTTPTypes
import Hummingbird
import KildeCore

/// `POST /v1/admin/ingest`: the trusted write path, guarded by `x-ingest-key`.
struct AdminAPI<Context: RequestContext> {
    let server: ServerContext

    func routes() -> RouteCollection<Context> {
        let r = RouteCollection(context: Context.self)
        r.post("admin/ingest") { req, _ in try await ingest(req) }
        return r
    }

    func ingest(_ req: Request) async throws -> Payload {
        // No key configured: the endpoint does not exist for callers.
        guard let expected = server.ingestKey, let service = server.ingest else {
            throw APIError.notFound("admin ingest is disabled: the server has no ingest key (--ingest-key or KILDE_INGEST_KEY)")
        }
        guard let presented = req.headers[.ingestKey], ServerContext.keysMatch(presented, expected) else {
            throw APIError(.forbidden, title: "Forbidden", detail: "a valid x-ingest-key header is required", parameter: "x-ingest-key")
        }
        _ = try QueryParameters(req, allowed: [])
        let bytes = try await req.collectBody(upTo: Self.bodyLimit)
        do {
            try StrictJSON.check(Array(bytes.readableBytesView), allowed: ["dataset", "years", "filters", "metric"])
        } catch {
            switch error {
            case .duplicate(let key): throw APIError.invalidParameter(key, "the body names '\(key)' twice")
            case .unknown(let key): throw APIError.invalidParameter(key, "the body has an unknown field '\(key)'; it takes dataset, years, filters and metric")
            case .malformed(let at): throw APIError.invalidParameter("body", "the body is not a JSON object (at byte \(at))")
            case .tooDeep(let at): throw APIError.invalidParameter("body", "the body nests deeper than \(StrictJSON.maximumDepth) levels (at byte \(at))")
            }
        }
        let body: API.IngestBody
        do {
            body = try JSONDecoder().decode(API.IngestBody.self, from: Data(buffer: bytes))
        } catch {
            throw APIError.invalidParameter(Self.member(at: error) ?? "dataset",
                                            #"the body must be JSON {"dataset": "…", "years": "2020-2024", "filters": {"region": ["0301"]}, "metric": "value"} (years, filters and metric optional)"#)
        }
        let order = try IngestOrder(dataset: body.dataset, years: body.years, filters: body.filters ?? [:], metric: body.metric,
                                    registry: server.registry)
        let runID = try await service.submit(dataset: order.dataset.key, request: order.request)
        var payload = try Payload.json(API.IngestAccepted(runId: runID, status: "running", statusUrl: "/v1/ingest/status/\(runID)"), status: .accepted)
        payload.headers[.location] = "/v1/ingest/status/\(runID)"
        return payload
    }

    /// The largest admin body: a dataset, years and filters with hundreds of tokens.
    static var bodyLimit: Int { 64 * 1024 }

    /// The body member a decoding error is about (`region` for a bad `filters.region`), to name it in the problem.
    static func member(at error: any Error) -> String? {
        let path: [any CodingKey]
        switch error as? DecodingError {
        case .keyNotFound(let key, let context): path = context.codingPath + [key]
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context): path = context.codingPath
        default: return nil
        }
        return path.last { $0.intValue == nil }?.stringValue
    }
}

extension HTTPField.Name {
    /// The admin key header. The literal is a valid field name, so the initializer cannot fail.
    // swift-format-ignore: NeverForceUnwrap
    static let ingestKey = HTTPField.Name("x-ingest-key")!
}
