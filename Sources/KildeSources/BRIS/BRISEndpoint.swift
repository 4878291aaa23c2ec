import KildeCore
import KildeUpstream

/// Where a BRIS reporter's aggregations are asked, from its source row: `POST {url}{path}/{endpoint}`.
///
/// Source options (`sources.csv`): `endpoint` (`aggregate`, the Police's open endpoint, or `restrictedaggregation`,
/// the fire brigades' and DSB's, which takes no building types and answers only yearly intervals) and `path`
/// (default `/api/v1/missionreports`).
public struct BRISEndpoint: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case aggregate
        case restrictedaggregation
    }

    public var baseURL: String
    public var path: String
    public var kind: Kind

    /// - Throws: ``IngestError`` `.invalidSlice` naming a missing or unknown `endpoint` option.
    public init(source: Source, baseURL: String, options: AdapterOptions, dataset: String) throws(IngestError) {
        guard let name = options["endpoint"], let kind = Kind(rawValue: name) else {
            throw IngestError(.invalidSlice, dataset: dataset,
                              message: "source '\(source.key)' option endpoint=\(options["endpoint"] ?? "") must be aggregate or restrictedaggregation")
        }
        self.baseURL = baseURL
        self.path = options["path"] ?? "/api/v1/missionreports"
        self.kind = kind
    }

    /// Whether a request may name building types (Matrikkel groups): the open endpoint's full body only.
    public var takesBuildingTypes: Bool { kind == .aggregate }

    public var url: String { "\(baseURL)\(path)/\(kind.rawValue)" }
}
