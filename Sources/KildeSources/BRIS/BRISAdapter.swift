import KildeCore
import KildeUpstream

/// What a BRIS adapter learns before planning: nothing, BRIS has no metadata to read (the plan is the catalogue's).
public struct BRISPrepared: Sendable {
    public init() {}
}

/// One BRIS question of one reporter (Police, fire brigades, DSB) from catalogue data alone, read top to bottom:
/// ``fetch(_:run:prepared:)`` sends one POST per slice (``BRISRequest``), ``transform(_:slice:prepared:)`` turns its
/// buckets into facts and the upstream's own totals (``BRISTransform``), ``plan(_:)`` lists the slices
/// (``BRISSlicePlan``). The pipeline fails a slice whose facts do not add up to its bucket series.
///
/// Dataset options (`datasets.csv`): `question` (the reporter's question id for the dimension, e.g. 407 for the
/// Police's Årsak) and `building_types` (`true`: also a slice per Matrikkel group; the open endpoint only). The
/// histogram interval is the dataset's grain: `year` → YEAR (`fact_yearly`), `day` → DAY and `month` → MONTH
/// (`fact_daily`).
public struct BRISAdapter: DatasetAdapter {
    public let dataset: DatasetDefinition
    public let source: Source
    public let registry: Registry
    public let endpoint: BRISEndpoint
    public let question: Int
    public let interval: BRISInterval
    public let splitsBuildingTypes: Bool

    /// - Throws: ``IngestError`` naming a missing or malformed option, or a grain BRIS has no histogram for.
    public init(dataset: DatasetDefinition, source: Source, registry: Registry, endpoint: BRISEndpoint) throws(IngestError) {
        guard let text = dataset.options["question"], let question = Int(text) else {
            throw IngestError(.invalidSlice, dataset: dataset.key, message: "option question=\(dataset.options["question"] ?? "") must be a BRIS question id (an integer)")
        }
        guard let interval = BRISInterval(dataset.grain) else {
            throw IngestError(.grainNotSupported, dataset: dataset.key, message: "BRIS histograms are YEAR, MONTH or DAY; grain \(dataset.grain.rawValue) has none")
        }
        let split = dataset.options["building_types"] ?? "false"
        guard split == "true" || split == "false" else {
            throw IngestError(.invalidSlice, dataset: dataset.key, message: "option building_types=\(split) must be true or false")
        }
        guard split == "false" || endpoint.takesBuildingTypes else {
            throw IngestError(.invalidSlice, dataset: dataset.key,
                              message: "option building_types=true, but source '\(source.key)' asks /\(endpoint.kind.rawValue), which takes no building types")
        }
        self.dataset = dataset
        self.source = source
        self.registry = registry
        self.endpoint = endpoint
        self.question = question
        self.interval = interval
        self.splitsBuildingTypes = split == "true"
    }

    public func prepare() -> any Conversation<BRISPrepared> {
        RequestSequence([]) { _ in BRISPrepared() }
    }

    public func plan(_ prepared: BRISPrepared) throws(IngestError) -> [Slice] {
        try BRISSlicePlan(adapter: self).slices()
    }

    /// One POST answers a slice; slices never share one (each carries its own mission type and building group). A
    /// daily slice passes the daily gates (``DailyGate``), which ask the store before BRIS.
    public func fetch(_ slice: Slice, run: [Slice], prepared: BRISPrepared) throws(IngestError) -> any Conversation<SliceFetch> {
        let request = BRISRequest(adapter: self)
        guard slice.table == .daily, interval == .day else { return RequestSequence([try request.request(for: slice)]) { .fetched($0) } }
        return DailyGate(slice: slice, sourceID: dataset.sourceID, kind: String(source.key.map { $0 == "-" ? "_" : $0 }) + "_daily_fanout",
                         transport: BRISDailyTransport(request: request, slice: slice))
    }

    public func transform(_ responses: [UpstreamResponse], slice: Slice, prepared: BRISPrepared) throws(IngestError) -> TransformOutput {
        try BRISTransform(adapter: self).transform(responses.map(\.body), slice: slice)
    }

    /// A dimension whose answers can be missing needs the row that catches BRIS's `-1` bucket; without it every slice
    /// with a missing answer fails its reconciliation.
    public func audit(_ prepared: BRISPrepared) -> [CatalogFinding] {
        guard registry.category(source: dataset.sourceID, dim: dataset.dimCode, nativeAPICode: "-1") == nil else { return [] }
        return [CatalogFinding(.problem, "source \(source.key) dim \(dataset.dimCode) has no category with native_api_code '-1' (Ikke besvart): "
                                  + "slices with missing answers will fail reconciliation")]
    }
}

/// The `bris` adapter kind.
public struct BRISKind: AdapterKind {
    public let name = "bris"

    public init() {}

    public func adapter(for dataset: DatasetDefinition, source: Source, registry: Registry, upstream: Upstream) throws(IngestError) -> any DatasetAdapter {
        try BRISAdapter(dataset: dataset, source: source, registry: registry,
                        endpoint: BRISEndpoint(source: source, baseURL: upstream.baseURL(of: source), options: upstream.options(of: source), dataset: dataset.key))
    }
}
