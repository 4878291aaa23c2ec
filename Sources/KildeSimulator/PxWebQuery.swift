import Foundation

/// Parses a PxWeb v0 query body into value codes per variable (`["*"]` for `all`).
enum PxWebQuery {
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
