import Foundation
import KildeCore

/// A materialised asset (a dataset's facts or a mart) with its last successful materialisation, row count and latest
/// materialisation record.
public struct AssetStatus: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable { case dataset, mart }

    /// Fresh: its newest period is within the freshness policy; stale: older; never: not materialised yet.
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

    /// Fresh or stale at `now` under the freshness policy: stale ``freshnessMonths`` after the end of the newest period
    /// the asset holds (an annual SSB table whose newest year is 2024 is stale from 1 February 2026, 13 months on: 2025
    /// should be out by then); with no period recorded, that long after its last successful materialisation.
    public func freshness(now: Date = Date()) -> Freshness {
        guard let text = lastMaterializedAt, let at = Timestamp.date(text) else { return .never }
        let anchor = lastMaterialization?.latestPeriod.flatMap(Self.periodEnd) ?? at
        guard let limit = Self.utc.date(byAdding: .month, value: freshnessMonths, to: anchor) else { return .stale }
        return now < limit ? .fresh : .stale
    }

    /// When a stored period ends: a year (`2024`) at the start of the next year; a day (`2025-11-01`, the first day a
    /// sub-year period is stored under) at the start of the next day. `nil` for anything else.
    public static func periodEnd(_ period: String) -> Date? {
        let parts = period.split(separator: "-").map { Int($0) }
        switch parts.count {
        case 1:
            guard let year = parts[0] else { return nil }
            return utc.date(from: DateComponents(year: year + 1, month: 1, day: 1))
        case 3:
            guard let year = parts[0], let month = parts[1], let day = parts[2],
                  let start = utc.date(from: DateComponents(year: year, month: month, day: day)) else { return nil }
            return utc.date(byAdding: .day, value: 1, to: start)
        default:
            return nil
        }
    }

    static let utc: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC") ?? c.timeZone
        return c
    }()
}
