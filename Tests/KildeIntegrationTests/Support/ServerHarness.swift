import Foundation
import Hummingbird
import HummingbirdTesting
import KildeCatalog
import KildeCore
import KildeServer
import KildeStore

/// The real Kilde application over a ``TestEnvironment``'s store and pipeline, driven by Hummingbird's test client.
enum ServerHarness {
    static func context(_ env: TestEnvironment, ingestKey: String?, explore: ExploreIngestGuard? = nil) throws -> ServerContext {
        let metrics = ServerMetrics()
        let seed = try BundledSeeds.kommuneDim()
        let ingest = ingestKey.map { _ in
            IngestService.inProcess(store: env.store, pipeline: env.pipeline, seed: seed, metrics: metrics, explorerBudget: explore?.budget)
        }
        return ServerContext(store: env.store, registry: env.registry, ingest: ingest, ingestKey: ingestKey, exploreIngest: explore,
                             metrics: metrics, map: try KommuneMap.bundled())
    }

    /// Runs `body` against the router (no sockets), with the ingest service's worker running in the app's service group.
    /// - Parameters:
    ///   - explore: the explorer's ingest guard (it needs `ingestKey` too); `nil` leaves the offer disabled.
    ///   - live: over a real socket on loopback (a free port), where requests have a client address.
    static func test<T: Sendable>(_ env: TestEnvironment, ingestKey: String? = nil, explore: ExploreIngestGuard? = nil, corsOrigins: [String] = ["*"],
                                  live: Bool = false,
                                  _ body: @Sendable @escaping (any TestClientProtocol) async throws -> T) async throws -> T {
        var config = ServerConfiguration()
        config.ingestKey = ingestKey
        config.corsOrigins = corsOrigins
        config.exploreIngest = explore?.policy
        if live { config.port = 0 }
        let context = try context(env, ingestKey: ingestKey, explore: explore)
        let app = KildeServer.application(context, configuration: config, services: context.ingest.map { [$0.worker] } ?? [])
        return try await app.test(live ? .live : .router) { client in try await body(client) }
    }

    /// The status of run `runID` once it is no longer running (or after 10 s of polling, whatever it is then).
    static func finishedRun(_ client: any TestClientProtocol, _ runID: Int) async throws -> [String: Any] {
        var status: [String: Any] = [:]
        for _ in 0..<200 {
            status = try json(try await client.execute(uri: "/v1/ingest/status/\(runID)", method: .get))
            if status["status"] as? String != "running" { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        return status
    }

    static func json(_ r: TestResponse) throws -> [String: Any] {
        guard let o = try JSONSerialization.jsonObject(with: Data(buffer: r.body)) as? [String: Any] else { throw TestFailure("not a JSON object: \(String(buffer: r.body))") }
        return o
    }

    static func jsonArray(_ r: TestResponse) throws -> [[String: Any]] {
        guard let a = try JSONSerialization.jsonObject(with: Data(buffer: r.body)) as? [[String: Any]] else { throw TestFailure("not a JSON array") }
        return a
    }
}
