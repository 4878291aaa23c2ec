import Foundation
import KildeCore
import KildeStore

/// What every route needs: the store, the catalogue, the admin ingest service and the metrics.
public struct ServerContext: Sendable {
    public let store: any FactStore
    public let registry: Registry
    /// `nil` when no ingest key is configured: admin ingest is disabled.
    public let ingest: IngestService?
    public let ingestKey: String?
    public let metrics: ServerMetrics
    /// The kommune boundaries drawn by the map page.
    public let map: KommuneMap
    private let dataKind = KnownDataKind()

    public init(store: any FactStore, registry: Registry, ingest: IngestService?, ingestKey: String?, metrics: ServerMetrics, map: KommuneMap) {
        self.store = store
        self.registry = registry
        self.ingest = ingest
        self.ingestKey = ingestKey
        self.metrics = metrics
        self.map = map
    }

    /// Whether the store holds demo data: every page showing data then says DEMO DATA.
    /// A store's kind never changes once claimed, so it is read from the store until it is known, then remembered.
    func isDemo() async throws -> Bool {
        if let known = dataKind.value { return known == .demo }
        let kind = try await store.dataKind()
        if let kind { dataKind.set(kind) }
        return kind == .demo
    }

    /// The attribution line of a dataset, generated from the catalogue: "Kilde: Statistisk sentralbyrå, tabell 08764".
    func attribution(dataset: DatasetDefinition) -> String {
        let source = registry.source(id: dataset.sourceID)?.attribution ?? "Kilde: ukjent"
        return "\(source), tabell \(dataset.tableID)"
    }

    /// Constant-time comparison of a presented key with the configured one: the time taken does not depend on
    /// how many leading bytes match, so the key cannot be guessed byte by byte.
    static func keysMatch(_ presented: String, _ expected: String) -> Bool {
        let a = Array(presented.utf8), b = Array(expected.utf8)
        var diff = UInt8(truncatingIfNeeded: a.count ^ b.count)
        for i in 0..<max(a.count, b.count) {
            diff |= (i < a.count ? a[i] : 0) ^ (i < b.count ? b[i] : 0)
        }
        return diff == 0 && a.count == b.count
    }
}

extension ServerContext {
    /// ``keysMatch(_:_:)`` for the tests.
    public static func keysMatchForTesting(_ presented: String, _ expected: String) -> Bool { keysMatch(presented, expected) }
}

/// The store's data kind once it is known.
final class KnownDataKind: @unchecked Sendable {
    private let lock = NSLock()
    private var kind: DataKind?
    var value: DataKind? { lock.withLock { kind } }
    func set(_ k: DataKind) { lock.withLock { kind = k } }
}
