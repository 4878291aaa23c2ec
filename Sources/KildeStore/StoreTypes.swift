import KildeCore

/// A raw upstream response, landed in bronze before parsing.
public struct RawArtifact: Sendable, Hashable {
    /// Content address: the sha256 of the bytes, hex.
    public var sha256: String
    /// Where the bytes are stored, relative to the bronze root.
    public var key: String
    public var url: String
    public var method: String
    public var contentType: String?
    public var bytes: Int
    public var fetchedAt: String

    public init(sha256: String, key: String, url: String, method: String, contentType: String?, bytes: Int, fetchedAt: String) {
        self.sha256 = sha256
        self.key = key
        self.url = url
        self.method = method
        self.contentType = contentType
        self.bytes = bytes
        self.fetchedAt = fetchedAt
    }
}

/// Identifies a slice in bookkeeping tables.
public struct SliceRef: Sendable, Hashable {
    public var runID: Int64?
    public var sourceID: Int
    public var dataset: String
    public var slice: Slice

    public init(runID: Int64?, sourceID: Int, dataset: String, slice: Slice) {
        self.runID = runID
        self.sourceID = sourceID
        self.dataset = dataset
        self.slice = slice
    }
}

/// The input of ``FactStore/probe(_:)``.
public struct SliceProbe: Sendable {
    public var ref: SliceRef
    public var keys: SliceKeySet
    public var metric: Metric
    public var upstream: SliceTotals
    public var artifacts: [RawArtifact]
    /// Atoms the transform produced, recorded as `last_row_count` when the slice is unchanged.
    public var transformedRowCount: Int
    public var fetchedAt: String

    public init(ref: SliceRef, keys: SliceKeySet, metric: Metric, upstream: SliceTotals, artifacts: [RawArtifact], transformedRowCount: Int, fetchedAt: String) {
        self.ref = ref
        self.keys = keys
        self.metric = metric
        self.upstream = upstream
        self.artifacts = artifacts
        self.transformedRowCount = transformedRowCount
        self.fetchedAt = fetchedAt
    }
}

/// What the store holds for a probed slice.
public struct ProbeResult: Sendable, Hashable {
    public var stored: SliceTotals
    public var rowCount: Int
    /// The store found the slice unchanged and already marked its state.
    public var markedUnchanged: Bool

    public init(stored: SliceTotals, rowCount: Int, markedUnchanged: Bool) {
        self.stored = stored
        self.rowCount = rowCount
        self.markedUnchanged = markedUnchanged
    }
}

/// One slice's writes, committed in one transaction.
public struct SliceCommit: Sendable {
    public var ref: SliceRef
    public var metric: Metric
    public var upserts: [Fact]
    public var deletes: [FactKey]
    /// Keys whose `metric` is cleared (set NULL) while the other metric stays.
    public var clears: [FactKey]
    public var upstream: SliceTotals
    public var transformedRowCount: Int
    public var fetchedAt: String

    public init(ref: SliceRef, metric: Metric, upserts: [Fact], deletes: [FactKey], clears: [FactKey], upstream: SliceTotals, transformedRowCount: Int, fetchedAt: String) {
        self.ref = ref
        self.metric = metric
        self.upserts = upserts
        self.deletes = deletes
        self.clears = clears
        self.upstream = upstream
        self.transformedRowCount = transformedRowCount
        self.fetchedAt = fetchedAt
    }
}

/// A slice that failed: its artifacts and error are recorded, its facts untouched.
public struct SliceFailure: Sendable {
    public var ref: SliceRef
    public var artifacts: [RawArtifact]
    public var error: String
    public var fetchedAt: String
    /// What the upstream said the slice holds, when it was read before the slice failed (a failed reconciliation):
    /// recorded in `source_totals`, so the gap stays visible beside the error.
    public var upstream: SliceTotals?

    public init(ref: SliceRef, artifacts: [RawArtifact], error: String, fetchedAt: String, upstream: SliceTotals? = nil) {
        self.ref = ref
        self.artifacts = artifacts
        self.error = error
        self.fetchedAt = fetchedAt
        self.upstream = upstream
    }
}

