import Foundation
import KildeCatalog
import KildeCore
import KildeIngest
@testable import KildeStore
import Testing

/// SPEC §9: kommune_dim from the versioned seed, kommune_indicators built in staging, data-tested, swapped only
/// when every test passes.
@Suite("Marts", .serialized)
struct MartTests {
    @Test("the seed has the 2020 and 2024 structures, each kommune once, and a crosswalk from the older codes")
    func seed() throws {
        let seed = try BundledSeeds.kommuneDim()
        #expect(seed.structures == [2020, 2024])
        #expect(seed.version.hasPrefix("2020+2024-"))
        for (structure, count) in [(2020, 356), (2024, 357)] {
            let kommuner = seed.kommuner.filter { $0.structure == structure }
            #expect(kommuner.count == count)
            #expect(Set(kommuner.map(\.number)).count == count)
            #expect(kommuner.allSatisfy { $0.population != nil }, "every kommune has a population, so counts can be shown per 1,000")
        }
        let oslo = try #require(seed.kommuner.first { $0.number == "0301" && $0.structure == 2024 })
        #expect(oslo.fylkeNumber == "03" && oslo.fylkeName == "Oslo")
        #expect(abs(oslo.latitude - 59.98) < 0.2 && abs(oslo.longitude - 10.74) < 0.3)
        #expect(oslo.population == 717_710)
        #expect(seed.kommuner.allSatisfy { $0.number.hasPrefix($0.fylkeNumber) && (57...72).contains($0.latitude) && (4...32).contains($0.longitude) })
        // Ålesund 2020 became Ålesund and Haram in 2024: its population is theirs.
        let population = { (s: Int, nr: String) in seed.kommuner.first { $0.structure == s && $0.number == nr }?.population }
        #expect(population(2020, "1507") == (population(2024, "1508") ?? 0) + (population(2024, "1580") ?? 0))
        // The crosswalk: every structure kommune is its own target; older codes reach theirs.
        let targets = { (s: Int, code: String) in Set(seed.crosswalk.filter { $0.structure == s && $0.code == code }.map(\.target)) }
        #expect(seed.kommuner.allSatisfy { targets($0.structure, $0.number).contains($0.number) })
        #expect(targets(2020, "0101") == ["3001"], "Halden renumbered in 2020")
        #expect(targets(2020, "1662") == ["5001"], "Klæbu (-2017) → 5030 (2018) → Trondheim 2020")
        #expect(targets(2020, "1850") == ["1806", "1875"], "Tysfjord was split")
        #expect(targets(2024, "3001").isEmpty, "no 2024 data is in 2020 codes")
    }

    @Test("a year is drawn in the latest structure that took effect by then, else the earliest", arguments: [
        (2013, [2020, 2024], 2020), (2019, [2020, 2024], 2020), (2020, [2020, 2024], 2020), (2023, [2020, 2024], 2020),
        (2024, [2020, 2024], 2024), (2031, [2020, 2024], 2024), (2019, [2024], 2024),
    ])
    func structureOfAYear(_ year: Int, _ structures: [Int], _ expected: Int) {
        #expect(KommuneSeed.structure(forYear: year, among: structures) == expected)
    }

    @Test func noStructureWithoutAMap() {
        #expect(KommuneSeed.structure(forYear: 2024, among: []) == nil)
    }

