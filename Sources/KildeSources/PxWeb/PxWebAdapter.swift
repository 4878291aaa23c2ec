import KildeCore
import KildeUpstream

/// What a PxWeb adapter learns once per run: the table's metadata and the years it offers.
public struct PxWebPrepared: Sendable {
    public var metadata: PxWebMetadata
    /// Years with data on offer (from the time variable's codes).
    public var years: YearWindow?

    public init(metadata: PxWebMetadata, years: YearWindow?) {
        self.metadata = metadata
        self.years = years
    }
}

/// Any PxWeb table at any PxWeb host, from catalogue data alone, read top to bottom: ``prepare()`` reads the
/// table's metadata, ``plan(_:)`` lists the slices (``PxWebSlicePlan``), ``fetch(_:run:prepared:)`` builds the
/// requests (``PxWebQuery``), ``transform(_:slice:prepared:)`` turns JSON-stat into facts (``PxWebTransform``).
public struct PxWebAdapter: DatasetAdapter {
    public let dataset: DatasetDefinition
    public let source: Source
    public let registry: Registry
    public let host: PxWebHost
    public let table: PxWebTable

    /// - Throws: ``IngestError`` naming a malformed option of the dataset.
    public init(dataset: DatasetDefinition, source: Source, registry: Registry, host: PxWebHost) throws(IngestError) {
        self.dataset = dataset
        self.source = source
        self.registry = registry
        self.host = host
        table = try PxWebTable(dataset: dataset)
    }

    /// The table's metadata, and on a v0 host that also speaks v2 the table description, for `updated`.
    public func prepare() -> any Conversation<PxWebPrepared> {
        var requests = [host.metadataRequest(table: table.id)]
        if host.api == .v0 && host.hasV2 { requests.append(host.tableInfoRequest(table: table.id)) }
        let (dataset, host, table) = (dataset.key, host, table)
        return RequestSequence(requests) { (responses) throws(IngestError) -> PxWebPrepared in
            guard let first = responses.first else { throw IngestError(.unexpected, dataset: dataset, message: "no metadata response") }
            var metadata = host.api == .v2 ? try PxWebMetadata.parseV2(first.body, dataset: dataset) : try PxWebMetadata.parseV0(first.body, dataset: dataset)
            if responses.count > 1 { metadata.updated = try PxWebMetadata.updated(ofTableInfo: responses[1].body, dataset: dataset) }
            try table.check(metadata, dataset: dataset)
            let years = metadata.variable(table.timeVariable)?.codes.compactMap { PxWebTime.period($0)?.year } ?? []
            return PxWebPrepared(metadata: metadata, years: years.min().flatMap { lo in years.max().map { YearWindow(first: lo, last: $0) } })
        }
    }

    public func plan(_ prepared: PxWebPrepared) throws(IngestError) -> [Slice] {
        try PxWebSlicePlan(adapter: self).slices(years: prepared.years)
    }

    /// One request for the whole run when the union of its slices' selections fits the host's limits (the pipeline
    /// sends a request once per run, so every slice shares it), else the slice's own, split by the cell limit.
    public func fetch(_ slice: Slice, run: [Slice], prepared: PxWebPrepared) throws(IngestError) -> any Conversation<SliceFetch> {
        let query = PxWebQuery(adapter: self, prepared: prepared)
        guard let own = try query.selection(for: slice) else {
            return RequestSequence([]) { _ in .fetched([]) }
        }
        let sizes = prepared.metadata.codes.mapValues(\.count)
        var selection = own
        if run.count > 1, run.contains(slice) {
            // Folded in run order, so every slice of the run builds the very same request.
            var union: PxWebSelection?
            for s in run {
                if let part = try query.selection(for: s) { union = union.map { $0.union(part) } ?? part }
            }
            if let union, let cells = union.cellCount(sizes: sizes), cells <= host.cellLimit { selection = union }
        }
        let requests = host.dataRequests(table: table.id, selection: selection, sizes: sizes, codes: prepared.metadata.codes)
        return RequestSequence(requests) { .fetched($0) }
    }

    public func transform(_ responses: [UpstreamResponse], slice: Slice, prepared: PxWebPrepared) throws(IngestError) -> TransformOutput {
        try PxWebTransform(adapter: self, prepared: prepared).transform(responses.map(\.body), slice: slice)
    }
}

/// The `pxweb` adapter kind.
public struct PxWebKind: AdapterKind {
    public let name = "pxweb"

    public init() {}

    public func adapter(for dataset: DatasetDefinition, source: Source, registry: Registry, upstream: Upstream) throws(IngestError) -> any DatasetAdapter {
        try PxWebAdapter(dataset: dataset, source: source, registry: registry,
                         host: PxWebHost(source: source, upstream: upstream, dataset: dataset.key))
    }
}
