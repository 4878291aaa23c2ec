import Foundation
import KildeCore

/// A BRIS aggregation answer, as far as Kilde reads it: `result[0].buckets` keyed by answer label (`-1`: no answer),
/// each with its date-histogram series keyed by the UTC epoch milliseconds of the period's start, and the declared
/// `total`. `calculatedSubAggregationValues`, `value` and a bucket's own `count` are not read: the series are what
/// is stored and reconciled.
struct BRISResponse: Decodable {
    struct Result: Decodable {
        var buckets: [String: Bucket]
        /// The upstream's mission total; it may be wider than the buckets (missions the question does not cover).
        var total: Double?
    }

    struct Bucket: Decodable {
        var subAggregationBuckets: [String: Entry]?
    }

    struct Entry: Decodable {
        var count: Double
    }

    var result: [Result]

    /// - Throws: ``IngestError`` `.malformedResponse` for a body that is not such an answer.
    static func decode(_ body: [UInt8], dataset: String, slice: String) throws(IngestError) -> Result {
        let response: BRISResponse
        do { response = try JSONDecoder().decode(BRISResponse.self, from: Data(body)) } catch {
            throw IngestError(.malformedResponse, dataset: dataset, slice: slice,
                              message: "not a BRIS aggregation answer: \(Self.describe(error))", underlying: DecodingFailure(description: "\(error)"))
        }
        guard let first = response.result.first, response.result.count == 1 else {
            throw IngestError(.malformedResponse, dataset: dataset, slice: slice, message: "expected one result, got \(response.result.count)")
        }
        return first
    }

    /// A decoding error's path and reason, short enough for an error message.
    static func describe(_ error: any Error) -> String {
        guard let e = error as? DecodingError else { return "\(error)" }
        switch e {
        case .keyNotFound(let key, let c): return "'\(key.stringValue)' missing at \(path(c))"
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c): return "\(c.debugDescription) at \(path(c))"
        @unknown default: return "\(e)"
        }
    }

    static func path(_ c: DecodingError.Context) -> String {
        c.codingPath.isEmpty ? "the top" : c.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }
}

/// A decoding failure kept as text (Foundation's `DecodingError` is not `Sendable`).
struct DecodingFailure: Error, Sendable, CustomStringConvertible {
    var description: String
}
