import Foundation
import KildeTestSupport
import KildeCatalog
import KildeCore
import KildeJSONStat
import KildeStore
import Testing

/// Any PxWeb table, at any PxWeb host, from catalogue data alone, ingested from the simulator's recorded real
/// responses on every enabled store. The expected values are read from the shared fixtures with the decoder, not
/// from the simulator.
@Suite("PxWeb tables as catalogue data", .serialized)
struct PxWebSourcesTests {
    /// Recorded cells of a fixture: `[code per dimension]` → value, for cells whose every code passes `keep`.
    static func recorded(_ path: String, keep: [String: String] = [:]) throws -> [[String: String]: Double] {
        let data = try Data(contentsOf: FixturePaths.shared.appendingPathComponent(path))
        let ds = try #require(try JSONStat.decode(Array(data)).datasets.first)
        var out: [[String: String]: Double] = [:]
        ds.forEachCell { _, idx, value, _ in
            guard let value else { return }
            var codes: [String: String] = [:]
            for (k, d) in ds.dimensions.enumerated() { codes[d.id] = d.categories[idx[k]].id }
            guard keep.allSatisfy({ codes[$0.key] == $0.value }) else { return }
            for k in keep.keys { codes[k] = nil }
            out[codes] = value
        }
        return out
    }

    /// SSB table 05300 (recorded): the shipped catalogue plus rows written by the test into a copy of its files, no
    /// Swift: a dimension, its categories (the distance bands) and the dataset, holding cinemas (`Kulturtilbud 01`).
    @Test("a PxWeb table added by catalogue files alone is ingested", arguments: StoreKind.enabled)
    func tableAddedByCatalogueFiles(_ kind: StoreKind) async throws {
        let dir = try Self.catalogueCopy()
        let distances = [("01", "Under 1 km"), ("02", "1-4,9 km"), ("03", "5-9,9 km"), ("04", "10-24 km"), ("05", "25-49 km"), ("06", "50 km og over")]
        try Self.append(dir, "dimensions.csv", "102,Avstand til kulturtilbud,Distance to the nearest cultural venue (SSB 05300)\n")
        try Self.append(dir, "categories.csv", distances.enumerated().map { i, d in
            "5,102,\(10201 + i),\(d.0),\"\(d.1)\",\"\(d.1)\",DISTANCE_\(d.0),\(i + 1),false,percent,true\n"
        }.joined())
        try Self.append(dir, "datasets.csv", "ssb-05300,5,pxweb,05300,Avstand til kino,102,0 4 1 1 *,48,false,\"category=Avstand1;fixed=Kulturtilbud:01,ContentsCode:Avstand\",year,\"Kilde: Statistisk sentralbyrå, tabell 05300\"\n")
        try await TestEnvironment.with(kind, catalog: { _ in try BundledCatalog.load(from: dir) }) { env in
            let result = try await env.pipeline.run(dataset: "ssb-05300")
            #expect(result.status == .complete, "\(result.failed.map { $0.error?.description ?? "" })")
            #expect(result.slices.map(\.slice.filters) == [[:]], "a table without regions: one slice, region NULL")
            let expected = try Self.recorded("fixtures/ssb/dapla-statbank-client/dataset_05300.json", keep: ["Kulturtilbud": "01", "ContentsCode": "Avstand"])
            let rows = try await env.store.queryFacts(FactQuery(sourceID: 5, dimCode: 102))
            var stored: [[String: String]: Double] = [:]
            for r in rows { stored[["Avstand1": try #require(env.registry.category(source: 5, dim: 102, catCode: r.catCode)).nativeAPICode, "Tid": r.period]] = r.value }
            #expect(!expected.isEmpty)
            #expect(stored == expected.filter { $0.value != 0 })
            #expect(try await env.store.dataKind() == .real, "a recorded real response is real data")
        }
    }

    /// Statistics Sweden's TAB6471 (recorded v2 metadata and data): another host, another language, a monthly grain,
    /// a code list and held variables, all from the shipped catalogue.
    @Test("Statistics Sweden's monthly table from the shipped catalogue", arguments: StoreKind.enabled)
    func statisticsSweden(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            let result = try await env.pipeline.run(dataset: "scb-TAB6471")
            #expect(result.status == .complete, "\(result.failed.map { $0.error?.description ?? "" })")
            #expect(result.slices.count == 1)
            #expect(result.slices.first?.slice.table == .daily)
            #expect(result.slices.first?.upstreamRequests == 1)
            let expected = try Self.recorded("fixtures/pxweb/pxwebpy/v2-responses/TAB6471_data.json", keep: ["Kon": "TotSa", "ContentsCode": "000007SF"])
            let source = try #require(env.registry.source(key: "scb"))
            let rows = try await env.store.queryFacts(FactQuery(sourceID: source.id, dimCode: 101, anyAxes: [.region], grain: .day))
            var stored: [[String: String]: Double] = [:]
            for r in rows {
                let month = String(r.period.prefix(7)).replacingOccurrences(of: "-", with: "M")
                stored[["Region": try #require(r.regionCode), "Alder": try #require(env.registry.category(source: source.id, dim: 101, catCode: r.catCode)).nativeAPICode,
                        "Tid": month]] = r.value
            }
            #expect(expected.count == 21 * 11 * 4)
            #expect(stored == expected.filter { $0.value != 0 })
            // The metadata offers 2025 too; the recording has no values there, so nothing is stored for it.
            #expect(rows.allSatisfy { $0.period.hasPrefix("2026-") })
            #expect(result.slices.first?.warnings.isEmpty == true)
        }
    }

    static func catalogueCopy() throws -> URL {
        let shipped = try #require(BundledCatalog.directory)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kilde-catalog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: shipped.path) {
            try FileManager.default.copyItem(at: shipped.appendingPathComponent(name), to: dir.appendingPathComponent(name))
        }
        return dir
    }

    static func append(_ dir: URL, _ file: String, _ text: String) throws {
        let url = dir.appendingPathComponent(file)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
    }
}
