import Foundation
import KildeCore
@testable import KildeServer
import KildeStore
import Testing

/// `/v1/facts` writes its JSON by hand for speed; it must say exactly what the `Codable` form (the one the OpenAPI
/// schema describes) says.
@Suite("Facts JSON")
struct FactsJSONTests {
    @Test func handWrittenJSONEqualsTheCodableForm() throws {
        let oslo = FilterValue(id: 50301, code: "0301", name: "Oslo \"sentrum\"\n\\ æøå")
        let rows = [
            FactSeriesRow(catCode: 501, category: "Boligbranner", period: "2023", filters: [.region: oslo, .buildingType: FilterValue(id: 64, code: "B", name: "Boliger")], value: 12),
            FactSeriesRow(catCode: 501, category: "Boligbranner", period: "2024", filters: [.region: oslo], value: -7),
            FactSeriesRow(catCode: 502, category: "Bygnings\tbranner", period: "2023-Q1", filters: [:], value: 0.25),
            FactSeriesRow(catCode: 502, category: "Bygnings\tbranner", period: "2023-Q2", filters: [.region: oslo], value: 123_456_789_012),
            // The same category again after another one, and another kommune: repeated values are re-encoded right.
            FactSeriesRow(catCode: 501, category: "Boligbranner", period: "2025", filters: [.region: FilterValue(id: 54601, code: "4601", name: "Bergen")], value: 1e-7),
        ]
        for totals in [nil, API.Totals(byCategory: [.init(catCode: 501, category: "B", value: 12.5)], byPeriod: [.init(period: "2023", value: 3)])] {
            let facts = API.Facts(source: "ssb", dataset: "ssb-12058", dimCode: 5, granularity: "year", metric: "value", demo: true,
                                  attribution: "Kilde: Statistisk sentralbyrå, tabell 12058",
                                  query: API.FactsQueryEcho(filters: ["region": [50301, 59003], "building_type": [64]], categories: [501], years: YearWindow(first: 2015, last: 2024)),
                                  rows: rows, truncated: false, totals: totals)
            let fast = try JSONSerialization.jsonObject(with: Data(facts.jsonBytes())) as? NSDictionary
            let codable = try JSONSerialization.jsonObject(with: Payload.encoder.encode(facts)) as? NSDictionary
            #expect(fast != nil)
            #expect(fast == codable)
        }
    }
}
