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
        PreparedMetadata(reading: host.metadataConversation(table: table.id, dataset: dataset.key), table: table, dataset: dataset.key)
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

    /// Category codes the table does not offer are problems (their slices fail); region codes it does not offer
    /// are a note: a catalogue carries the codes of every year, a table those of its own.
    public func audit(_ prepared: PxWebPrepared) -> [CatalogFinding] {
        var findings: [CatalogFinding] = []
        let offered = Set(prepared.metadata.variable(table.categoryVariable)?.codes ?? [])
        if table.codelists[table.categoryVariable] == nil {
            for c in registry.categories(source: dataset.sourceID, dim: dataset.dimCode) where !offered.contains(c.nativeAPICode) {
                findings.append(CatalogFinding(.problem, "\(table.categoryVariable) '\(c.nativeAPICode)' (cat \(c.catCode)\(c.verified ? "" : ", unverified")) is not offered by table \(table.id); it offers \(PxWebTable.sample(offered.sorted()))"))
            }
        }
        if let regionVariable = table.regionVariable {
            let regions = Set(prepared.metadata.variable(regionVariable)?.codes ?? [])
            let catalogued = registry.filters(source: dataset.sourceID, axis: .region).filter { $0.applicableDimCodes.contains(dataset.dimCode) }
            let missing = catalogued.filter { !regions.contains($0.nativeCode) }.map(\.nativeCode)
            if !missing.isEmpty {
                findings.append(CatalogFinding(.note, "\(missing.count) of \(catalogued.count) catalogued regions are not in table \(table.id) (e.g. \(missing.prefix(5).joined(separator: ", "))): they are not asked for"))
            }
            if let national = table.nationalCode, !regions.contains(national) {
                findings.append(CatalogFinding(.problem, "the national code '\(national)' is not a \(regionVariable) value of table \(table.id)"))
            }
        }
        return findings
    }
}

/// The metadata conversation, then the table checked against the catalogue's parts and its years read.
struct PreparedMetadata: Conversation {
    var reading: RequestSequence<(metadata: PxWebMetadata, isDemo: Bool)>
    let table: PxWebTable
    let dataset: String

    mutating func next(after reply: ConversationReply?) throws(IngestError) -> ConversationStep<PxWebPrepared> {
        switch try reading.next(after: reply) {
        case .fetch(let r): return .fetch(r)
        case .askStore(let k, let m): return .askStore(k, m)
        case .finish(let read):
            try table.check(read.metadata, dataset: dataset)
            let years = read.metadata.variable(table.timeVariable)?.codes.compactMap { PxWebTime.period($0)?.year } ?? []
            return .finish(PxWebPrepared(metadata: read.metadata, years: years.min().flatMap { lo in years.max().map { YearWindow(first: lo, last: $0) } }))
        }
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
