import Foundation
import HummingbirdTesting
import KildeCore
import KildeServer
@testable import KildeStore
import Testing

/// A facts answer is ordered by category sort order, category, filter values and period, whether every row fits
/// (ordered by Kilde) or the answer is cut at its limit (ordered and cut by the store).
@Suite("Facts order")
struct FactsOrderTests {
    static func key(_ r: [String: Any]) -> String {
        "\(r["catCode"] as? Int ?? 0)|\((r["region"] as? [String: Any])?["id"] as? Int ?? 0)|\(r["period"] as? String ?? "")"
    }

    @Test("a cut answer is the first rows of the whole answer", arguments: StoreKind.enabled)
    func cutAnswerIsAPrefix(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            _ = try await env.pipeline.run(dataset: "ssb-12058")
            let registry = env.registry
            try await ServerHarness.test(env) { client in
                let uri = "/v1/facts?dataset=ssb-12058&region=4601,0301,EKA03&building_type=RESIDENTIAL"
                let whole = try ServerHarness.json(try await client.execute(uri: uri, method: .get))
                let rows = whole["rows"] as? [[String: Any]] ?? []
                #expect(whole["truncated"] as? Bool == false)
                #expect(rows.count > 20)
                // Categories by their sort order, then code; regions by filter id; periods ascending.
                let sortOrder = Dictionary(registry.catalog.categories.filter { $0.sourceID == 5 && $0.dimCode == 5 }.map { ($0.catCode, $0.sortOrder) },
                                           uniquingKeysWith: { a, _ in a })
                let sortKeys = rows.map { r -> (Int, Int, Int, String) in
                    let cat = r["catCode"] as? Int ?? 0
                    return (sortOrder[cat] ?? .max, cat, (r["region"] as? [String: Any])?["id"] as? Int ?? 0, r["period"] as? String ?? "")
                }
                #expect(zip(sortKeys, sortKeys.dropFirst()).allSatisfy { $0 < $1 }, "rows are in order, each once")
                for limit in [1, 7, rows.count - 1] {
                    let cut = try ServerHarness.json(try await client.execute(uri: uri + "&limit=\(limit)", method: .get))
                    #expect(cut["truncated"] as? Bool == true)
                    #expect((cut["rows"] as? [[String: Any]] ?? []).map(Self.key) == rows.prefix(limit).map(Self.key))
                }
                let exact = try ServerHarness.json(try await client.execute(uri: uri + "&limit=\(rows.count)", method: .get))
                #expect(exact["truncated"] as? Bool == false)
                #expect((exact["rows"] as? [[String: Any]] ?? []).map(Self.key) == rows.map(Self.key))
            }
        }
    }

    @Test("rows of several categories and kommuner come in answer order, not storage order", arguments: StoreKind.enabled)
    func severalCategories(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            // Written year by year, kommune by kommune: the storage and index order is not the answer's order.
            var facts: [Fact] = []
            for year in [2023, 2021, 2022] {
                for region in [54601, 50301] {
                    for cat in [502, 501] {
                        facts.append(Fact(key: FactKey(sourceID: 5, dimCode: 5, catCode: cat, period: .year(year), region: region), value: Double(cat + year)))
                    }
                }
            }
            try await StoreContractTests.commit(env, facts)
            let expected = [501, 502].flatMap { cat in [50301, 54601].flatMap { region in [2021, 2022, 2023].map { "\(cat)|\(region)|\($0)" } } }
            for limit in [10_000, 12, 5] {
                let series = try await env.store.factSeries(FactSeriesQuery(sourceID: 5, dimCode: 5, filters: [.region: [54601, 50301]], limit: limit))
                #expect(series.rows.map { "\($0.catCode)|\($0.filters.region?.id ?? 0)|\($0.period)" } == Array(expected.prefix(limit)))
                #expect(series.truncated == (limit < expected.count))
                #expect(series.rows.first?.category == "Boligbranner")
                #expect(series.rows.first?.filters.region?.code == "0301")
            }
        }
    }

    @Test("sub-year grains sum the days of each period, per category and kommune", arguments: StoreKind.enabled)
    func subYearGrains(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            let db = try #require(env.store as? any SQLFactStore).database
            let days: [(String, Int, Int, Double)] = [
                ("2023-01-05", 502, 50301, 2), ("2023-01-20", 502, 50301, 3), ("2023-02-01", 502, 50301, 1), ("2023-04-02", 502, 50301, 4),
                ("2023-01-07", 501, 50301, 10), ("2023-01-09", 502, 54601, 7), ("2024-01-01", 502, 50301, 100),
            ]
            for (date, cat, region, value) in days {
                try await db.execute("INSERT INTO fact_daily (source_id, dim_code, cat_code, date, region_code, value, ingested_at) VALUES (5, 5, ?, ?, ?, ?, ?)",
                                     [.int(cat), .text(date), .int(region), .double(value), .text("2026-01-01T00:00:00.000Z")])
            }
            func read(_ g: Granularity, limit: Int = 10_000) async throws -> [String] {
                let q = FactSeriesQuery(sourceID: 5, dimCode: 5, filters: [.region: [54601, 50301]], years: YearWindow(first: 2023, last: 2023),
                                        granularity: g, limit: limit)
                return try await env.store.factSeries(q).rows.map { "\($0.catCode)|\($0.filters.region?.code ?? "")|\($0.period)=\(JSONNumber.format($0.value))" }
            }
            #expect(try await read(.month) == ["501|0301|2023-01=10", "502|0301|2023-01=5", "502|0301|2023-02=1", "502|0301|2023-04=4", "502|4601|2023-01=7"])
            #expect(try await read(.quarter) == ["501|0301|2023-Q1=10", "502|0301|2023-Q1=6", "502|0301|2023-Q2=4", "502|4601|2023-Q1=7"])
            #expect(try await read(.day, limit: 2) == ["501|0301|2023-01-07=10", "502|0301|2023-01-05=2"])
            #expect(try await read(.week) == ["501|0301|2023-W01=10", "502|0301|2023-W01=2", "502|0301|2023-W03=3", "502|0301|2023-W05=1",
                                               "502|0301|2023-W13=4", "502|4601|2023-W02=7"])
        }
    }
}
