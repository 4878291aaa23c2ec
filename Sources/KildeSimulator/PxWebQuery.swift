import Foundation

/// Parses PxWeb query bodies into value codes per variable (`["*"]` for `all`).
enum PxWebQuery {
    /// A v2 POST body: `{"selection": [{"variableCode": "Region", "valueCodes": ["0301"], "codelist": …}]}`.
    static func parseV2(_ body: [UInt8]) -> [String: [String]]? {
        struct Body: Decodable {
            struct Item: Decodable {
                var variableCode: String
                var valueCodes: [String]
            }
            var selection: [Item]
        }
        guard let b = try? JSONDecoder().decode(Body.self, from: Data(body)) else { return nil }
        return Dictionary(b.selection.map { ($0.variableCode, $0.valueCodes) }, uniquingKeysWith: { a, _ in a })
    }

    /// A v0 (PxWeb API v1) POST body.
    static func parseV0(_ body: [UInt8]) -> [String: [String]]? {
        struct Query: Decodable {
            struct Item: Decodable {
                struct Selection: Decodable { var filter: String; var values: [String] }
                var code: String
                var selection: Selection
            }
            var query: [Item]
        }
        guard let q = try? JSONDecoder().decode(Query.self, from: Data(body)) else { return nil }
        var out: [String: [String]] = [:]
        for item in q.query { out[item.code] = item.selection.filter == "all" ? ["*"] : item.selection.values }
        return out
    }
}
