import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// Answers a request the HTTP parser refused before any route saw it (a request line and headers over the decoder's
/// limit, a malformed request line) with a problem document that names the limit, then closes the connection.
/// Without it the client gets a bare 400 with an empty body and no clue which limit it crossed.
final class MalformedRequestHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundOut = HTTPResponsePart

    /// The decoder's limit on the request line and header fields together, in bytes.
    let headerLimit: Int
    /// The parser reports every byte after the first error too: answer once.
    private var answered = false

    init(headerLimit: Int) {
        self.headerLimit = headerLimit
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parserError = error as? HTTPParserError else { return context.fireErrorCaught(error) }
        guard !answered else { return }
        answered = true
        let problem = Self.problem(for: parserError, headerLimit: headerLimit)
        let body = (try? Payload.encoder.encode(problem)) ?? Data()
        let head = HTTPResponse(status: .init(code: problem.status), headerFields: [
            .contentType: "application/problem+json", .contentLength: String(body.count),
            .connection: "close", .xContentTypeOptions: "nosniff",
        ])
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(context.channel.allocator.buffer(bytes: body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.close(promise: nil)
    }

    /// 431 naming the limit when the request line and headers are too long; 400 naming the parser's complaint
    /// otherwise.
    static func problem(for error: HTTPParserError, headerLimit: Int) -> APIError.Body {
        switch error {
        case .headerOverflow:
            let title = "Request header fields too large"
            return APIError.Body(type: APIError.problemType(title), title: title, status: 431,
                                 detail: "the request line (with its query string) and the header fields may be at most \(headerLimit) bytes together; "
                                     + "send a shorter query (a POST body is not accepted for reads) or fewer headers")
        default:
            let title = "Malformed request"
            return APIError.Body(type: APIError.problemType(title), title: title, status: 400,
                                 detail: "the HTTP request could not be parsed (\(error)); nothing was done")
        }
    }
}
