import KildeCore
import ServiceLifecycle

/// A fact store, whole: every role below, plus opening, migrating and closing. Implemented by ``SQLiteFactStore``
/// (embedded, the default) and ``PostgresFactStore`` (production). Behaviour is identical; one behavioural test
/// suite runs against both.
///
/// The seam is cut by role, so each consumer names the part it uses: the pipeline an ``IngestStore``, the marts a
/// ``MartStore``, the read API a ``ServingStore``. A store is a `Service`: ``run()`` keeps its background work going
/// (PostgreSQL's connection pool) until graceful shutdown, so it runs in a `ServiceGroup` or a ``ServiceScope``.
public protocol FactStore: RunStore, SliceStore, ServingStore, MaterializationStore, MartStore, DataKindStore, ReconcileStore, WorkQueueStore, Service {
    /// Where the store lives, safe to print (no password), e.g. `sqlite:/home/me/.kilde/kilde.sqlite`.
    var location: String { get }

    /// Applies pending schema migrations in order, then loads the catalogue into the registry tables.
    /// Safe to re-run.
    func migrate(catalog: Catalog) async throws -> MigrationReport

    /// Releases the connections the store holds itself (after ``run()`` has ended, for a pooled store).
    func close() async throws
}

/// What an ingest needs: runs, slices and the data-kind claim.
public typealias IngestStore = RunStore & SliceStore & DataKindStore

/// Demo data or real data: the claim every store keeps.
public protocol DataKindStore: Sendable {
    /// Whether this store holds demo data or real data; `nil` until the first ingest claims it.
    func dataKind() async throws -> DataKind?

    /// Claims the store for one kind of data on first use.
    /// - Throws: ``StoreError`` with code `.dataKindMismatch` when the store already holds the other kind:
    ///   demo and real numbers never share a store.
    func claimDataKind(_ kind: DataKind) async throws
}

/// Runs in `ingest_runs`: started, progressed, finished, read.
public protocol RunStore: Sendable {
    /// Creates a run in state `running`.
    /// - Throws: ``StoreError`` with code `.activeRun` naming the run that already holds the same `slice_hash`.
    func startRun(_ request: RunRequest) async throws -> Int64

    /// Records progress (counters, `phase_detail`, per-slice metrics) of a running run.
    func updateRun(id: Int64, progress: RunProgress) async throws

    /// Marks a run `complete` or `error`. A run of a catalogue dataset that finishes `complete` records the dataset's
    /// ``Materialization`` in the same transaction.
    func finishRun(id: Int64, status: RunStatus, progress: RunProgress, error: String?) async throws

    func runs(limit: Int) async throws -> [RunRecord]
    /// The most recent runs of one dataset or mart (`ingest_runs.dataset`), newest first.
    func runs(dataset: String, limit: Int) async throws -> [RunRecord]
    /// The datasets and marts with at least one run that finished `complete` (materialised at least once).
    func materializedAssets() async throws -> Set<String>
    func run(id: Int64) async throws -> RunRecord?
}

/// The slice path of an ingest: the gates' reads and one transaction per slice.
public protocol SliceStore: Sendable {
    /// Counters of this store's work (round trips on the slice path, rows written), for tests and benchmarks.
    var statistics: StoreStatistics { get }

    /// One round trip: records the slice's raw artifacts and returns the stored totals for its keys.
    /// When the stored totals equal `probe.upstream` (the slice is unchanged), the store also marks
    /// `extraction_state` and `source_totals` in the same round trip, so a stable slice needs nothing else.
    func probe(_ probe: SliceProbe) async throws -> ProbeResult

    /// One round trip: what the store holds for `keys` in `fact_yearly` (sums per year) and `fact_daily` (sums per
    /// month, rows), so an adapter can gate before fetching.
    func storedTotals(_ keys: SliceKeySet, metric: Metric) async throws -> StoredTotals

    /// The stored metrics of the slice's keys within `years` (all years when `nil`).
    func existingFacts(_ keys: SliceKeySet, years: Set<Int>?) async throws -> [FactKey: StoredMetrics]

    /// Writes a slice in one transaction: upserts, deletes, `extraction_state`, `source_totals`.
    /// Either everything is stored or nothing is.
    func commitSlice(_ commit: SliceCommit) async throws

    /// Records a failed slice: its raw artifacts, an `extraction_state` row with the error and, when the upstream's
    /// totals were read, those in `source_totals`. Facts are untouched.
    func recordFailure(_ failure: SliceFailure) async throws
}

