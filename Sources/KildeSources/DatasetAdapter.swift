import KildeCore
import KildeUpstream

/// A source adapter for one dataset: it builds requests from slices, plans slices, and transforms
/// raw responses into facts. It never touches a store; the pipeline lands, gates and writes.
public protocol DatasetAdapter: Sendable {
    var dataset: DatasetDefinition { get }

    /// Fetches what planning needs once per run (e.g. table metadata). Its responses are landed in bronze too.
    func prepare(_ upstream: Upstream) async throws -> Preparation

    /// The slices `kilde up` / `kilde ingest DATASET` run by default: explicit and countable before they run.
    /// A run of part of a dataset narrows them with ``narrow(_:to:registry:)``, the same for every adapter.
    func defaultPlan(registry: Registry, preparation: Preparation) throws(IngestError) -> [Slice]

    /// The upstream requests for one slice (several when the selection is split).
    func requests(for slice: Slice, registry: Registry, preparation: Preparation, upstream: Upstream) throws(IngestError) -> [UpstreamRequest]

    /// Turns a slice's raw responses into facts: a pure function of the bytes and the registry.
    func transform(_ responses: [UpstreamResponse], slice: Slice, registry: Registry) throws(IngestError) -> TransformOutput
}

/// What an adapter learned while preparing a run.
public struct Preparation: Sendable {
    public var responses: [UpstreamResponse]
    /// Years the upstream has, when known.
    public var years: YearWindow?
    /// Codes per variable, for splitting selections.
    public var codes: [String: [String]]
    /// The upstream's last-updated timestamp, when known.
    public var updated: String?

    public init(responses: [UpstreamResponse] = [], years: YearWindow? = nil, codes: [String: [String]] = [:], updated: String? = nil) {
        self.responses = responses
        self.years = years
        self.codes = codes
        self.updated = updated
    }
}

/// A slice's facts plus what reconciliation and the gates need.
public struct TransformOutput: Sendable {
    public var facts: [Fact]
    /// Totals of the facts, per year: what the store should hold after the write.
    public var totals: SliceTotals
    /// The upstream's own total over the slice's cells, including cells that could not be mapped.
    public var apiTotal: Double
    /// Cells skipped because a native is missing from the registry (counted, logged, not written).
    public var skippedUnmapped: Int
    public var warnings: [String]

    public init(facts: [Fact], totals: SliceTotals, apiTotal: Double, skippedUnmapped: Int, warnings: [String]) {
        self.facts = facts
        self.totals = totals
        self.apiTotal = apiTotal
        self.skippedUnmapped = skippedUnmapped
        self.warnings = warnings
    }
}

/// The upstream clients an adapter may use, configured once per process.
public struct Upstream: Sendable {
    public var fetcher: HTTPFetcher
    public var ssb: PxWebClient
    /// Pays for every request made through these clients when set (see ``RequestBudget``).
    public private(set) var budget: RequestBudget?

    public init(fetcher: HTTPFetcher, ssb: PxWebClient.Configuration) {
        self.fetcher = fetcher
        self.ssb = PxWebClient(configuration: ssb, fetcher: fetcher)
    }

    /// These clients with every request paid for by `budget`.
    public func budgeted(_ budget: RequestBudget) -> Upstream {
        var u = self
        u.budget = budget
        u.ssb.budget = budget
        return u
    }
}
