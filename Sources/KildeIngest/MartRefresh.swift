import Crypto
import Foundation
import KildeCore
import KildeStore

/// Rebuilds the marts an ingest feeds, after the ingest (SPEC §8: "marts rebuilt after their inputs materialise").
///
/// Used by the CLI, the workers and the server, so every trusted write path refreshes the marts the same way. A build
/// is tried only when something it reads changed since the last build was tried: its inputs' stored rows (the newest
/// run of an input dataset that changed rows), the seed or the indicators. An ingest that changed nothing costs no
/// build, and a build that failed its data tests is not retried over the same inputs.
public struct MartRefresh: Sendable {
    public let store: any MartStore
    public let seed: KommuneSeed
    /// The catalogue: its indicators name the mart's input datasets.
    public let registry: Registry

    /// The indicators' digest, part of every inputs token (the catalogue does not change under a refresh).
    let indicatorsDigest: String

    public init(store: any MartStore, seed: KommuneSeed, registry: Registry) {
        self.store = store
        self.seed = seed
        self.registry = registry
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        // Encoding plain strings and numbers cannot fail; an empty digest would only force one extra build.
        let encoded = (try? encoder.encode(registry.indicators)) ?? Data()
        indicatorsDigest = SHA256.hash(data: encoded).prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    /// Rebuilds `kommune_indicators` when `result` is a complete run of a dataset an indicator reads and the mart's
    /// inputs changed since its last build; `nil` otherwise. A failing data test is in the report (and on the build's
    /// run), not thrown: the previous mart stays served.
    /// - Throws: ``StoreError`` when the build could not run.
    public func after(_ result: IngestResult, dataset: String) async throws -> MartBuildReport? {
        try await after([(result, dataset)])
    }

    /// Rebuilds `kommune_indicators` once for a batch of runs (`kilde up` ingesting every default dataset, a wave of
    /// queued jobs): when any of them is a complete run of a dataset an indicator reads and the mart's inputs changed;
    /// `nil` otherwise. The build's trigger names those runs.
    /// - Throws: ``StoreError`` when the build could not run.
    public func after(_ runs: [(result: IngestResult, dataset: String)]) async throws -> MartBuildReport? {
        let inputs = runs.filter { $0.result.status == .complete && registry.feedsIndicators(dataset: $0.dataset) }
        guard !inputs.isEmpty else { return nil }
        return try await rebuildIfChanged(trigger: inputs.map { "run \($0.result.runID) (\($0.dataset))" }.joined(separator: ", "))
    }

    /// Rebuilds `kommune_indicators` when its inputs changed since the last build was tried; `nil` when they did not.
    /// - Parameter trigger: what asked for the build, kept on its run.
    /// - Throws: ``StoreError`` when the build could not run.
    public func rebuildIfChanged(trigger: String) async throws -> MartBuildReport? {
        let token = try await inputsToken()
        guard try await store.buildInputs(asset: KommuneIndicatorMart.asset) != token else { return nil }
        return try await rebuild(trigger: trigger, token: token)
    }

    /// Rebuilds `kommune_indicators` whether or not its inputs changed (an orchestrator asked for the mart itself).
    /// - Throws: ``StoreError`` when the build could not run.
    public func rebuild(trigger: String) async throws -> MartBuildReport {
        try await rebuild(trigger: trigger, token: try await inputsToken())
    }

    func rebuild(trigger: String, token: String) async throws -> MartBuildReport {
        let report = try await store.materializeKommuneIndicators(seed: seed, trigger: trigger)
        try await store.recordBuildInputs(asset: KommuneIndicatorMart.asset, token: token)
        return report
    }

    /// What the mart is built from, as one string: the seed's version and size, a digest of the indicators and the
    /// newest run that changed an input dataset's rows.
    func inputsToken() async throws -> String {
        let datasets = Set(registry.indicators.map(\.dataset)).sorted()
        let lastChange = try await store.lastChangingRun(datasets: datasets).map(String.init) ?? "none"
        return "seed \(seed.version) (\(seed.kommuner.count) kommuner, \(seed.crosswalk.count) links); indicators \(indicatorsDigest); facts to run \(lastChange)"
    }
}
