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
        try await after([(result, dataset)])
    }

    /// Rebuilds `kommune_indicators` once for a batch of runs (`kilde up` ingesting every default dataset): when any of
    /// them is a complete run of a dataset an indicator reads; `nil` otherwise. The build's trigger names those runs.
    /// - Throws: ``StoreError`` when the build could not run.
    public func after(_ runs: [(result: IngestResult, dataset: String)]) async throws -> MartBuildReport? {
        let inputs = runs.filter { $0.result.status == .complete && registry.feedsIndicators(dataset: $0.dataset) }
        guard !inputs.isEmpty else { return nil }
        let trigger = inputs.map { "run \($0.result.runID) (\($0.dataset))" }.joined(separator: ", ")
        return try await store.materializeKommuneIndicators(seed: seed, trigger: trigger)
    }
}
