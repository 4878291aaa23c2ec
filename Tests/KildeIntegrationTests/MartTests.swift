import Foundation
import KildeCatalog
import KildeCore
import KildeIngest
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
            #expect(report.tests.map(\.name) == ["not_null", "unique_indicator_kommune_year", "relationships_kommune_dim", "unique_kommune_dim"])
            #expect(report.tests.allSatisfy { $0.passed })
            let children = try await env.store.kommuneIndicators(indicator: "ssb-08764", year: 2023)
            #expect(children.count == 357)
            let cells = try env.upstreamCells(Slice(dataset: "ssb-08764", dimCode: 100, filters: [.region: [50301]], years: YearWindow(first: 2023, last: 2023)), revised: false)
            #expect(children.first { $0.kommuneNumber == "0301" }?.value == cells["0301|EUskala60|2023"])
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
        try await served(env, indicator).count
    }

    /// Every served row of an indicator, all years.
    static func served(_ env: TestEnvironment, _ indicator: String) async throws -> [KommuneIndicatorRow] {
        var rows: [KommuneIndicatorRow] = []
        for y in try await env.store.indicatorYears(indicator: indicator) { rows += try await env.store.kommuneIndicators(indicator: indicator, year: y) }
        return rows
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

    /// Facts cannot double a mart key: a region filter's native code is unique per source, and the fact natural key
    /// allows one row per region and year. The join to kommune_dim can: `scripts/build-geo-resources.py` writes a
    /// seed row per boundary feature, so a boundary file that has a kommune as two features (an island part split
    /// off, say) gives a seed listing it twice, and every indicator row of that kommune twice.
    @Test("a seed listing a kommune twice fails the unique test naming the doubled keys; the previous mart stays served",
          arguments: StoreKind.enabled)
    func doubledKommuneFailsTheUniqueTest(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            let ingest = try await env.pipeline.run(dataset: "ssb-08764")
            let seed = try BundledSeeds.kommuneDim()
            let good = try #require(try await MartRefresh(store: env.store, seed: seed).after(ingest, dataset: "ssb-08764"))
            #expect(good.swapped)
            let before = try await Self.served(env, "ssb-08764")
            let kommunerBefore = try await env.store.kommuner()
            let years = try await env.store.indicatorYears(indicator: "ssb-08764")
            #expect(before.count == years.count * 357)

            // Tromsø twice: the second row is Kvaløya's centroid, as from a boundary file with the island as its own feature.
            var island = try #require(seed.kommuner.first { $0.number == "5501" })
            island.latitude = 69.72
            island.longitude = 18.62
            let doubled = KommuneSeed(version: "test-5501-twice", kommuner: seed.kommuner + [island])
            let bad = try #require(try await MartRefresh(store: env.store, seed: doubled).after(ingest, dataset: "ssb-08764"))
            #expect(!bad.swapped)
            let unique = try #require(bad.tests.first { $0.name == "unique_indicator_kommune_year" })
            #expect(!unique.passed)
            #expect(unique.failures == years.count, "one doubled key per year of 5501")
            let firstKey = "ssb-08764/5501/\(try #require(years.first))"
            #expect(unique.detail.contains(firstKey), "\(unique.detail)")
            let dim = try #require(bad.tests.first { $0.name == "unique_kommune_dim" })
            #expect(!dim.passed && dim.failures == 1 && dim.detail.contains("5501 (2 rows)"), "\(dim.detail)")
            #expect(bad.tests.first { $0.name == "not_null" }?.passed == true)
            #expect(bad.tests.first { $0.name == "relationships_kommune_dim" }?.passed == true)

            // The refresh's run failed and says which test and which keys.
            let run = try #require(try await env.store.run(id: bad.runID))
            #expect(run.dataset == KommuneIndicatorMart.asset && run.status == .error)
            #expect(run.errorMessage?.contains("unique_indicator_kommune_year") == true, "\(run.errorMessage ?? "")")
            #expect(run.errorMessage?.contains(firstKey) == true, "\(run.errorMessage ?? "")")
            #expect(run.phaseDetail?.contains("\"phase\":\"tests_failed\"") == true)
            #expect(run.phaseDetail?.contains(firstKey) == true)

            // The served mart and kommune_dim are the previous good ones, row for row.
            #expect(try await Self.served(env, "ssb-08764") == before)
            #expect(try await env.store.kommuner() == kommunerBefore)
            let asset = try #require(try await env.store.assets().first { $0.key == KommuneIndicatorMart.asset })
            #expect(asset.lastRunStatus == .error)
            #expect(asset.rows == before.count)

            // With the seed fixed, the next refresh passes and serves the same mart again.
            let fixed = try #require(try await MartRefresh(store: env.store, seed: seed).after(ingest, dataset: "ssb-08764"))
            #expect(fixed.swapped && fixed.tests.allSatisfy(\.passed))
            #expect(try await env.store.run(id: fixed.runID)?.status == .complete)
            #expect(try await Self.served(env, "ssb-08764") == before)
            #expect(try await env.store.assets().first { $0.key == KommuneIndicatorMart.asset }?.lastRunStatus == .complete)
        }
    }

    @Test("a kommune listed twice that no indicator row refers to fails unique_kommune_dim, not the swap's primary key",
          arguments: StoreKind.enabled)
    func doubledKommuneWithoutRowsIsATestFailure(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            // No indicator rows at all, so no mart key is doubled; only the seed test can stop the swap into kommune_dim.
            let seed = try BundledSeeds.kommuneDim()
            let oslo = try #require(seed.kommuner.first { $0.number == "0301" })
            let report = try await env.store.materializeKommuneIndicators(seed: KommuneSeed(version: "dup", kommuner: seed.kommuner + [oslo]), trigger: "dup")
            #expect(!report.swapped)
            #expect(report.tests.filter { !$0.passed }.map(\.name) == ["unique_kommune_dim"])
            let run = try #require(try await env.store.run(id: report.runID))
            #expect(run.dataset == KommuneIndicatorMart.asset && run.status == .error)
            #expect(run.errorMessage?.contains("unique_kommune_dim (1): kommuner listed more than once in the seed: 0301 (2 rows)") == true,
                    "\(run.errorMessage ?? "")")
            #expect(try await env.store.kommuner().isEmpty, "never built: nothing served")
        }
    }
}