/// A request to start a run.
public struct RunRequest: Sendable {
    public var sourceKey: String
    public var dataset: String
    /// Canonical JSON of the requested slices; the store hashes it into `slice_hash`.
    public var sliceConfig: String
    public var slicesTotal: Int
    public var years: YearWindow?
    /// Who runs it, `host:pid`; lets a later run recognise one whose process died.
    public var owner: String
    public var startedAt: String
    public var status: RunStatus
    /// The raw responses of the run's preparation (a table's metadata), recorded with the run: they belong to no one
    /// slice, and a slice that gates before fetching records nothing.
    public var artifacts: [RawArtifact]
    /// The source the artifacts came from.
    public var sourceID: Int

    public init(sourceKey: String, dataset: String, sliceConfig: String, slicesTotal: Int, years: YearWindow?, owner: String, startedAt: String,
                status: RunStatus = .running, artifacts: [RawArtifact] = [], sourceID: Int = 0) {
        self.artifacts = artifacts
        self.sourceID = sourceID
        self.sourceKey = sourceKey
        self.dataset = dataset
        self.sliceConfig = sliceConfig
        self.slicesTotal = slicesTotal
        self.years = years
        self.owner = owner
        self.startedAt = startedAt
        self.status = status
    }
}

/// A run's progress, written after every slice.
public struct RunProgress: Sendable, Hashable {
    public var slicesDone: Int
    public var counters: RowCounters
    /// Set for single-slice runs only.
    public var apiTotal: Double?
    /// Set for single-slice runs only.
    public var transformedRowCount: Int?
    /// JSON array; set for multi-slice runs.
    public var perSliceMetrics: String?
    public var phaseDetail: String?
    public var at: String

    public init(slicesDone: Int, counters: RowCounters, apiTotal: Double? = nil, transformedRowCount: Int? = nil, perSliceMetrics: String? = nil, phaseDetail: String? = nil, at: String) {
        self.slicesDone = slicesDone
        self.counters = counters
        self.apiTotal = apiTotal
        self.transformedRowCount = transformedRowCount
        self.perSliceMetrics = perSliceMetrics
        self.phaseDetail = phaseDetail
        self.at = at
    }
}

/// A row of `ingest_runs`.
public struct RunRecord: Sendable, Hashable, Codable {
    public var id: Int64
    public var sourceKey: String
    public var dataset: String
    public var sliceConfig: String
    public var sliceHash: String
    public var status: RunStatus
    public var owner: String?
    public var startedAt: String?
    public var finishedAt: String?
    public var slicesTotal: Int
    public var slicesDone: Int
    public var rowsAdded: Int
    public var rowsUpdated: Int
    public var rowsSkippedIdentical: Int
    public var rowsDeleted: Int
    public var rowsUpserted: Int
    public var apiTotal: Double?
    public var transformedRowCount: Int?
    public var perSliceMetrics: String?
    public var phaseDetail: String?
    public var errorMessage: String?
    public var yearFirst: Int?
    public var yearLast: Int?
}

/// Errors raised by a store, with a message fit for a person.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public enum Code: Sendable, Hashable {
        /// Another run with the same slice hash is queued or running.
        case activeRun(Int64)
        /// The store rejected a row (constraint or trigger).
        case constraint
        /// The store cannot be reached or opened.
        case connection
        /// Another writer held the store's lock past the wait allowed (SQLite's "database is locked").
        case busy
        /// The store location is not understood.
        case invalidLocation
        case migration
        /// Demo data offered to a real store or the reverse.
        case dataKindMismatch
        case other
    }

    public var code: Code
    public var message: String
    /// The SQLSTATE a database server reported, e.g. `23505` for a unique violation; `nil` otherwise.
    /// Kept so callers can tell error kinds apart without parsing localised server messages.
    public var sqlState: String?

    public init(_ code: Code, _ message: String, sqlState: String? = nil) {
        self.code = code
        self.message = message
        self.sqlState = sqlState
    }

    public var description: String { message }
}
