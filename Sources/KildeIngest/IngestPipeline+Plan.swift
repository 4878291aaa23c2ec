import KildeCore
import KildeSources
import KildeUpstream

/// The slices a run of a dataset narrowed to a selection would fetch, in order, without running it (`kilde plan`):
/// the same planning and narrowing as ``IngestPipeline/run(dataset:slices:selection:events:)``, with the adapter's
/// preparing conversation held against the upstream but nothing kept (no bronze, no run, no store). BRIS and BRASK
/// prepare without a request; a PxWeb table's plan needs its metadata.
public enum SlicePlanning {
    /// - Throws: ``IngestError`` for an unknown dataset, an upstream that cannot be reached while preparing, or a
    ///   selected filter no planned slice covers.
    public static func plan(dataset key: String, selection: SliceSelection = .everything, registry: Registry, upstream: Upstream,
                            kinds: AdapterKinds = .builtIn) async throws(IngestError) -> [Slice] {
        guard let dataset = registry.dataset(key: key) else {
            throw IngestError(.unknownDataset, dataset: key, message: "not in the catalogue (known: \(registry.catalog.datasets.map(\.key).joined(separator: ", ")))")
        }
        return try await plan(try kinds.adapter(for: dataset, registry: registry, upstream: upstream), selection: selection, registry: registry, upstream: upstream)
    }

    static func plan<A: DatasetAdapter>(_ adapter: A, selection: SliceSelection, registry: Registry, upstream: Upstream) async throws(IngestError) -> [Slice] {
        let source = registry.source(id: adapter.dataset.sourceID)?.key ?? "upstream"
        let prepared = try await CatalogCheck.converse(adapter.prepare(), upstream: upstream, dataset: adapter.dataset.key, source: source)
        return try adapter.narrow(adapter.plan(prepared), to: selection, registry: registry)
    }
}
