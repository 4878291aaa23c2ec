import Foundation
import KildeCatalog
import KildeCore
import KildeIngest
import KildeSources
import KildeStore
import KildeUpstream

/// Everything an ingest needs, opened together and closed together.
struct IngestSession {
    let store: any FactStore
    let registry: Registry
    let fetcher: HTTPFetcher
    let pipeline: IngestPipeline
    let location: StoreLocation

    /// - Parameter simulator: base URLs of a running simulator by source key (demo mode).
    static func open(store storeOptions: StoreOptions, upstream upstreamOptions: UpstreamOptions, simulator: [String: String] = [:]) async throws -> IngestSession {
        let registry = try storeOptions.registry()
        let location = try storeOptions.location
        let upstream = try upstreamOptions.upstream(registry: registry, simulator: simulator)
        let store: any FactStore
        do { store = try await storeOptions.open() } catch {
            try? await upstream.fetcher.shutdown()
            throw error
        }
        let bronze = location.filePath.map(Bronze.beside(storePath:))
            ?? Bronze(root: URL(fileURLWithPath: StoreLocation.defaultPath(demo: storeOptions.demo)).deletingLastPathComponent().appendingPathComponent("bronze"))
        let pipeline = IngestPipeline(store: store, registry: registry, upstream: upstream, bronze: bronze)
        return IngestSession(store: store, registry: registry, fetcher: upstream.fetcher, pipeline: pipeline, location: location)
    }

    /// The bundled `kommune_dim` seed the marts are built from.
    func kommuneSeed() throws -> KommuneSeed {
        do { return try BundledSeeds.kommuneDim() } catch { throw CLIError(.usage, "\(error)") }
    }

    /// The latest period `dataset` holds in the store; nil for an unknown dataset or one with no facts.
    func latestPeriod(dataset: String) async throws -> String? {
        guard let ds = registry.dataset(key: dataset) else { return nil }
        return try await store.latestPeriod(sourceID: ds.sourceID, dimCode: ds.dimCode, subyear: ds.grain.isSubyear)
    }

    /// The store's record of run `runID`'s materialisation of `asset`; nil when it recorded none (a run that did not
    /// complete).
    func materialization(asset: String, runID: Int64) async throws -> Materialization? {
        try await store.materializations(asset: asset, limit: 5).first { $0.runID == runID }
    }

    func close() async {
        try? await fetcher.shutdown()
        try? await store.close()
    }

    /// Runs `body` with an open session, closing it afterwards whatever happens.
    /// The store and the HTTP client run as services (`ServiceScope`) around `body`: shut down gracefully after it.
    static func with<T>(store: StoreOptions, upstream: UpstreamOptions, simulator: [String: String] = [:],
                        _ body: (IngestSession) async throws -> T) async throws -> T {
        let session = try await open(store: store, upstream: upstream, simulator: simulator)
        do {
            let result = try await ServiceScope.run([session.store, session.fetcher]) { try await body(session) }
            await session.close()
            return result
        } catch {
            await session.close()
            throw error
        }
    }
}

/// Opens a store for reading, runs `body`, closes it.
func withStore<T>(_ options: StoreOptions, _ body: (any FactStore) async throws -> T) async throws -> T {
    let store = try await options.open()
    do {
        let r = try await ServiceScope.run([store]) { try await body(store) }
        try? await store.close()
        return r
    } catch {
        try? await store.close()
        throw error
    }
}
