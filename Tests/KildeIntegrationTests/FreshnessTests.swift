import Foundation
import Testing

@testable import KildeStore

/// The freshness policy (issue 13: "an annual SSB table is stale 13 months after its period"), as a table.
@Suite("Freshness")
struct FreshnessTests {
    static func date(_ text: String) -> Date { Timestamp.date(text) ?? .distantPast }

    static func asset(months: Int, materializedAt: String?, latestPeriod: String?) -> AssetStatus {
        let record = materializedAt.map {
            Materialization(id: 1, asset: "a", runID: 1, materializedAt: $0, durationMs: 1, rowsAdded: 1, rowsUpdated: 0, rowsDeleted: 0,
                            rowsUnchanged: 0, rowsTotal: 1, latestPeriod: latestPeriod, dataVersion: "0", status: .complete)
        }
        return AssetStatus(key: "a", kind: .dataset, title: "a", freshnessMonths: months, lastMaterializedAt: materializedAt,
                           lastRunStatus: .complete, rows: 1, lastMaterialization: record)
    }

    @Test("stale the policy's months after the end of the newest period; without a period, after the materialisation",
          arguments: [
              // (months, materialised at, latest period, now, expected)
              (13, "2026-06-20T04:00:00.000Z" as String?, "2024" as String?, "2026-01-31T23:59:59.000Z", AssetStatus.Freshness.fresh),
              (13, "2026-06-20T04:00:00.000Z", "2024", "2026-02-01T00:00:00.000Z", .stale),
              (13, "2026-11-30T04:00:00.000Z", "2025", "2026-12-01T00:00:00.000Z", .fresh),
              (2, "2026-01-10T09:00:00.000Z", "2025-11-01", "2026-01-01T23:59:59.000Z", .fresh),
              (2, "2026-01-10T09:00:00.000Z", "2025-11-01", "2026-01-02T00:00:00.000Z", .stale),
              (13, "2025-01-01T00:00:00.000Z", nil, "2026-01-31T00:00:00.000Z", .fresh),
              (13, "2025-01-01T00:00:00.000Z", nil, "2026-02-01T00:00:00.000Z", .stale),
              (13, nil, nil, "2026-02-01T00:00:00.000Z", .never),
          ])
    func policy(_ c: (Int, String?, String?, String, AssetStatus.Freshness)) {
        #expect(Self.asset(months: c.0, materializedAt: c.1, latestPeriod: c.2).freshness(now: Self.date(c.3)) == c.4)
    }

    @Test("a period's end", arguments: [("2024", "2025-01-01T00:00:00.000Z"), ("2025-11-01", "2025-11-02T00:00:00.000Z"),
                                        ("2025-12-31", "2026-01-01T00:00:00.000Z")])
    func periodEnd(_ c: (String, String)) {
        #expect(AssetStatus.periodEnd(c.0) == Self.date(c.1))
    }

    @Test("what is not a year or a day has no end", arguments: ["", "2025-11", "soon", "2025-x-01"])
    func notAPeriod(_ text: String) {
        #expect(AssetStatus.periodEnd(text) == nil)
    }
}
