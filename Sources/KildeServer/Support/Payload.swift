import CompressNIO
import Foundation
import Hummingbird

/// A response body with its content type, gzip-compressed when the client accepts it and it is worth it.
struct Payload: ResponseGenerator {
    var bytes: ByteBuffer
    var contentType: String
    var status: HTTPResponse.Status = .ok
    var headers: HTTPFields = [:]
    /// `bytes` are already gzip-compressed (a kept answer compressed once, see ``gzipped()``).
    var isGzipped = false

    /// Bodies below this size are sent as they are: gzip's header and the CPU would cost more than they save.
    static let compressionThreshold = 1024

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok, contentType: String = "application/json") throws -> Payload {
        Payload(bytes: ByteBuffer(data: try encoder.encode(value)), contentType: contentType, status: status)
    }

    static func text(_ text: String, contentType: String, status: HTTPResponse.Status = .ok) -> Payload {
        Payload(bytes: ByteBuffer(string: text), contentType: contentType, status: status)
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var fields = headers
        fields[.contentType] = contentType
        fields[.vary] = "Accept-Encoding"
        let sent = Self.acceptsGzip(request.headers[.acceptEncoding]) ? try gzipped() : self
        if sent.isGzipped { fields[.contentEncoding] = "gzip" }
        fields[.contentLength] = String(sent.bytes.readableBytes)
        return Response(status: status, headers: fields, body: .init(byteBuffer: sent.bytes))
    }

    /// This payload compressed, when it is worth compressing (and not compressed already). A kept answer that gzip
    /// clients ask for again and again is compressed once, here, rather than on every answer.
    func gzipped() throws -> Payload {
        guard !isGzipped, bytes.readableBytes >= Self.compressionThreshold else { return self }
        var input = bytes
        var out = self
        out.bytes = try input.compress(with: .gzip())
        out.isGzipped = true
        return out
    }

    /// Whether an `Accept-Encoding` value allows gzip (and does not refuse it with `q=0`).
    static func acceptsGzip(_ header: String?) -> Bool {
        guard let header else { return false }
        for part in header.lowercased().split(separator: ",") {
            let fields = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.first == "gzip" || fields.first == "*" else { continue }
            let q = fields.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            return q > 0
        }
        return false
    }
}
