import KildeCore
import KildeUpstream

/// A source adapter for one catalogue dataset, made by its ``AdapterKind``: it plans slices, says how each is
/// fetched (a ``Conversation``) and transforms raw responses into facts. It never touches a store or the network;
/// the pipeline fetches, lands, gates and writes.
public protocol DatasetAdapter: Sendable {
    /// What the adapter learns once per run before planning (a PxWeb table's metadata, say).
    associatedtype Prepared: Sendable

    var dataset: DatasetDefinition { get }

    /// The run's first conversation: fetches what planning needs. Its responses land in bronze like any other.
    func prepare() -> any Conversation<Prepared>

    /// The slices `kilde up` / `kilde ingest DATASET` run by default: explicit and countable before they run.
    /// A run of part of a dataset narrows them with ``narrow(_:to:registry:)``, the same for every adapter.
    func plan(_ prepared: Prepared) throws(IngestError) -> [Slice]

    /// How `slice` is fetched.
    /// - Parameter run: every slice of the run, in order, so slices that one request can serve ask the same request
    ///   (the pipeline sends it once per run).
    func fetch(_ slice: Slice, run: [Slice], prepared: Prepared) throws(IngestError) -> any Conversation<SliceFetch>

    /// Turns a slice's raw responses into facts: a pure function of the bytes and the catalogue.
    func transform(_ responses: [UpstreamResponse], slice: Slice, prepared: Prepared) throws(IngestError) -> TransformOutput

    /// What the catalogue names that the upstream, as `prepared` describes it now, does not offer (`kilde catalog
    /// --check`). Defaults to nothing to report.
    func audit(_ prepared: Prepared) -> [CatalogFinding]
}

extension DatasetAdapter {
    public func audit(_ prepared: Prepared) -> [CatalogFinding] { [] }
}

/// One thing `kilde catalog --check` reports about a dataset.
public struct CatalogFinding: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable {
        /// An ingest would fail or store nothing for it: fix the catalogue.
        case problem
        /// Worth knowing, not wrong (codes of other years, say).
        case note
    }

    public var severity: Severity
    public var message: String

    public init(_ severity: Severity, _ message: String) {
        self.severity = severity
        self.message = message
    }

    public var description: String { "\(severity.rawValue): \(message)" }
}

/// How a slice's conversation ended.
public enum SliceFetch: Sendable {
    /// Transform these responses, gate and write.
    case fetched([UpstreamResponse])
    /// A daily gate's fetch (``DailyGate``): only the months it fetched are written, and the yearly table it
    /// fetched first, if any, goes to `fact_yearly` in the same run.
    case fetchedMonths(DailyFetch)
    /// The store's history is stable: nothing is fetched or written. Only before any request: the gate-before-fetch
    /// path costs one store round trip and no upstream request.
    case unchanged(reason: String)
}

/// A slice's facts plus what reconciliation and the gates need.
public struct TransformOutput: Sendable {
    public var facts: [Fact]
    /// Totals of the facts, per year (and per month and day for daily facts): what the store should hold after
    /// the write.
    public var totals: SliceTotals
    /// The upstream's own total over the slice's cells, including cells that could not be mapped.
    public var apiTotal: Double
    /// Cells skipped because a native is missing from the registry (counted, logged, not written).
    public var skippedUnmapped: Int
    public var warnings: [String]
    /// The upstream's own totals over the slice's cells that the facts must add up to, in all and per period (BRIS:
    /// the sum of every bucket's series, the missing-answer bucket included); `nil` for an upstream whose skipped
    /// cells are expected (PxWeb regions the catalogue lacks). When set, the pipeline fails the slice with
    /// `.totalMismatch` if ``totals`` differ from them anywhere, and records them in `source_totals` either way.
    public var reconcileWith: SliceTotals?

    public init(facts: [Fact], totals: SliceTotals, apiTotal: Double, skippedUnmapped: Int, warnings: [String],
                reconcileWith: SliceTotals? = nil) {
        self.facts = facts
        self.totals = totals
        self.apiTotal = apiTotal
        self.skippedUnmapped = skippedUnmapped
        self.warnings = warnings
        self.reconcileWith = reconcileWith
    }
}
