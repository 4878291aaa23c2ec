import Foundation
import KildeCore
import KildeSources
import KildeStore
import KildeUpstream
import Logging

/// The ingest loop of SPEC §3: for every slice, fetch → land raw → translate → gate → write → mark state.
///
/// The pipeline drives each adapter's conversations (``Conversation``) and keeps, in one place, what every source
/// shares: retries, rate limits, budgets, cookies, bronze, progress and cancellation (``RunExchange``), the gates
/// and the writes. Each slice returns a ``SliceResult``; a failing slice never stops the others. Each slice's writes
/// and state go to the store in one transaction, so a failure or a kill leaves no half-written slice.
public struct IngestPipeline: Sendable {
    /// Knobs of the loop.
    public struct Configuration: Sendable {
        /// Identifies this process on `ingest_runs.owner`. Defaults to `host:pid`.
        public var owner: String = RunOwner.current
        public init() {}
    }

    /// The runs, the slice path and the data-kind claim: what an ingest asks of a store.
    public let store: any IngestStore
    public let registry: Registry
    public let upstream: Upstream
    public let bronze: Bronze
    /// The adapter kinds datasets may name. Defaults to the built-in ones.
    public let kinds: AdapterKinds
    public let configuration: Configuration
    let logger: Logger

    public init(store: any IngestStore, registry: Registry, upstream: Upstream, bronze: Bronze, kinds: AdapterKinds = .builtIn,
                configuration: Configuration = .init(), logger: Logger = Logger(label: "kilde.ingest")) {
        self.store = store
        self.registry = registry
        self.upstream = upstream
        self.bronze = bronze
        self.kinds = kinds
        self.configuration = configuration
        self.logger = logger
    }

    /// This pipeline with every upstream request paid for by `budget` (the explorer's ingests run so).
    public func budgeted(_ budget: RequestBudget) -> IngestPipeline {
        IngestPipeline(store: store, registry: registry, upstream: upstream.budgeted(budget), bronze: bronze, kinds: kinds,
                       configuration: configuration, logger: logger)
    }

    /// This pipeline with its runs owned by `owner` (a worker's claim token, so a takeover can retire the run).
    public func owned(by owner: String) -> IngestPipeline {
        var configuration = configuration
        configuration.owner = owner
        return IngestPipeline(store: store, registry: registry, upstream: upstream, bronze: bronze, kinds: kinds,
                              configuration: configuration, logger: logger)
    }

    /// The adapter of a catalogue dataset.
    /// - Throws: ``IngestError`` `.unknownDataset` for a dataset or adapter kind this catalogue or build lacks.
    public func adapter(for key: String) throws(IngestError) -> any DatasetAdapter {
        guard let dataset = registry.dataset(key: key) else {
            let known = registry.catalog.datasets.map(\.key).joined(separator: ", ")
            throw IngestError(.unknownDataset, dataset: key, message: "not in the catalogue (known: \(known))")
        }
        return try kinds.adapter(for: dataset, registry: registry, upstream: upstream)
    }

    /// Ingests a dataset: its default plan, or `slices` when given, narrowed to `selection` (its filter values
    /// and years; see ``SliceSelection``).
    /// - Returns: the run's result, with every slice's status. A run with failed slices has status `error`.
    /// - Throws: ``IngestError`` when the run cannot start (unknown dataset, upstream unreachable while
    ///   planning, a selected filter no planned slice covers, another run active on the same slices, demo data
    ///   offered to a real store).
    public func run(dataset key: String, slices requested: [Slice]? = nil, selection: SliceSelection = .everything,
                    events: @escaping @Sendable (IngestEvent) -> Void = { _ in }) async throws -> IngestResult {
        try await run(try adapter(for: key), slices: requested, selection: selection, events: events)
    }

