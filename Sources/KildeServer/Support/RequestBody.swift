import Hummingbird
import NIOCore

extension Request {
    /// The whole body, up to `limit` bytes.
    /// - Throws: ``APIError`` 413 naming this route's limit, instead of the driver's `NIOTooManyBytesError`.
    func collectBody(upTo limit: Int) async throws -> ByteBuffer {
        do {
            return try await body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw APIError(.contentTooLarge, title: "Content too large", detail: "the body of \(uri.path) may be at most \(limit) bytes", parameter: "body")
        }
    }
}
