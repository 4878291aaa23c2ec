import KildeCore
import KildeStore

/// Rebuilds the marts an ingest feeds, after the ingest (SPEC §8: "marts rebuilt after their inputs materialise").
///
/// Used by the CLI and by the server's ingest service, so every trusted write path refreshes the marts the same way.
public struct MartRefresh: Sendable {
    public let store: any MartStore
    public let seed: KommuneSeed
    /// The catalogue: its indicators name the mart's input datasets.
    public let registry: Registry

    public init(store: any MartStore, seed: KommuneSeed, registry: Registry) {
        self.store = store
        self.seed = seed
        self.registry = registry
    }

    /// Rebuilds `kommune_indicators` when `result` is a complete run of a dataset an indicator reads; `nil` otherwise.
    /// A failing data test is in the report (and on the build's run), not thrown: the previous mart stays served.
    /// - Throws: ``StoreError`` when the build could not run.
    public func after(_ result: IngestResult, dataset: String) async throws -> MartBuildReport? {
        guard result.status == .complete, registry.feedsIndicators(dataset: dataset) else { return nil }
        return try await store.materializeKommuneIndicators(seed: seed, trigger: "run \(result.runID) (\(dataset))")
    }
}