    func run<A: DatasetAdapter>(_ adapter: A, slices requested: [Slice]?, selection: SliceSelection,
                                events: @escaping @Sendable (IngestEvent) -> Void) async throws -> IngestResult {
        let dataset = adapter.dataset
        let key = dataset.key
        guard let source = registry.source(id: dataset.sourceID) else {
            throw IngestError(.unknownDataset, dataset: key, message: "source \(dataset.sourceID) missing from the catalogue")
        }
        let exchange = RunExchange(upstream: upstream, bronze: bronze, store: store, dataset: key, sourceName: source.key.uppercased())
        // Planned before the run exists: a selection the plan cannot serve, or an upstream that cannot be reached,
        // leaves no trace but the raw metadata in bronze.
        let (prepared, preparation) = try await prepare(adapter, exchange: exchange, events: events)
        let slices = try adapter.narrow(requested ?? adapter.plan(prepared), to: selection, registry: registry)
        let config = CanonicalJSON.object([("dataset", CanonicalJSON.string(key)), ("slices", CanonicalJSON.array(slices.map(\.canonicalJSON)))])
        let startedAt = Timestamp.now()
        let runID: Int64
        do {
            let years = slices.compactMap(\.years)
            runID = try await store.startRun(RunRequest(
                sourceKey: source.key, dataset: key, sliceConfig: config, slicesTotal: slices.count,
                years: years.isEmpty ? nil : YearWindow(first: years.map(\.first).min() ?? 0, last: years.map(\.last).max() ?? 0),
                owner: configuration.owner, startedAt: startedAt, artifacts: preparation, sourceID: source.id))
        } catch let e as StoreError {
            if case .activeRun = e.code { throw IngestError(.activeRun, dataset: key, message: e.message, underlying: e) }
            throw IngestError.store(e, dataset: key, slice: nil)
        }
        events(.planned(runID: runID, dataset: key, slices: slices.count))
        var results: [SliceResult] = []
        var counters = RowCounters()
        let progress = RunProgressWriter(store: store, runID: runID, total: slices.count, startedAt: startedAt, logger: logger)
        for (index, slice) in slices.enumerated() {
            if Task.isCancelled { break }
            events(.sliceStarted(index: index, total: slices.count, slice: slice))
            let ref = SliceRef(runID: runID, sourceID: source.id, dataset: key, slice: slice)
            let context = SliceContext(index: index, ref: ref, run: slices, prepared: prepared, exchange: exchange, events: events,
                                       progress: progress, done: results.count, counters: counters)
            let result = await process(adapter, context)
            // A store that cannot be reached fails every later slice and the run's own bookkeeping too: end the run
            // now, with the one line that names the server. The run's row says `running` until a later command
            // on the store retires it (its process is gone).
            if let error = result.error, error.code == .storeUnreachable { throw error }
            results.append(result)
            counters = counters + result.counters
            events(.sliceFinished(result, total: slices.count))
            try await progress.write(results: results, counters: counters, cursor: ["slice": String(index)])
        }
        var failed = results.filter { $0.outcome == .failed }.map { "slice \($0.index): \($0.error?.description ?? "failed")" }
        if results.count < slices.count {
            failed.append("cancelled after \(results.count) of \(slices.count) slices; the rest were not fetched")
        }
        let status: RunStatus = failed.isEmpty ? .complete : .error
        try await progress.finish(results: results, counters: counters, status: status, error: failed.isEmpty ? nil : failed.joined(separator: "; "))
        return IngestResult(runID: runID, status: status, slices: results)
    }

    /// Drives the adapter's preparing conversation; returns what it learned and the artifacts of its responses.
    func prepare<A: DatasetAdapter>(_ adapter: A, exchange: RunExchange,
                                    events: @escaping @Sendable (IngestEvent) -> Void) async throws(IngestError) -> (A.Prepared, [RawArtifact]) {
        var artifacts: [RawArtifact] = []
        let key = adapter.dataset.key
        let prepared = try await exchange.drive(adapter.prepare(), events: events, ask: { (keys, metric) throws(IngestError) in
            try await storedTotals(keys, metric: metric, dataset: key, slice: nil)
        }, artifacts: &artifacts)
        return (prepared, artifacts)
    }

    func storedTotals(_ keys: SliceKeySet, metric: Metric, dataset: String, slice: String?) async throws(IngestError) -> StoredTotals {
        do { return try await store.storedTotals(keys, metric: metric) } catch let e as StoreError {
            throw IngestError.store(e, dataset: dataset, slice: slice)
        } catch {
            throw IngestError(.store, dataset: dataset, slice: slice, message: "\(error)")
        }
    }
}
