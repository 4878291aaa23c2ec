import CompressNIO
import Foundation
import NIOCore

/// The launch parameters Dagster passes in `DAGSTER_PIPES_CONTEXT` and `DAGSTER_PIPES_MESSAGES`: JSON, compressed
/// with zlib, then base64 — dagster-pipes' `encode_param`.
public enum PipesParams {
    /// The context variable: where the context data is (`{"path": FILE}`, the default) or the data itself (`{"data": …}`).
    public static let contextVariable = "DAGSTER_PIPES_CONTEXT"
    /// The messages variable: where messages go (`{"path": FILE}`, the default, or `{"stdio": "stdout"|"stderr"}`).
    public static let messagesVariable = "DAGSTER_PIPES_MESSAGES"

    /// Parameters are a few hundred bytes; a cap keeps a corrupt or hostile value from inflating without bound.
    static let maxDecodedBytes = 1 << 20

    /// The JSON bytes inside an encoded parameter (`decode_param` without the JSON parse).
    /// - Parameter name: the variable's name, for the error.
    /// - Throws: ``PipesError`` when the text is not base64 or the bytes are not a zlib stream.
    public static func jsonBytes(_ text: String, name: String) throws -> Data {
        guard let compressed = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw PipesError.malformedParams(name, "not base64")
        }
        var buffer = ByteBuffer(bytes: compressed)
        do {
            let inflated = try buffer.decompress(with: .zlib(), maxSize: maxDecodedBytes)
            return Data(inflated.readableBytesView)
        } catch {
            throw PipesError.malformedParams(name, "zlib: \(error)")
        }
    }

    /// An encoded parameter decoded as `T`.
    /// - Throws: ``PipesError`` when it cannot be decoded or its JSON does not have `T`'s shape.
    public static func decode<T: Decodable>(_ type: T.Type, from text: String, name: String) throws -> T {
        let bytes = try jsonBytes(text, name: name)
        do {
            return try JSONDecoder().decode(T.self, from: bytes)
        } catch {
            throw PipesError.malformedParams(name, "unexpected JSON \(String(decoding: bytes.prefix(200), as: UTF8.self))")
        }
    }
}
