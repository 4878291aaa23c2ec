import Foundation
import KildeCore
import KildeJSONStat
import KildeUpstream

/// Table metadata from PxWeb: the value codes of each variable and the last update.
struct SSBMetadata {
    var codes: [String: [String]]
    var updated: String?

    /// Parses v2 metadata (JSON-stat 2.0 with empty `value`) or v0 metadata (`variables` listing).
    static func parse(_ body: [UInt8], api: PxWebClient.API, dataset: String) throws(IngestError) -> SSBMetadata {
        switch api {
        case .v2:
            let doc: JSONStatDocument
            do { doc = try JSONStat.decode(body) } catch {
                throw IngestError(.malformedResponse, dataset: dataset, message: "table metadata: \(error)", underlying: error)
            }
            guard let ds = doc.datasets.first else {
                throw IngestError(.malformedResponse, dataset: dataset, message: "table metadata holds no dataset")
            }
            var codes: [String: [String]] = [:]
            for d in ds.dimensions { codes[d.id] = d.categories.map(\.id) }
            return SSBMetadata(codes: codes, updated: ds.updated)
        case .v0:
            struct V0: Decodable {
                struct Variable: Decodable { var code: String; var values: [String] }
                var variables: [Variable]
                var updated: String?
            }
            do {
                let v0 = try JSONDecoder().decode(V0.self, from: Data(body))
                return SSBMetadata(codes: Dictionary(v0.variables.map { ($0.code, $0.values) }, uniquingKeysWith: { a, _ in a }), updated: v0.updated)
            } catch {
                throw IngestError(.malformedResponse, dataset: dataset, message: "table metadata (v0): \(error)")
            }
        }
    }
}
