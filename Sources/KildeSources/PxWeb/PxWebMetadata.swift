import Foundation
import KildeCore
import KildeJSONStat

/// A PxWeb table's metadata: its variables with their codes, labels and units, and when it was last updated.
///
/// Read from v2 (`/tables/{id}/metadata`: JSON-stat 2.0 with an empty `value`) or v0 (`GET …/table/{id}`: a
/// `variables` listing, which has no `updated`; SSB sends none there, so it comes from the v2 table description).
public struct PxWebMetadata: Sendable, Hashable {
    /// One variable of the table.
    public struct Variable: Sendable, Hashable {
        public var code: String
        public var label: String
        /// Value codes and labels, in the table's order.
        public var values: [Value]
        /// Whether the table marks it as its time variable.
        public var isTime: Bool

        public struct Value: Sendable, Hashable {
            public var code: String
            public var label: String
            /// The unit of a contents value (`personer`, `prosent`, `antal`), when the metadata gives one.
            public var unit: String?

            public init(code: String, label: String, unit: String? = nil) {
                self.code = code
                self.label = label
                self.unit = unit
            }
        }

        public init(code: String, label: String, values: [Value], isTime: Bool = false) {
            self.code = code
            self.label = label
            self.values = values
            self.isTime = isTime
        }

        public var codes: [String] { values.map(\.code) }
    }

    public var title: String?
    public var variables: [Variable]
    /// The upstream's last-updated timestamp, as sent (some hosts send malformed ones: kept as text).
    public var updated: String?

    public init(title: String?, variables: [Variable], updated: String?) {
        self.title = title
        self.variables = variables
        self.updated = updated
    }

    public func variable(_ code: String) -> Variable? { variables.first { $0.code == code } }

    /// Value codes per variable, for sizing and splitting selections.
    public var codes: [String: [String]] {
        Dictionary(variables.map { ($0.code, $0.codes) }, uniquingKeysWith: { a, _ in a })
    }

    /// Parses v2 metadata (JSON-stat 2.0).
    /// - Throws: ``IngestError`` `.malformedResponse` naming the dataset.
    public static func parseV2(_ body: [UInt8], dataset: String) throws(IngestError) -> PxWebMetadata {
        let doc: JSONStatDocument
        do { doc = try JSONStat.decode(body) } catch {
            throw IngestError(.malformedResponse, dataset: dataset, message: "table metadata: \(error)", underlying: error)
        }
        guard let ds = doc.datasets.first else { throw IngestError(.malformedResponse, dataset: dataset, message: "table metadata holds no dataset") }
        let variables = ds.dimensions.map { d in
            Variable(code: d.id, label: d.label ?? d.id,
                     values: d.categories.map { c in Variable.Value(code: c.id, label: c.label, unit: c.unit.flatMap { $0.base ?? $0.label ?? $0.symbol }) },
                     isTime: d.role == "time")
        }
        return PxWebMetadata(title: ds.label, variables: variables, updated: ds.updated)
    }

    /// Parses v0 metadata (`title`, `variables` with `code`, `text`, `values`, `valueTexts`, `time`).
    /// - Throws: ``IngestError`` `.malformedResponse` naming the dataset.
    public static func parseV0(_ body: [UInt8], dataset: String) throws(IngestError) -> PxWebMetadata {
        struct V0: Decodable {
            struct Variable: Decodable {
                var code: String
                var text: String?
                var values: [String]
                var valueTexts: [String]?
                var time: Bool?
            }
            var title: String?
            var variables: [Variable]
            var updated: String?
        }
        do {
            let v0 = try JSONDecoder().decode(V0.self, from: Data(body))
            let variables = v0.variables.map { v in
                Variable(code: v.code, label: v.text ?? v.code,
                         values: v.values.enumerated().map { i, code in Variable.Value(code: code, label: v.valueTexts?[safe: i] ?? code) },
                         isTime: v.time ?? false)
            }
            return PxWebMetadata(title: v0.title, variables: variables, updated: v0.updated)
        } catch {
            throw IngestError(.malformedResponse, dataset: dataset, message: "table metadata (v0): \(error)")
        }
    }

    /// The values of a v2 code list (`{"id", "label", "values": [{"code", "label"}]}`).
    /// - Throws: ``IngestError`` `.malformedResponse` naming the dataset.
    public static func codelistValues(_ body: [UInt8], dataset: String) throws(IngestError) -> [Variable.Value] {
        struct List: Decodable {
            struct Value: Decodable { var code: String; var label: String? }
            var values: [Value]
        }
        do {
            return try JSONDecoder().decode(List.self, from: Data(body)).values.map { Variable.Value(code: $0.code, label: $0.label ?? $0.code) }
        } catch {
            throw IngestError(.malformedResponse, dataset: dataset, message: "code list: \(error)")
        }
    }

    /// The `updated` of a v2 table description (`/tables/{id}`).
    /// - Throws: ``IngestError`` `.malformedResponse` naming the dataset.
    public static func updated(ofTableInfo body: [UInt8], dataset: String) throws(IngestError) -> String? {
        struct Info: Decodable { var updated: String? }
        do { return try JSONDecoder().decode(Info.self, from: Data(body)).updated } catch {
            throw IngestError(.malformedResponse, dataset: dataset, message: "table description: \(error)")
        }
    }
}

extension Array {
    subscript(safe i: Int) -> Element? { indices.contains(i) ? self[i] : nil }
}
