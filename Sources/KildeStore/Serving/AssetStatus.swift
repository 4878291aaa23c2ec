import Foundation
import KildeCore

/// A materialised asset (a dataset's facts or a mart) with its last successful materialisation, row count and latest
/// materialisation record.
public struct AssetStatus: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable { case dataset, mart }

    /// Fresh: materialised within the freshness policy; stale: older; never: not materialised yet.
    public enum Freshness: String, Sendable, Hashable, Codable { case fresh, stale, never }

    public var key: String
    public var kind: Kind
    public var title: String
    public var sourceKey: String?
    public var attribution: String?
    public var tableID: String?
    public var sourceID: Int?
    public var dimCode: Int?
    /// The dataset's policy: stale after this many months (an annual SSB table: 13).
    public var freshnessMonths: Int
    /// When the last run of this asset finished `complete`.
    public var lastMaterializedAt: String?
    /// The status of the asset's latest run, successful or not (a failed mart build shows here).
    public var lastRunStatus: RunStatus?
    public var rows: Int
    /// The asset's latest materialisation record: a dataset's last `complete` run, a mart's last build (a refused one
    /// with status `error`); `nil` when none is recorded.
    public var lastMaterialization: Materialization? = nil

    /// Fresh or stale at `now` under the freshness policy.
    public func freshness(now: Date = Date()) -> Freshness {
        guard let text = lastMaterializedAt, let at = Timestamp.date(text) else { return .never }
        guard let limit = Calendar(identifier: .gregorian).date(byAdding: .month, value: freshnessMonths, to: at) else { return .stale }
        return now <= limit ? .fresh : .stale
    }
}
