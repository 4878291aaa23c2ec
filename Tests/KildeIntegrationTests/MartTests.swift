import Foundation
import KildeCatalog
import KildeCore
import KildeStore
import Testing

/// SPEC §9: kommune_dim from the versioned seed, kommune_indicators built in staging, data-tested, swapped only
/// when every test passes.
@Suite("Marts", .serialized)
struct MartTests {
    @Test("the seed is the 2024 structure: 357 kommuner with fylke, centroid and population")
    func seed() throws {
        let seed = try BundledSeeds.kommuneDim()
        #expect(seed.kommuner.count == 357)
        #expect(Set(seed.kommuner.map(\.number)).count == 357)
        let oslo = try #require(seed.kommuner.first { $0.number == "0301" })
        #expect(oslo.fylkeNumber == "03" && oslo.fylkeName == "Oslo")
        #expect(abs(oslo.latitude - 59.98) < 0.2 && abs(oslo.longitude - 10.74) < 0.3)
        #expect(oslo.population == 717_710)
        #expect(seed.kommuner.allSatisfy { $0.number.hasPrefix($0.fylkeNumber) && (57...72).contains($0.latitude) && (4...32).contains($0.longitude) })
    }

    @Test(arguments: StoreKind.enabled)
    func buildsTestsAndSwaps(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            _ = try await env.pipeline.run(dataset: "ssb-08764")
            _ = try await env.pipeline.run(dataset: "ssb-12058")
            let seed = try BundledSeeds.kommuneDim()
            let report = try await env.store.materializeKommuneIndicators(seed: seed, trigger: "test")
            #expect(report.swapped)
            #expect(report.tests.map(\.name) == ["not_null", "unique_indicator_kommune_year", "relationships_kommune_dim"])
            #expect(report.tests.allSatisfy { $0.passed })
            let children = try await env.store.kommuneIndicators(indicator: "ssb-08764", year: 2023)
            #expect(children.count == 357)
            let cells = try env.upstreamCells(Slice(dataset: "ssb-08764", dimCode: 100, filters: [.region: [50301]], years: YearWindow(first: 2023, last: 2023)), revised: false)
            #expect(children.first { $0.kommuneNumber == "0301" }?.value == cells["0301|AntallBarnEU60|2023"])
            #expect(children.first { $0.kommuneNumber == "0301" }?.kommuneName == "Oslo")
            // 12058: building fires per kommune (cat 502); suppressed cells are absent, never zero.
            let fires = try await env.store.kommuneIndicators(indicator: "ssb-12058", year: 2024)
            #expect(!fires.isEmpty && fires.count <= 357)
            #expect(fires.allSatisfy { $0.value >= 0 })
            let childYears = try await env.store.indicatorYears(indicator: "ssb-08764").count
            let fireRows = try await Self.count(env, "ssb-12058")
            #expect(report.rows == childYears * 357 + fireRows)
            let run = try #require(try await env.store.run(id: report.runID))
            #expect(run.status == .complete && run.dataset == KommuneIndicatorMart.asset)
            let assets = try await env.store.assets()
            #expect(assets.first { $0.key == KommuneIndicatorMart.asset }?.rows == report.rows)
            #expect(assets.first { $0.key == KommuneIndicatorMart.asset }?.freshness() == .fresh)
        }
    }

    static func count(_ env: TestEnvironment, _ indicator: String) async throws -> Int {
        var n = 0
        for y in try await env.store.indicatorYears(indicator: indicator) { n += try await env.store.kommuneIndicators(indicator: indicator, year: y).count }
        return n
    }

    @Test("a kommune missing from kommune_dim fails the relationship test loudly and the previous mart stays served",
          arguments: StoreKind.enabled)
    func failingRelationshipKeepsThePreviousMart(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            _ = try await env.pipeline.run(dataset: "ssb-08764")
            let seed = try BundledSeeds.kommuneDim()
            let good = try await env.store.materializeKommuneIndicators(seed: seed, trigger: "first")
            #expect(good.swapped)
            let before = try await env.store.kommuneIndicators(indicator: "ssb-08764", year: 2023)

            // A seed that lost Oslo, as after a merger the seed did not follow: rows for 0301 must not be dropped.
            let merged = KommuneSeed(version: "test-without-0301", kommuner: seed.kommuner.filter { $0.number != "0301" })
            let bad = try await env.store.materializeKommuneIndicators(seed: merged, trigger: "second")
            #expect(!bad.swapped)
            let relationship = try #require(bad.tests.first { $0.name == "relationships_kommune_dim" })
            #expect(!relationship.passed)
            #expect(relationship.failures == 9, "one row per year of 0301")
            #expect(relationship.detail.contains("0301"))
            #expect(bad.tests.first { $0.name == "not_null" }?.passed == true)
            // The served mart and kommune_dim are the previous good ones.
            let after = try await env.store.kommuneIndicators(indicator: "ssb-08764", year: 2023)
            #expect(after == before)
            let kommuner = try await env.store.kommuner()
            #expect(kommuner.contains { $0.number == "0301" })
            // The failure is visible in the run.
            let run = try #require(try await env.store.run(id: bad.runID))
            #expect(run.status == .error)
            #expect(run.errorMessage?.contains("relationships_kommune_dim") == true)
            #expect(run.errorMessage?.contains("0301") == true)
            #expect(run.phaseDetail?.contains("\"phase\":\"tests_failed\"") == true)
            let asset = try #require(try await env.store.assets().first { $0.key == KommuneIndicatorMart.asset })
            #expect(asset.lastRunStatus == .error)
            #expect(asset.rows == before.count * 9)
        }
    }

    @Test(arguments: StoreKind.enabled)
    func aSeedListingAKommuneTwiceIsRefusedAndRecorded(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            _ = try await env.pipeline.run(dataset: "ssb-08764")
            // kommune_dim_staging's primary key refuses the seed before any test runs: the build fails loudly.
            let seed = try BundledSeeds.kommuneDim()
            var twice = seed.kommuner
            if let oslo = seed.kommuner.first(where: { $0.number == "0301" }) { twice.append(oslo) }
            let error = await #expect(throws: StoreError.self) {
                try await env.store.materializeKommuneIndicators(seed: KommuneSeed(version: "dup", kommuner: twice), trigger: "dup")
            }
            #expect(error?.code == .constraint)
            let run = try #require(try await env.store.runs(limit: 1).first)
            #expect(run.dataset == KommuneIndicatorMart.asset && run.status == .error)
            // SQLite says "UNIQUE constraint failed", PostgreSQL "duplicate key value violates unique constraint".
            let message = run.errorMessage?.lowercased() ?? ""
            #expect(message.contains("unique"), "\(message)")
            let served = try await env.store.kommuneIndicators(indicator: "ssb-08764", year: 2023)
            #expect(served.isEmpty, "never built: nothing served")
        }
    }
}
