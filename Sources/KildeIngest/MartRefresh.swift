import KildeCore
import KildeStore

/// Rebuilds the marts an ingest feeds, after the ingest (SPEC §8: "marts rebuilt after their inputs materialise").
///
/// Used by the CLI and by the server's ingest service, so every trusted write path refreshes the marts the same way.
public struct MartRefresh: Sendable {
    public let store: any MartStore
    public let seed: KommuneSeed

    public init(store: any MartStore, seed: KommuneSeed) {
        self.store = store
        self.seed = seed
    }

    /// Rebuilds `kommune_indicators` when `result` is a complete run of one of its inputs; `nil` otherwise.
    /// A failing data test is in the report (and on the build's run), not thrown: the previous mart stays served.
    /// - Throws: ``StoreError`` when the build could not run.
    public func after(_ result: IngestResult, dataset: String) async throws -> MartBuildReport? {
        guard result.status == .complete, KommuneIndicatorMart.isInput(dataset) else { return nil }
        return try await store.materializeKommuneIndicators(seed: seed, trigger: "run \(result.runID) (\(dataset))")
    }
}
