import KildeCore

/// Which recorded slices a reconciliation checks: all, one source's, or one dataset's.
public struct ReconcileScope: Sendable, Hashable {
    /// Only slices of this source (`sources.source_id`); `nil` for every source.
    public var sourceID: Int?
    /// Only slices of this dataset key; `nil` for every dataset.
    public var dataset: String?

    public init(sourceID: Int? = nil, dataset: String? = nil) {
        self.sourceID = sourceID
        self.dataset = dataset
    }
}

/// The last upstream totals `source_totals` holds for one slice (one recording: the rows written together with its
/// grand total), beside the sums of the stored atoms of the slice's keys.
public struct SliceCheck: Sendable, Hashable {
    public var sourceKey: String
    public var dataset: String
    public var slice: Slice
    /// The slice's key in `extraction_state` and `source_totals`.
    public var sliceKey: String
    /// The run that recorded the totals; `nil` for a recording made outside a run.
    public var runID: Int64?
    /// When the totals were recorded (UTC, ISO 8601).
    public var seenAt: String
    /// The upstream's own totals: the whole and per year.
    public var upstream: SliceTotals
    /// The stored atoms of the slice's keys, summed: the whole and per year. Only the slice's key set is summed, so
    /// a NULL-as-ALL total row (another slice's atom) is never added to its children.
    public var stored: SliceTotals

    public init(sourceKey: String, dataset: String, slice: Slice, sliceKey: String, runID: Int64?, seenAt: String,
                upstream: SliceTotals, stored: SliceTotals) {
        self.sourceKey = sourceKey
        self.dataset = dataset
        self.slice = slice
        self.sliceKey = sliceKey
        self.runID = runID
        self.seenAt = seenAt
        self.upstream = upstream
        self.stored = stored
    }

    /// Where the stored atoms and the upstream's totals disagree; `nil` when they agree everywhere.
    public var mismatch: SliceMismatch? {
        guard let gap = Reconciliation.gap(written: stored, upstream: upstream) else { return nil }
        let periods = gap.byYear.keys.sorted().map { y in
            PeriodGap(period: String(y), upstream: upstream.byYear[y] ?? 0, stored: stored.byYear[y] ?? 0)
        }
        return SliceMismatch(source: sourceKey, dataset: dataset, slice: slice.label, sliceKey: sliceKey, metric: slice.metric.rawValue,
                             table: slice.table.rawValue, runId: runID, seenAt: seenAt, upstreamTotal: upstream.total,
                             storedTotal: stored.total, periods: periods)
    }
}

/// One period of a slice whose stored atoms do not sum to the upstream's total.
public struct PeriodGap: Sendable, Hashable, Codable {
    /// The period: a year, e.g. `2019` (source_totals records years).
    public var period: String
    public var upstream: Double
    public var stored: Double
    /// Upstream minus stored: what the store lacks (negative when it holds more).
    public var gap: Double

    public init(period: String, upstream: Double, stored: Double) {
        self.period = period
        self.upstream = upstream
        self.stored = stored
        self.gap = upstream - stored
    }
}

/// A slice whose stored atoms do not sum to the last upstream totals recorded for it. The names are the read
/// API's JSON members.
public struct SliceMismatch: Sendable, Hashable, Codable {
    public var source: String
    public var dataset: String
    /// The slice as logs name it, e.g. `ds dim 1 fire_type=20102 building_type=20201 all years`.
    public var slice: String
    public var sliceKey: String
    public var metric: String
    public var table: String
    /// The run that recorded the totals.
    public var runId: Int64?
    /// When the totals were recorded.
    public var seenAt: String
    public var upstreamTotal: Double
    public var storedTotal: Double
    /// Upstream minus stored over all periods.
    public var gap: Double
    /// The periods that differ, ascending.
    public var periods: [PeriodGap]

    public init(source: String, dataset: String, slice: String, sliceKey: String, metric: String, table: String, runId: Int64?, seenAt: String,
                upstreamTotal: Double, storedTotal: Double, periods: [PeriodGap]) {
        self.source = source
        self.dataset = dataset
        self.slice = slice
        self.sliceKey = sliceKey
        self.metric = metric
        self.table = table
        self.runId = runId
        self.seenAt = seenAt
        self.upstreamTotal = upstreamTotal
        self.storedTotal = storedTotal
        self.gap = upstreamTotal - storedTotal
        self.periods = periods
    }
}

/// How many slices of one dataset were checked and how many disagree.
public struct DatasetTally: Sendable, Hashable, Codable {
    public var source: String
    public var dataset: String
    public var slicesChecked: Int
    public var mismatches: Int
}

/// What `kilde reconcile` and `GET /v1/reconcile` answer: every slice with recorded upstream totals checked against
/// the stored atoms, the ones that disagree, and per dataset the counts.
public struct ReconcileReport: Sendable, Hashable, Codable {
    public var slicesChecked: Int
    public var mismatchCount: Int
    public var datasets: [DatasetTally]
    public var mismatches: [SliceMismatch]
    /// Keys of recorded slices whose definition could not be read back (neither the key nor its run says it); not checked.
    public var unreadableSlices: [String]

    /// The report over `checks`, ordered by source, dataset and slice key.
    public init(checks: [SliceCheck], unreadableSlices: [String] = []) {
        let ordered = checks.sorted { ($0.sourceKey, $0.dataset, $0.sliceKey) < ($1.sourceKey, $1.dataset, $1.sliceKey) }
        var tallies: [DatasetTally] = []
        var found: [SliceMismatch] = []
        for c in ordered {
            let m = c.mismatch
            if let m { found.append(m) }
            if let last = tallies.last, last.source == c.sourceKey, last.dataset == c.dataset {
                tallies[tallies.count - 1].slicesChecked += 1
                tallies[tallies.count - 1].mismatches += m == nil ? 0 : 1
            } else {
                tallies.append(DatasetTally(source: c.sourceKey, dataset: c.dataset, slicesChecked: 1, mismatches: m == nil ? 0 : 1))
            }
        }
        slicesChecked = checks.count
        mismatchCount = found.count
        datasets = tallies
        mismatches = found
        self.unreadableSlices = unreadableSlices.sorted()
    }
}
