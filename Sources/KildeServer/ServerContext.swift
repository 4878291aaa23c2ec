import Foundation
import Hummingbird
import KildeCore
import KildeStore

/// What every route needs: the store, the catalogue, the admin ingest service and the metrics.
public struct ServerContext: Sendable {
    public let store: any FactStore
    public let registry: Registry
    /// `nil` when no ingest key is configured: admin ingest is disabled.
    public let ingest: IngestService?
    public let ingestKey: String?
    /// `nil` unless the operator enabled the explorer's "fetch this slice" (it needs the ingest service too).
    public let exploreIngest: ExploreIngestGuard?
    public let metrics: ServerMetrics
    /// The kommune boundaries drawn by the map page.
    public let map: KommuneMap
    /// The explorer's credit line: the publishers of the catalogue's datasets and the map's boundaries.
    let credits: String
    private let dataKind = KnownDataKind()
    /// `nil` when answers are not kept (`responseCacheBytes` 0).
    let responseCache: ResponseCache?
    /// The store's change token, one read shared by the requests that ask for it at the same time.
    private let changeToken: SharedFreshRead<String>

    /// - Parameters:
    ///   - exploreIngest: the guard of the explorer's ingests; `nil` (the default) disables them.
    ///   - responseCacheBytes: memory for kept answers of the facts read (see ``ServerConfiguration``).
    public init(store: any FactStore, registry: Registry, ingest: IngestService?, ingestKey: String?, exploreIngest: ExploreIngestGuard? = nil,
                metrics: ServerMetrics, map: KommuneMap, responseCacheBytes: Int = ServerConfiguration.defaultResponseCacheBytes) {
        self.store = store
        self.registry = registry
        self.ingest = ingest
        self.ingestKey = ingestKey
        self.exploreIngest = ingest == nil ? nil : exploreIngest
        self.metrics = metrics
        self.map = map
        var seen = Set<String>()
        let publishers = registry.catalog.sources.filter { s in registry.catalog.datasets.contains { $0.sourceID == s.id } }
            .map(\.publisher).filter { seen.insert($0).inserted }
        let data = publishers.isEmpty ? [] : ["Data: \(publishers.joined(separator: ", ")) (vilkår og kilder i katalogen)."]
        credits = (data + map.credits.map { "Kart: \($0)." }).joined(separator: " ")
        responseCache = responseCacheBytes > 0 ? ResponseCache(capacity: responseCacheBytes) : nil
        changeToken = SharedFreshRead { try await store.changeToken() }
    }

    /// The answer to a read request: the kept one while the store has not changed since it was computed, else
    /// `compute()`'s (kept when it is a 200).
    func cached(_ req: Request, _ compute: () async throws -> Payload) async throws -> Payload {
        guard let cache = responseCache else { return try await compute() }
        let token = try await changeToken.value()
        // The Accept header chooses JSON or CSV and Accept-Encoding gzip or not, so both are part of the key; the
        // path and query are the rest. A gzip answer is kept compressed.
        let gzip = Payload.acceptsGzip(req.headers[.acceptEncoding])
        let key = "\(req.uri)\u{0}\(req.headers[.accept] ?? "")\u{0}\(gzip ? "gzip" : "")"
        if let kept = cache.payload(for: key, token: token) {
            metrics.countResponseCache(hit: true)
            return kept
        }
        metrics.countResponseCache(hit: false)
        var payload = try await compute()
        guard payload.status == .ok else { return payload }
        if gzip { payload = try payload.gzipped() }
        cache.keep(payload, for: key, token: token)
        return payload
    }

    /// Whether the store holds demo data: every page showing data then says DEMO DATA.
    /// A store's kind never changes once claimed, so it is read from the store until it is known, then remembered.
    func isDemo() async throws -> Bool {
        if let known = dataKind.value { return known == .demo }
        let kind = try await store.dataKind()
        if let kind { dataKind.set(kind) }
        return kind == .demo
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