    @Test(arguments: StoreKind.enabled)
    func buildsTestsAndSwaps(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            _ = try await env.pipeline.run(dataset: "ssb-08764")
            _ = try await env.pipeline.run(dataset: "ssb-12058")
            let seed = try BundledSeeds.kommuneDim()
            let report = try await env.store.materializeKommuneIndicators(seed: seed, trigger: "test")
            #expect(report.swapped)
            #expect(report.tests.map(\.name) == ["not_null", "unique_indicator_kommune_year", "relationships_kommune_dim", "unique_kommune_dim", "unmatched_regions"])
            #expect(report.tests.filter(\.blocks).isEmpty)
            let unmatchedTest = try #require(report.tests.last)
            #expect(unmatchedTest.severity == .warn && !unmatchedTest.passed && unmatchedTest.detail.contains("county"), "\(unmatchedTest.detail)")
            #expect(report.failureSummary == nil, "a warning is not a failure")

            // Every indicator, in years of every structure, against an oracle computed from the seed and the simulator.
            for indicator in env.registry.indicators {
                for year in [2015, 2017, 2019, 2021, 2024] {
                    let rows = try await env.store.kommuneIndicators(indicator: indicator.key, year: year)
                    let expected = try Self.expected(env, seed, indicator, year)
                    #expect(Dictionary(uniqueKeysWithValues: rows.map { ($0.kommuneNumber, $0.value) }) == expected, "\(indicator.key) \(year)")
                    #expect(rows.allSatisfy { $0.structure == seed.structure(forYear: year) })
                }
            }
            let children = try await env.store.kommuneIndicators(indicator: "ssb-08764", year: 2023)
            #expect(children.count == 356, "2023 is drawn on the 2020 structure")
            #expect(try await env.store.kommuneIndicators(indicator: "ssb-08764", year: 2024).count == 357)
            let cells = try env.upstreamCells(Slice(dataset: "ssb-08764", dimCode: 100, filters: [.region: [50301]], years: YearWindow(first: 2023, last: 2023)), revised: false)
            #expect(children.first { $0.kommuneNumber == "0301" }?.value == cells["0301|EUskala60|2023"])
            #expect(children.first { $0.kommuneNumber == "0301" }?.kommuneName == "Oslo")
            // 2019 in the 2020 structure: Halden was only renumbered (0101 → 3001) and keeps its share; Moss merged with
            // Rygge, so its share is not carried, but the number of children is summed.
            let shares2019 = try await env.store.kommuneIndicators(indicator: "ssb-08764", year: 2019)
            let eu60 = try env.upstreamCells(Slice(dataset: "ssb-08764", dimCode: 100, filters: [.region: [50101, 50104, 50136]], years: YearWindow(first: 2019, last: 2019)), revised: false)
            #expect(shares2019.first { $0.kommuneNumber == "3001" }?.value == eu60["0101|EUskala60|2019"])
            #expect(!shares2019.contains { $0.kommuneNumber == "3002" })
            let counts2019 = try await env.store.kommuneIndicators(indicator: "ssb-08764-barn", year: 2019)
            #expect(counts2019.first { $0.kommuneNumber == "3002" }?.value == (eu60["0104|Personer|2019"] ?? 0) + (eu60["0136|Personer|2019"] ?? 0))

            // What is not drawn is listed with the reason.
            let unmatched = try await env.store.unmatchedRegions(indicator: "ssb-08764", year: 2019)
            #expect(Set(unmatched.filter { $0.code == "0104" || $0.code == "0136" }.map(\.reason)) == [.mergedNotSummable])
            #expect(unmatched.filter { $0.code == "1850" }.map(\.target) == ["1806", "1875"])
            #expect(unmatched.first { $0.code == "1850" }?.reason == .split)
            let unmatched2021 = try await env.store.unmatchedRegions(indicator: "ssb-08764", year: 2021)
            let national = try env.upstreamCells(Slice(dataset: "ssb-08764", dimCode: 100, years: YearWindow(first: 2021, last: 2021)), revised: false)
            #expect(unmatched2021.filter { $0.reason == .country }.map(\.value) == [national["0|EUskala60|2021"]])
            #expect(Set(unmatched2021.filter { $0.reason == .county }.compactMap(\.code)) == ["03", "11", "15", "18", "30", "34", "38", "42", "46", "50", "54"])
            #expect(Set(unmatched2021.filter { $0.reason == .notAKommune }.compactMap(\.code)) == ["2100", "2111", "2211", "2311", "9999"])
            #expect(Set(unmatched2021.map(\.reason)) == [.country, .county, .notAKommune], "2021 is in codes of the 2020 structure")

            var served = 0
            for indicator in env.registry.indicators { served += try await Self.count(env, indicator.key) }
            #expect(report.rows == served)
            let run = try #require(try await env.store.run(id: report.runID))
            #expect(run.status == .complete && run.dataset == KommuneIndicatorMart.asset)
            #expect(run.phaseDetail?.contains("\"severity\":\"warn\"") == true)
            let assets = try await env.store.assets()
            #expect(assets.first { $0.key == KommuneIndicatorMart.asset }?.rows == report.rows)
            // The simulated tables end in 2024: fresh until 13 months after it, stale from then on.
            let mart = try #require(assets.first { $0.key == KommuneIndicatorMart.asset })
            #expect(mart.lastMaterialization?.latestPeriod == "2024")
            #expect(mart.freshness(now: try #require(AssetStatus.periodEnd("2025-12-31"))) == .fresh)
            #expect(mart.freshness(now: try #require(AssetStatus.periodEnd("2026-01-31"))) == .stale)
        }
    }

    /// The oracle: an indicator's kommune values in `year`, from the simulator's cells and the seed's crosswalk. A
    /// structure kommune has a value when every code that became it that year has one (zero cells are not stored),
    /// none of them was split, and it is one code or the indicator is a count.
    static func expected(_ env: TestEnvironment, _ seed: KommuneSeed, _ indicator: Indicator, _ year: Int) throws -> [String: Double] {
        let dataset = try env.dataset(indicator.dataset)
        let table = try #require(env.sim.simulator.tables.tables[dataset.tableID])
        let contents = try #require(env.registry.category(source: dataset.sourceID, dim: dataset.dimCode, catCode: indicator.catCode)).nativeAPICode
        let structure = try #require(seed.structure(forYear: year))
        let crosswalk = seed.crosswalk.filter { $0.structure == structure }
        let targetCount = Dictionary(crosswalk.map { ($0.code, 1) }, uniquingKeysWith: +)
        var out: [String: Double] = [:]
        for kommune in seed.kommuner where kommune.structure == structure {
            let parts = crosswalk.filter { $0.target == kommune.number && $0.isValid(in: year) }
            let values = parts.compactMap { table.value(region: $0.code, contents: contents, year: year, revised: false) }.filter { $0 != 0 }
            guard !parts.isEmpty, values.count == parts.count, parts.allSatisfy({ targetCount[$0.code] == 1 }),
                  parts.count == 1 || indicator.isCount else { continue }
            out[kommune.number] = values.reduce(0, +)
        }
        return out
    }

    static func count(_ env: TestEnvironment, _ indicator: String) async throws -> Int {
        try await served(env, indicator).count
    }

    /// Every served row of an indicator, all years.
    /// `kilde up` ingests every default dataset, then rebuilds the mart once for all of them.
    @Test("a batch of runs rebuilds the mart once, from its complete input runs, naming them; a batch without one builds nothing",
          arguments: StoreKind.enabled)
    func batchRebuildsOnce(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            let refresh = MartRefresh(store: env.store, seed: try BundledSeeds.kommuneDim(), registry: env.registry)
            let fires = try await env.pipeline.run(dataset: "ssb-12058")
            let poverty = try await env.pipeline.run(dataset: "ssb-08764")
            let failed = IngestResult(runID: poverty.runID, status: .error, slices: [])
            #expect(try await refresh.after([(failed, "ssb-08764")]) == nil)

            let build = try #require(try await refresh.after([(fires, "ssb-12058"), (failed, "ssb-08764"), (poverty, "ssb-08764")]))
            #expect(build.swapped)
            #expect(build.runID == poverty.runID + 1, "one build run after the inputs")
            let run = try #require(try await env.store.run(id: build.runID))
            #expect(run.phaseDetail?.contains("\"trigger\":\"run \(fires.runID) (ssb-12058), run \(poverty.runID) (ssb-08764)\"") == true,
                    "\(run.phaseDetail ?? "no phase detail")")
            let servedFires = try await Self.served(env, "ssb-12058")
            let servedPoverty = try await Self.served(env, "ssb-08764")
            #expect(!servedFires.isEmpty && !servedPoverty.isEmpty)
        }
    }

    /// The build's intermediate rows (the indicator facts, each structure kommune's parts and totals, the staging mart)
    /// were most of a fresh embedded store's file; on SQLite they live in the building connection's temporary tables.
    @Test("SQLite: the build's work tables stay out of the store's file, and a second build on the same connection finds them")
    func sqliteWorkTablesAreTemporary() async throws {
        try await TestEnvironment.with(.sqlite) { env in
            _ = try await env.pipeline.run(dataset: "ssb-08764")
            let seed = try BundledSeeds.kommuneDim()
            let first = try await env.store.materializeKommuneIndicators(seed: seed, trigger: "first")
            let second = try await env.store.materializeKommuneIndicators(seed: seed, trigger: "second")
            #expect(first.swapped && second.swapped && second.rows == first.rows && first.rows > 0)
            let store = try #require(env.store as? SQLiteFactStore)
            let names = { (schema: String) in
                Set(try await store.database.execute("SELECT name FROM \(schema).sqlite_schema WHERE type = 'table'").compactMap { $0.string("name") })
            }
            let work = Set(MartSchema.workTables(real: "REAL").map(\.name))
            #expect(try await names("main").isDisjoint(with: work))
            #expect(try await names("main").isSuperset(of: ["kommune_indicators", "kommune_dim", "kommune_unmatched"]), "the served mart is in the file")
            #expect(try await names("temp") == work)
            // Readers never see them: another connection has no temporary tables of its own.
            #expect(try await store.readDatabase.execute("SELECT name FROM temp.sqlite_schema").isEmpty)
        }
    }

    /// Two ingests finishing at once (two `kilde ingest` processes, or the server's queue beside a CLI run) each
    /// rebuild the mart: the second build waits for the first instead of failing "already ingesting".
    @Test("two mart builds at once: the second waits for the first, and both complete", arguments: StoreKind.enabled)
    func concurrentBuildsWait(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            _ = try await env.pipeline.run(dataset: "ssb-08764")
            let seed = try BundledSeeds.kommuneDim()
            async let first = env.store.materializeKommuneIndicators(seed: seed, trigger: "first")
            async let second = env.store.materializeKommuneIndicators(seed: seed, trigger: "second")
            let builds = try await [first, second]
            #expect(builds.allSatisfy { $0.swapped })
            #expect(Set(builds.map(\.runID)).count == 2)
            let runs = try await env.store.runs(limit: 5).filter { $0.dataset == KommuneIndicatorMart.asset }
            #expect(runs.map(\.status) == [.complete, .complete])
        }
    }

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
            let merged = KommuneSeed(version: "test-without-0301", kommuner: seed.kommuner.filter { $0.number != "0301" }, crosswalk: seed.crosswalk)
            let bad = try await env.store.materializeKommuneIndicators(seed: merged, trigger: "second")
            #expect(!bad.swapped)
            let relationship = try #require(bad.tests.first { $0.name == "relationships_kommune_dim" })
            #expect(!relationship.passed)
            let years = try await env.store.indicatorYears(indicator: "ssb-08764").count
            let indicators = env.registry.indicators.filter { $0.dataset == "ssb-08764" }.count
            #expect(relationship.failures == years * indicators, "one row per year and indicator of 0301")
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
            #expect(asset.rows == good.rows)
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
            let good = try #require(try await MartRefresh(store: env.store, seed: seed, registry: env.registry).after(ingest, dataset: "ssb-08764"))
            #expect(good.swapped)
            let before = try await Self.served(env, "ssb-08764")
            let kommunerBefore = try await env.store.kommuner()
            #expect(before.filter { $0.year == 2024 }.count == 357)

            // Tromsø twice in the 2024 structure: the second row is Kvaløya's centroid, as from a boundary file with the
            // island as its own feature.
            var island = try #require(seed.kommuner.first { $0.number == "5501" })
            island.latitude = 69.72
            island.longitude = 18.62
            let doubled = KommuneSeed(version: "test-5501-twice", kommuner: seed.kommuner + [island], crosswalk: seed.crosswalk)
            let bad = try #require(try await MartRefresh(store: env.store, seed: doubled, registry: env.registry).after(ingest, dataset: "ssb-08764"))
            #expect(!bad.swapped)
            let unique = try #require(bad.tests.first { $0.name == "unique_indicator_kommune_year" })
            #expect(!unique.passed)
            let indicators = env.registry.indicators.filter { $0.dataset == "ssb-08764" }.count
            #expect(unique.failures == indicators, "one doubled key per indicator in 2024, the one year of 5501")
            let firstKey = "ssb-08764/5501/2024"
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
            #expect(asset.rows == good.rows)

            // With the seed fixed, the next refresh passes and serves the same mart again.
            let fixed = try #require(try await MartRefresh(store: env.store, seed: seed, registry: env.registry).after(ingest, dataset: "ssb-08764"))
            #expect(fixed.swapped && fixed.tests.filter(\.blocks).isEmpty)
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
            let report = try await env.store.materializeKommuneIndicators(seed: KommuneSeed(version: "dup", kommuner: seed.kommuner + [oslo], crosswalk: seed.crosswalk),
                                                                          trigger: "dup")
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
