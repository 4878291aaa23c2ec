import Foundation
import Hummingbird

/// An error of the HTTP edge, answered as an RFC 9457 problem (`application/problem+json`):
/// `type`, `title`, `status`, `detail` and, for a bad parameter, the parameter's name.
///
/// Library errors (``StoreError``, ``IngestError``) are mapped to this type only here, at the server edge.
public struct APIError: HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    /// A short, stable summary of the problem type.
    public var title: String
    /// What exactly was wrong, for a person.
    public var detail: String
    /// The query parameter, header or body field at fault.
    public var parameter: String?
    /// Extra members, e.g. the run that already holds a slice.
    public var runID: Int64?
    /// Seconds a client should wait before asking again (`Retry-After`, and `retryAfter` in the body) for a 429.
    public var retryAfter: Int?

    public init(_ status: HTTPResponse.Status, title: String, detail: String, parameter: String? = nil, runID: Int64? = nil) {
        self.status = status
        self.title = title
        self.detail = detail
        self.parameter = parameter
        self.runID = runID
    }

    /// 400 for a query parameter (or body field) that is missing, unknown or malformed.
    public static func invalidParameter(_ name: String, _ detail: String) -> APIError {
        APIError(.badRequest, title: "Invalid parameter", detail: detail, parameter: name)
    }

    public static func notFound(_ detail: String) -> APIError { APIError(.notFound, title: "Not found", detail: detail) }

    /// The problem `type` URI: relative to the server, one per title.
    var type: String { Self.problemType(title) }

    /// The problem `type` of a title.
    static func problemType(_ title: String) -> String { "/v1/problems/" + title.lowercased().replacingOccurrences(of: " ", with: "-") }

    struct Body: Encodable {
        var type: String
        var title: String
        var status: Int
        var detail: String
        var parameter: String?
        var runId: Int64?
        var retryAfter: Int?
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = Body(type: type, title: title, status: Int(status.code), detail: detail, parameter: parameter, runId: runID, retryAfter: retryAfter)
        var response = try Payload.json(body, status: status, contentType: "application/problem+json").response(from: request, context: context)
        if let retryAfter { response.headers[.retryAfter] = String(retryAfter) }
        return response
    }
}