/// The reads: atoms, the read API's series and totals, the assets and the change token of kept answers.
public protocol ServingStore: Sendable {
    /// Facts matching a query, with category and filter labels resolved.
    func queryFacts(_ query: FactQuery) async throws -> [FactRow]

    /// Number of rows in each table, for `kilde up` and the catalogue page.
    func tableCounts() async throws -> [String: Int]

    /// The read API's facts read (SPEC §7): summed per category, period and filter values.
    func factSeries(_ query: FactSeriesQuery) async throws -> FactSeries

    /// Totals per category and per period over everything `query` matches, computed on read.
    func factTotals(_ query: FactSeriesQuery) async throws -> FactTotals

    /// Every dataset and mart with its last successful materialisation, latest run status, row count and latest
    /// materialisation record.
    func assets() async throws -> [AssetStatus]

    /// The latest period a dataset holds (`source_id`, `dim_code`): a year, or for a sub-year dataset the first day
    /// of its latest period (`2024-03-01`); nil when it holds no facts.
    func latestPeriod(sourceID: Int, dimCode: Int, subyear: Bool) async throws -> String?

    /// The levels at which the store holds a selection: per distinct combination, which of the open axes are NULL
    /// (NULL-as-ALL). A comparison across sources reads each source at its coarsest level.
    func storedLevels(_ query: StoredLevelsQuery) async throws -> [StoredLevel]

    /// A token that is the same on two reads only if no write was committed to the store in between, by this
    /// process or any other (it may also change without a write). Anything read after taking the token is at
    /// least as new as the token, so an answer kept under it stays right for as long as the token does.
    func changeToken() async throws -> String
}

/// Reconciliation (SPEC §3, after the fact): the stored atoms of every slice against the upstream's own totals last
/// recorded for it in `source_totals`.
public protocol ReconcileStore: Sendable {
    /// Checks every slice in `scope` that has recorded upstream totals: the sums of the stored atoms of the slice's
    /// keys (never a NULL-as-ALL total together with its children) against the last recording, in all and per year.
    /// Reads only.
    func reconcile(_ scope: ReconcileScope) async throws -> ReconcileReport
}

/// The marts: built from facts and a seed, tested, swapped in; then read.
public protocol MartStore: Sendable {
    /// Rebuilds `kommune_dim` and `kommune_indicators` from `seed`, the indicators `migrate` loaded from the catalogue
    /// and the stored facts, runs the data tests,
    /// and swaps the new tables in only when all pass; the build is recorded as a run (dataset
    /// ``KommuneIndicatorMart/asset``) whose status and `error_message` show a failed test, and as a
    /// ``Materialization`` (status `error` when a test refused the swap), in the build's transaction.
    /// - Parameter trigger: what caused the build, e.g. `run 12 (ssb-08764)`, kept in the run's `phase_detail`.
    /// - Throws: ``StoreError`` when the build could not run at all (not when a data test fails: that is in the report).
    func materializeKommuneIndicators(seed: KommuneSeed, trigger: String) async throws -> MartBuildReport

    /// The served `kommune_indicators` rows of one indicator and year.
    func kommuneIndicators(indicator: String, year: Int) async throws -> [KommuneIndicatorRow]

    /// The values of one indicator and year that the served mart does not draw on a kommune, with the reason.
    func unmatchedRegions(indicator: String, year: Int) async throws -> [UnmatchedRegion]

    /// The years the served mart has for an indicator, ascending.
    func indicatorYears(indicator: String) async throws -> [Int]

    /// The served `kommune_dim`: every kommune of every structure.
    func kommuner() async throws -> [Kommune]

    /// The newest run of any of `datasets` that changed stored rows (added, updated or deleted some), whatever its
    /// status; `nil` when none did. A mart built after it has seen every change of its inputs.
    func lastChangingRun(datasets: [String]) async throws -> Int64?

    /// The inputs token the last build of `asset` was tried with (``recordBuildInputs(asset:token:)``); `nil` if none.
    func buildInputs(asset: String) async throws -> String?

    /// Remembers the inputs a build of `asset` was tried with, so a build over the same inputs is not tried again.
    func recordBuildInputs(asset: String, token: String) async throws
}

/// What `migrate` did.
public struct MigrationReport: Sendable, Hashable {
    public var applied: [String]
    public var alreadyApplied: Int
    public var registryRows: Int

    public init(applied: [String], alreadyApplied: Int, registryRows: Int) {
        self.applied = applied
        self.alreadyApplied = alreadyApplied
        self.registryRows = registryRows
    }
}

/// Demo data (from the simulator) or real data (from the upstream). They never share a store.
public enum DataKind: String, Sendable, Hashable, Codable {
    case demo
    case real
}
