/// The status of a run in `ingest_runs`.
public enum RunStatus: String, Sendable, Codable, Hashable, CaseIterable {
    case queued, running, complete, error
}

/// Row counters of a slice or a run.
public struct RowCounters: Sendable, Hashable, Codable {
    public var added = 0
    public var updated = 0
    public var skippedIdentical = 0
    public var deleted = 0
    /// Rows sent through the writer: `added + updated`.
    public var upserted: Int { added + updated }

    public init(added: Int = 0, updated: Int = 0, skippedIdentical: Int = 0, deleted: Int = 0) {
        self.added = added
        self.updated = updated
        self.skippedIdentical = skippedIdentical
        self.deleted = deleted
    }

    public static func + (a: RowCounters, b: RowCounters) -> RowCounters {
        RowCounters(added: a.added + b.added, updated: a.updated + b.updated,
                    skippedIdentical: a.skippedIdentical + b.skippedIdentical, deleted: a.deleted + b.deleted)
    }
}

/// What happened to one slice of a run.
public struct SliceResult: Sendable {
    public enum Outcome: String, Sendable, Hashable, Codable {
        /// Tier 1 found the slice unchanged; nothing was written.
        case unchanged
        /// Rows were written (or deleted).
        case written
        /// The slice failed; ``SliceResult/error`` says why. Nothing of it was written.
        case failed
    }

    public var index: Int
    public var slice: Slice
    public var outcome: Outcome
    public var decision: ChangeDecision?
    public var counters: RowCounters
    public var apiTotal: Double?
    public var transformedRowCount: Int
    /// Cells the transform could not map (e.g. an SSB region missing from the catalogue), counted and skipped.
    public var skippedUnmapped: Int
    public var upstreamRequests: Int
    public var warnings: [String]
    /// Why the slice failed, as a typed value (its ``IngestError/code`` tells a full disk from a malformed response).
    public var error: IngestError?
    /// Where the slice's fan-out last was (a daily gate), if it had one: kept in `phase_detail` when it failed.
    public var fanout: FanoutProgress?

    public init(
        index: Int, slice: Slice, outcome: Outcome, decision: ChangeDecision? = nil, counters: RowCounters = .init(),
        apiTotal: Double? = nil, transformedRowCount: Int = 0, skippedUnmapped: Int = 0, upstreamRequests: Int = 0,
        warnings: [String] = [], error: IngestError? = nil
    ) {
        self.index = index
        self.slice = slice
        self.outcome = outcome
        self.decision = decision
        self.counters = counters
        self.apiTotal = apiTotal
        self.transformedRowCount = transformedRowCount
        self.skippedUnmapped = skippedUnmapped
        self.upstreamRequests = upstreamRequests
        self.warnings = warnings
        self.error = error
    }

    /// The `per_slice_metrics` entry for this slice (versioned object, `v: 1`).
    public var metricsJSON: String {
        CanonicalJSON.object([
            ("v", "1"),
            ("slice_index", String(index)),
            ("slice_key", CanonicalJSON.string(slice.label)),
            ("outcome", CanonicalJSON.string(outcome.rawValue)),
            ("api_total", apiTotal.map { JSONNumber.format($0) } ?? "null"),
            ("transformed_row_count", String(transformedRowCount)),
            ("skipped_unmapped", String(skippedUnmapped)),
            ("write_stats", CanonicalJSON.object([
                ("rows_added", String(counters.added)), ("rows_updated", String(counters.updated)),
                ("rows_skipped_identical", String(counters.skippedIdentical)), ("rows_deleted", String(counters.deleted)),
            ])),
            ("error", error.map { CanonicalJSON.string($0.description) } ?? "null"),
        ])
    }
}

/// The result of one run: every slice's result and the run's totals.
public struct IngestResult: Sendable {
    public var runID: Int64
    public var status: RunStatus
    public var slices: [SliceResult]

    public init(runID: Int64, status: RunStatus, slices: [SliceResult]) {
        self.runID = runID
        self.status = status
        self.slices = slices
    }

    public var counters: RowCounters { slices.reduce(RowCounters()) { $0 + $1.counters } }
    public var failed: [SliceResult] { slices.filter { $0.outcome == .failed } }
}

/// Formats a Double as JSON: integers without a fraction, others in shortest round-trip form.
public enum JSONNumber {
    public static func format(_ v: Double) -> String {
        if v.isFinite, v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return v.isFinite ? "\(v)" : "null"
    }
}
