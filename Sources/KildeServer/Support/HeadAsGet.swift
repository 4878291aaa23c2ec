import Hummingbird

/// Serves `HEAD` as the `GET` of the same URI without its body: the same status and headers, and the length the body
/// would have. It wraps the router, so every read route answers `HEAD` and a route that only writes still answers 405.
struct HeadAsGet<Responder: HTTPResponder>: HTTPResponder {
    let responder: Responder

    func respond(to request: Request, context: Responder.Context) async throws -> Response {
        guard request.method == .head else { return try await responder.respond(to: request, context: context) }
        var head = request.head
        head.method = .get
        var response = try await responder.respond(to: Request(head: head, body: request.body), context: context)
        let length = response.body.contentLength
        response.body = ResponseBody()
        if let length { response.headers[.contentLength] = String(length) }
        return response
    }
}
