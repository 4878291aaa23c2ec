import Foundation
import KildeCore
import KildeSources
import KildeStore
import KildeUpstream
import Logging

/// The ingest loop of SPEC §3: for every slice, fetch → land raw → translate → gate → write → mark state.
///
/// Each slice returns a ``SliceResult``; a failing slice never stops the others. Each slice's writes and
/// state go to the store in one transaction, so a failure or a kill leaves no half-written slice.
public struct IngestPipeline: Sendable {
    /// Knobs of the loop.
    public struct Configuration: Sendable {
        /// Identifies this process on `ingest_runs.owner`. Defaults to `host:pid`.
        public var owner: String = RunOwner.current
        public init() {}
    }

    public let store: any FactStore
    public let registry: Registry
    public let upstream: Upstream
    public let bronze: Bronze
    public let configuration: Configuration
    let logger: Logger

    public init(store: any FactStore, registry: Registry, upstream: Upstream, bronze: Bronze,
                configuration: Configuration = .init(), logger: Logger = Logger(label: "kilde.ingest")) {
        self.store = store
        self.registry = registry
        self.upstream = upstream
        self.bronze = bronze
        self.configuration = configuration
        self.logger = logger
    }

    /// This pipeline with every upstream request paid for by `budget` (the explorer's ingests run so).
    public func budgeted(_ budget: RequestBudget) -> IngestPipeline {
        IngestPipeline(store: store, registry: registry, upstream: upstream.budgeted(budget), bronze: bronze, configuration: configuration, logger: logger)
    }

    /// Ingests a dataset: its default plan, or `slices` when given, narrowed to `selection` (its filter values
    /// and years; see ``SliceSelection``).
    /// - Returns: the run's result, with every slice's status. A run with failed slices has status `error`.
    /// - Throws: ``IngestError`` when the run cannot start (unknown dataset, upstream unreachable while
    ///   planning, a selected filter no planned slice covers, another run active on the same slices, demo data
    ///   offered to a real store).
    public func run(dataset key: String, slices requested: [Slice]? = nil, selection: SliceSelection = .everything,
                    events: @Sendable (IngestEvent) -> Void = { _ in }) async throws -> IngestResult {
        guard let dataset = registry.dataset(key: key) else {
            let known = registry.catalog.datasets.map(\.key).joined(separator: ", ")
            throw IngestError(.unknownDataset, dataset: key, message: "not in the catalogue (known: \(known))")
        }
        guard let source = registry.source(id: dataset.sourceID) else {
            throw IngestError(.unknownDataset, dataset: key, message: "source \(dataset.sourceID) missing from the catalogue")
        }
        let adapter = try AdapterRegistry.adapter(for: dataset)
        let preparation: Preparation
        do {
            preparation = try await adapter.prepare(upstream)
        } catch let e as IngestError {
            throw e
        } catch {
            throw IngestError(.upstream, dataset: key, message: "fetching table metadata: \(error)", underlying: error)
        }
        // Planned before the store is touched: a selection the plan cannot serve leaves no trace.
        let slices = try adapter.narrow(requested ?? adapter.defaultPlan(registry: registry, preparation: preparation), to: selection, registry: registry)
        try await claimKind(preparation.responses, dataset: key)
        let config = CanonicalJSON.object([("dataset", CanonicalJSON.string(key)), ("slices", CanonicalJSON.array(slices.map(\.canonicalJSON)))])
        let startedAt = Timestamp.now()
        let runID: Int64
        do {
            let years = slices.compactMap(\.years)
            runID = try await store.startRun(RunRequest(
                sourceKey: source.key, dataset: key, sliceConfig: config, slicesTotal: slices.count,
                years: years.isEmpty ? nil : YearWindow(first: years.map(\.first).min() ?? 0, last: years.map(\.last).max() ?? 0),
                owner: configuration.owner, startedAt: startedAt))
        } catch let e as StoreError {
            if case .activeRun = e.code { throw IngestError(.activeRun, dataset: key, message: e.message, underlying: e) }
            throw e
        }
        events(.planned(runID: runID, dataset: key, slices: slices.count))
        // Metadata responses are bronze too, recorded against the run's first slice.
        var results: [SliceResult] = []
        var counters = RowCounters()
        for (index, slice) in slices.enumerated() {
            events(.sliceStarted(index: index, total: slices.count, slice: slice))
            let ref = SliceRef(runID: runID, sourceID: source.id, dataset: key, slice: slice)
            let extra = index == 0 ? preparation.responses : []
            let result = await process(index: index, ref: ref, adapter: adapter, preparation: preparation, prepended: extra, events: events)
            results.append(result)
            counters = counters + result.counters
            events(.sliceFinished(result, total: slices.count))
            let progress = runProgress(results: results, total: slices.count, counters: counters, startedAt: startedAt, cursor: index)
            try await store.updateRun(id: runID, progress: progress)
        }
        let failed = results.filter { $0.outcome == .failed }
        let status: RunStatus = failed.isEmpty ? .complete : .error
        let message = failed.isEmpty ? nil : failed.map { "slice \($0.index): \($0.error ?? "failed")" }.joined(separator: "; ")
        let final = runProgress(results: results, total: slices.count, counters: counters, startedAt: startedAt, cursor: nil)
        try await store.finishRun(id: runID, status: status, progress: final, error: message)
        return IngestResult(runID: runID, status: status, slices: results)
    }

    func runProgress(results: [SliceResult], total: Int, counters: RowCounters, startedAt: String, cursor: Int?) -> RunProgress {
        let single = total == 1 ? results.first : nil
        let phase = PhaseDetail(kind: "slices", phase: cursor == nil ? "finished" : "slice", done: results.count, total: total,
                                canonicalProgress: total == 0 ? 1 : Double(results.count) / Double(total),
                                cursor: cursor.map { ["slice": String($0)] } ?? [:], startedAt: startedAt, counters: counters)
        return RunProgress(slicesDone: results.count, counters: counters, apiTotal: single?.apiTotal,
                           transformedRowCount: single?.transformedRowCount,
                           perSliceMetrics: total > 1 ? CanonicalJSON.array(results.map(\.metricsJSON)) : nil,
                           phaseDetail: phase.json, at: Timestamp.now())
    }

    /// Demo responses may only go into a demo store, real ones into a real store.
    func claimKind(_ responses: [UpstreamResponse], dataset: String) async throws {
        guard let first = responses.first else { return }
        do {
            try await store.claimDataKind(first.isDemo ? .demo : .real)
        } catch let e as StoreError {
            throw IngestError(.store, dataset: dataset, message: e.message, underlying: e)
        }
    }
}
