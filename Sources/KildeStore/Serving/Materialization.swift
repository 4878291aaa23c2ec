import KildeCore

/// One materialisation of an asset, a row of `materializations`: recorded when a dataset's run finishes `complete`
/// and when a mart build ends (swapped in, or refused by a failing data test).
///
/// The counters say what the materialisation changed; ``rowsTotal``, ``latestPeriod`` and ``dataVersion`` describe
/// what the asset holds after it. A refused mart build changed nothing: its record keeps the served mart's total,
/// latest period and data version.
public struct Materialization: Sendable, Hashable, Codable {
    /// `complete`, or `error` for a mart build whose data tests failed (the previous mart stays served).
    public enum Status: String, Sendable, Hashable, Codable {
        case complete
        case error
    }

    public var id: Int64
    /// A dataset key (`ssb-12058`) or a mart asset (``KommuneIndicatorMart/asset``).
    public var asset: String
    /// The run (`ingest_runs`) that materialised it: an ingest, or a mart build.
    public var runID: Int64
    /// When the run finished.
    public var materializedAt: String
    /// From the run's start to its finish, in milliseconds.
    public var durationMs: Int
    public var rowsAdded: Int
    public var rowsUpdated: Int
    /// Rows removed (a dataset's cleared metrics count here too).
    public var rowsDeleted: Int
    /// Rows compared and found identical, so not written.
    public var rowsUnchanged: Int
    /// Rows the asset holds after the materialisation (a dataset: its atoms in `fact_yearly` and `fact_daily`).
    public var rowsTotal: Int
    /// The newest period the asset holds: a year (`2025`), or for a sub-year dataset the first day of its newest
    /// period (`2025-11-01`); `nil` when it holds nothing.
    public var latestPeriod: String?
    /// Changes exactly when the asset's stored data changes (see ``DataVersion``): 16 hex digits.
    public var dataVersion: String
    public var status: Status

    public init(id: Int64, asset: String, runID: Int64, materializedAt: String, durationMs: Int, rowsAdded: Int, rowsUpdated: Int,
                rowsDeleted: Int, rowsUnchanged: Int, rowsTotal: Int, latestPeriod: String?, dataVersion: String, status: Status) {
        self.id = id
        self.asset = asset
        self.runID = runID
        self.materializedAt = materializedAt
        self.durationMs = durationMs
        self.rowsAdded = rowsAdded
        self.rowsUpdated = rowsUpdated
        self.rowsDeleted = rowsDeleted
        self.rowsUnchanged = rowsUnchanged
        self.rowsTotal = rowsTotal
        self.latestPeriod = latestPeriod
        self.dataVersion = dataVersion
        self.status = status
    }

    /// Rows the materialisation wrote or removed.
    public var rowsChanged: Int { rowsAdded + rowsUpdated + rowsDeleted }
}

/// The materialisation records of the assets, newest first.
public protocol MaterializationStore: Sendable {
    /// The most recent records of `asset` (a dataset key or a mart asset), newest first; empty for an asset never
    /// materialised (or not known to the store).
    func materializations(asset: String, limit: Int) async throws -> [Materialization]
}
