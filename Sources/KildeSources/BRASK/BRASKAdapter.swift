import KildeCore
import KildeUpstream

/// What a BRASK adapter keeps for a run: the form session its slices share (the form's options are checked by every
/// post itself — a value it does not offer fails the slice naming it — and the plan is the catalogue's).
public struct BRASKPrepared: Sendable {
    /// The run's form session: the form the last result page carried, which the next slice posts through instead of
    /// starting a session of its own (one `GET` of the form per run, not per slice).
    let form: Locked<BRASKForm?>

    public init() {
        form = Locked(nil)
    }
}

/// One BRASK characteristic (Finans Norge's insured fire damage, an ASP.NET WebForms page) from catalogue data alone,
/// read top to bottom: ``plan(_:)`` lists the slices, each one metric and one value per filter axis
/// (``BRASKSlicePlan``); ``fetch(_:run:prepared:)`` holds a conversation with the form for each — GET the form,
/// post the selection with its hidden fields, a fresh form once when the state went stale (``BRASKConversation``,
/// the posts built by ``BRASKRequest``); ``transform(_:slice:prepared:)`` turns the result tables into facts and
/// passes the SUM × SUM cells on as the totals to reconcile with (``BRASKTransform``).
///
/// Dataset options (`datasets.csv`): `row` (the form's row dimension, e.g. `arsak`, `kilde`, `bygningsalder`; its
/// labels are the dimension's categories by `native_name`), `metrics` (default `value,value_kr`: one pass each, on
/// the same keys). The grain picks the column: `year` → one post per slice with the years as columns
/// (`fact_yearly`), `day` → one post per year and month with the 31 day columns (`fact_daily`).
/// Source options (`sources.csv`): `path` (the form's path, default `/`) and `axes` (filter axis → list box,
/// default `fire_type:lbType,building_type:lbNaering,building_age:lbAldersgruppe`).
public struct BRASKAdapter: DatasetAdapter {
    public let dataset: DatasetDefinition
    public let source: Source
    public let registry: Registry
    /// Where the form lives: `GET` it, `POST` to it.
    public let formURL: String
    public let controls: BRASKControls
    /// The row dimension's value in the form (`ddlRad`).
    public let row: String
    /// The passes, in order.
    public let metrics: [Metric]

    /// - Throws: ``IngestError`` naming a missing or malformed option, or a grain BRASK has no column for.
    public init(dataset: DatasetDefinition, source: Source, registry: Registry, baseURL: String, options: AdapterOptions) throws(IngestError) {
        guard let row = dataset.options["row"] else {
            throw IngestError(.invalidSlice, dataset: dataset.key, message: "option row (the form's row dimension, e.g. arsak) is missing")
        }
        guard dataset.grain == .year || dataset.grain == .day else {
            throw IngestError(.grainNotSupported, dataset: dataset.key,
                              message: "BRASK tables have years or the days of one month as columns; grain \(dataset.grain.rawValue) has none")
        }
        var metrics: [Metric] = []
        for name in dataset.options.list("metrics").isEmpty ? Metric.allCases.map(\.rawValue) : dataset.options.list("metrics") {
            guard let m = Metric(rawValue: name) else {
                throw IngestError(.invalidSlice, dataset: dataset.key, message: "option metrics names '\(name)'; the metrics are value and value_kr")
            }
            if !metrics.contains(m) { metrics.append(m) }
        }
        self.dataset = dataset
        self.source = source
        self.registry = registry
        let path = options["path"] ?? "/"
        self.formURL = baseURL + (path.hasPrefix("/") ? path : "/" + path)
        self.controls = try BRASKControls(options: options, dataset: dataset.key)
        self.row = row
        self.metrics = metrics
    }

    /// How errors and labels name the upstream, e.g. `BRASK`.
    var upstreamName: String { source.key.uppercased() }

    public func prepare() -> any Conversation<BRASKPrepared> {
        RequestSequence([]) { _ in BRASKPrepared() }
    }

    public func plan(_ prepared: BRASKPrepared) throws(IngestError) -> [Slice] {
        try BRASKSlicePlan(adapter: self).slices()
    }

    /// A conversation per slice, in the run's one form session (``BRASKPrepared``): its posts go through the form the
    /// previous slice's last page carried, and a session the server has dropped gets a fresh form.
    /// A daily slice passes the daily gates (``DailyGate``), which ask the store before BRASK.
    public func fetch(_ slice: Slice, run: [Slice], prepared: BRASKPrepared) throws(IngestError) -> any Conversation<SliceFetch> {
        let session = BRASKSession(request: BRASKRequest(adapter: self, slice: slice), shared: prepared.form)
        guard slice.table == .daily else { return BRASKConversation(session: session) }
        return DailyGate(slice: slice, sourceID: dataset.sourceID, kind: "\(source.key)_daily_fanout", transport: BRASKDailyTransport(session: session))
    }

    public func transform(_ responses: [UpstreamResponse], slice: Slice, prepared: BRASKPrepared) throws(IngestError) -> TransformOutput {
        try BRASKTransform(adapter: self).transform(responses.map(\.body), slice: slice)
    }

    /// Labels of the row dimension are matched to categories by `native_name`: a dimension without any cannot
    /// store a single cell.
    public func audit(_ prepared: BRASKPrepared) -> [CatalogFinding] {
        guard registry.categories(source: dataset.sourceID, dim: dataset.dimCode).isEmpty else { return [] }
        return [CatalogFinding(.problem, "source \(source.key) has no categories for dim \(dataset.dimCode), the labels of row '\(row)'")]
    }
}

/// The `brask` adapter kind.
public struct BRASKKind: AdapterKind {
    public let name = "brask"

    public init() {}

    public func adapter(for dataset: DatasetDefinition, source: Source, registry: Registry, upstream: Upstream) throws(IngestError) -> any DatasetAdapter {
        try BRASKAdapter(dataset: dataset, source: source, registry: registry, baseURL: upstream.baseURL(of: source), options: upstream.options(of: source))
    }
}
