import Foundation
import KildeCatalog
import KildeCore
import KildeIngest
import KildeStore
import Testing

/// SPEC §8: a record per materialisation (a dataset's complete run, a mart build) with its counters, the rows and
/// latest period the asset holds after it, and a data version that changes exactly when the stored data changes.
@Suite("Materialisations", .serialized)
struct MaterializationTests {
    static func isDataVersion(_ v: String) -> Bool { v.count == 16 && v.allSatisfy { $0.isHexDigit && !$0.isUppercase } }

    @Test("an ingest records its materialisation; an unchanged re-ingest keeps the data version, a revised one changes it",
          arguments: StoreKind.enabled)
    func datasetRecords(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            let key = "ssb-12058"
            let first = try await env.pipeline.run(dataset: key)
            #expect(first.status == .complete)
            let ds = try env.dataset(key)
            let table = try #require(env.sim.simulator.tables.tables[ds.tableID])
            let latestYear = try #require(table.time.values.compactMap { Int($0.code) }.max())
            let run1 = try #require(try await env.store.run(id: first.runID))
            let r1 = try #require(try await env.store.materializations(asset: key, limit: 10).first)
            #expect(r1.asset == key && r1.runID == first.runID && r1.status == .complete)
            #expect(r1.rowsAdded == first.counters.added && r1.rowsAdded > 0)
            #expect(r1.rowsUpdated == 0 && r1.rowsDeleted == 0 && r1.rowsUnchanged == first.counters.skippedIdentical)
            #expect(r1.rowsTotal == (try await env.snapshot(key).count), "the atoms stored")
            #expect(r1.latestPeriod == String(latestYear))
            #expect(r1.materializedAt == run1.finishedAt)
            let started = try #require(run1.startedAt.flatMap(Timestamp.date)), finished = try #require(Timestamp.date(r1.materializedAt))
            #expect(abs(Double(r1.durationMs) - finished.timeIntervalSince(started) * 1000) <= 1)
            #expect(Self.isDataVersion(r1.dataVersion), "\(r1.dataVersion)")
            #expect(r1.dataVersion == DataVersion.dataset(writes: [.init(runID: first.runID, added: r1.rowsAdded, updated: 0, deleted: 0)]))

            // The same upstream again: nothing written, a record all the same, with the same data version.
            let second = try await env.pipeline.run(dataset: key)
            #expect(second.status == .complete && second.counters.upserted + second.counters.deleted == 0)
            let records = try await env.store.materializations(asset: key, limit: 10)
            #expect(records.map(\.runID) == [second.runID, first.runID], "one record per run, newest first")
            let r2 = try #require(records.first)
            #expect(r2.rowsChanged == 0 && r2.rowsTotal == r1.rowsTotal && r2.latestPeriod == r1.latestPeriod)
            #expect(r2.dataVersion == r1.dataVersion, "nothing changed: the same data version")

            // A revised upstream: the changed rows, and a new data version; the same revision again keeps it.
            await env.state.setRevised(true)
            let third = try await env.pipeline.run(dataset: key)
            let r3 = try #require(try await env.store.materializations(asset: key, limit: 1).first)
            #expect(r3.runID == third.runID && r3.rowsChanged > 0)
            #expect(r3.rowsAdded == third.counters.added && r3.rowsUpdated == third.counters.updated && r3.rowsDeleted == third.counters.deleted)
            #expect(r3.rowsTotal == (try await env.snapshot(key).count))
            #expect(r3.dataVersion != r1.dataVersion && Self.isDataVersion(r3.dataVersion))
            let fourth = try await env.pipeline.run(dataset: key)
            let r4 = try #require(try await env.store.materializations(asset: key, limit: 1).first)
            #expect(r4.runID == fourth.runID && r4.rowsChanged == 0 && r4.dataVersion == r3.dataVersion)

            // The asset carries its latest record; an asset never materialised has none.
            let assets = try await env.store.assets()
            #expect(assets.first { $0.key == key }?.lastMaterialization == r4)
            #expect(assets.first { $0.key == "ssb-08764" }.map { $0.lastMaterialization == nil } == true)
            #expect(try await env.store.materializations(asset: "ssb-08764", limit: 10).isEmpty)
            #expect(try await env.store.materializations(asset: key, limit: 2).count == 2)
            #expect(try await env.store.runs(dataset: key, limit: 10).map(\.id) == [fourth, third, second, first].map(\.runID))
        }
    }

    @Test("a failed run records nothing, and the rows it did commit count in the next record's data version", arguments: StoreKind.enabled)
    func failedRunRecordsNothing(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            await env.state.inject(.malformed, times: 1)
            let failed = try await env.pipeline.run(dataset: "ssb-08764")
            #expect(failed.status == .error)
            #expect(try await env.store.materializations(asset: "ssb-08764", limit: 10).isEmpty)
            #expect(failed.counters.added > 0, "the other slices were written")
            let complete = try await env.pipeline.run(dataset: "ssb-08764")
            #expect(complete.status == .complete && complete.counters.added > 0, "the failed slice now")
            let record = try #require(try await env.store.materializations(asset: "ssb-08764", limit: 10).first)
            #expect(record.runID == complete.runID && record.rowsAdded == complete.counters.added)
            #expect(record.rowsTotal == failed.counters.added + complete.counters.added)
            #expect(record.dataVersion == DataVersion.dataset(writes: [
                .init(runID: failed.runID, added: failed.counters.added, updated: failed.counters.updated, deleted: failed.counters.deleted),
                .init(runID: complete.runID, added: complete.counters.added, updated: complete.counters.updated, deleted: complete.counters.deleted),
            ]))
        }
    }

    @Test("a mart build records its materialisation; an identical rebuild keeps the data version; a refused build is an error record",
          arguments: StoreKind.enabled)
    func martRecords(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            let mart = KommuneIndicatorMart.asset
            _ = try await env.pipeline.run(dataset: "ssb-08764")
            let seed = try BundledSeeds.kommuneDim()
            let good = try await env.store.materializeKommuneIndicators(seed: seed, trigger: "first")
            #expect(good.swapped)
            let m1 = try #require(try await env.store.materializations(asset: mart, limit: 10).first)
            #expect(m1.runID == good.runID && m1.status == .complete)
            #expect(m1.rowsAdded == good.rows && m1.rowsUpdated == 0 && m1.rowsDeleted == 0 && m1.rowsUnchanged == 0 && m1.rowsTotal == good.rows)
            var newest = 0
            for indicator in env.registry.indicators { newest = max(newest, try await env.store.indicatorYears(indicator: indicator.key).last ?? 0) }
            #expect(m1.latestPeriod == String(newest))
            #expect(Self.isDataVersion(m1.dataVersion))
            let run1 = try #require(try await env.store.run(id: good.runID))
            #expect(run1.rowsAdded == good.rows && run1.finishedAt == m1.materializedAt, "the run's counters are the record's")

            // The same inputs and seed: every row unchanged, the same data version.
            let again = try await env.store.materializeKommuneIndicators(seed: seed, trigger: "again")
            let m2 = try #require(try await env.store.materializations(asset: mart, limit: 1).first)
            #expect(again.swapped && m2.runID == again.runID && m2.status == .complete)
            #expect(m2.rowsChanged == 0 && m2.rowsUnchanged == good.rows && m2.rowsTotal == good.rows)
            #expect(m2.dataVersion == m1.dataVersion)

            // A seed without Oslo fails the relationship test: an error record, the served mart's total, period and version.
            let merged = KommuneSeed(version: "test-without-0301", kommuner: seed.kommuner.filter { $0.number != "0301" }, crosswalk: seed.crosswalk)
            let bad = try await env.store.materializeKommuneIndicators(seed: merged, trigger: "bad")
            #expect(!bad.swapped)
            let m3 = try #require(try await env.store.materializations(asset: mart, limit: 1).first)
            #expect(m3.runID == bad.runID && m3.status == .error)
            #expect(m3.rowsChanged == 0 && m3.rowsTotal == good.rows && m3.latestPeriod == m1.latestPeriod && m3.dataVersion == m1.dataVersion)
            let asset = try #require(try await env.store.assets().first { $0.key == mart })
            #expect(asset.lastRunStatus == .error && asset.lastMaterialization == m3 && asset.rows == good.rows)

            // A revised input: the rebuild updates the changed kommune values and gets a new data version.
            await env.state.setRevised(true)
            let revised = try await env.pipeline.run(dataset: "ssb-08764")
            #expect(revised.counters.updated > 0)
            let rebuilt = try await env.store.materializeKommuneIndicators(seed: seed, trigger: "revised")
            let m4 = try #require(try await env.store.materializations(asset: mart, limit: 1).first)
            #expect(rebuilt.swapped && m4.runID == rebuilt.runID && m4.status == .complete)
            #expect(m4.rowsUpdated > 0 && m4.rowsAdded + m4.rowsUpdated + m4.rowsUnchanged == rebuilt.rows && m4.rowsTotal == rebuilt.rows)
            #expect(m4.dataVersion != m1.dataVersion && Self.isDataVersion(m4.dataVersion))
            #expect(try await env.store.materializations(asset: mart, limit: 10).map(\.runID) == [rebuilt, bad, again, good].map(\.runID))
        }
    }

    @Test("the data version is the digest of the writing runs in run order, whatever order they are given in")
    func dataVersionDefinition() {
        let a = DataVersion.Write(runID: 3, added: 10, updated: 0, deleted: 0), b = DataVersion.Write(runID: 7, added: 0, updated: 2, deleted: 1)
        #expect(DataVersion.dataset(writes: [a, b]) == DataVersion.dataset(writes: [b, a]))
        #expect(DataVersion.dataset(writes: [a]) != DataVersion.dataset(writes: [a, b]))
        #expect(DataVersion.dataset(writes: []) != DataVersion.dataset(writes: [a]))
        #expect(DataVersion.mart(previous: nil, seedVersion: "s", config: "c", inputs: [("x", "1"), ("y", "2")])
                == DataVersion.mart(previous: nil, seedVersion: "s", config: "c", inputs: [("y", "2"), ("x", "1")]))
        #expect(DataVersion.mart(previous: "p", seedVersion: "s", config: "c", inputs: []) != DataVersion.mart(previous: nil, seedVersion: "s", config: "c", inputs: []))
        for v in [DataVersion.dataset(writes: [a]), DataVersion.none] { #expect(Self.isDataVersion(v), "\(v)") }
    }

    @Test("kilde assets shows the last record, and a mart refused by its data tests as error with the served data version",
          arguments: StoreKind.enabled)
    func cliAssets(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            let ingest = try await env.pipeline.run(dataset: "ssb-08764")
            let seed = try BundledSeeds.kommuneDim()
            let good = try await env.store.materializeKommuneIndicators(seed: seed, trigger: "good")
            let doubled = KommuneSeed(version: "dup-0301", kommuner: seed.kommuner + seed.kommuner.filter { $0.number == "0301" }, crosswalk: seed.crosswalk)
            let bad = try await env.store.materializeKommuneIndicators(seed: doubled, trigger: "bad")
            #expect(good.swapped && !bad.swapped)
            let records = try await env.store.assets()
            let dataset = try #require(records.first { $0.key == "ssb-08764" }?.lastMaterialization)
            let mart = try #require(records.first { $0.key == KommuneIndicatorMart.asset }?.lastMaterialization)

            let out = try await CLIProcess.run(["assets", "--store", env.storeSpec, "--json"])
            #expect(out.status == 0, "\(out.stderr)")
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [[String: Any]])
            let ds = try #require(rows.first { $0["asset"] as? String == "ssb-08764" })
            #expect(ds["run_id"] as? Int == Int(ingest.runID))
            #expect(ds["rows_added"] as? Int == ingest.counters.added && ds["rows_updated"] as? Int == 0 && ds["rows_deleted"] as? Int == 0)
            #expect(ds["latest_period"] as? String == dataset.latestPeriod, "a period is text, never a number")
            #expect(ds["data_version"] as? String == dataset.dataVersion)
            #expect(ds["duration_ms"] as? Int == dataset.durationMs)
            #expect(ds["last_status"] as? String == "complete")
            let m = try #require(rows.first { $0["asset"] as? String == KommuneIndicatorMart.asset })
            #expect(m["last_status"] as? String == "error", "the refused build")
            #expect(m["run_id"] as? Int == Int(bad.runID))
            #expect(m["data_version"] as? String == mart.dataVersion && mart.status == .error)
            #expect(m["rows"] as? Int == good.rows, "the previous mart is still served")
            let never = try #require(rows.first { $0["asset"] as? String == "ssb-12058" })
            #expect(never["data_version"] is NSNull && never["run_id"] is NSNull)

            let table = try await CLIProcess.run(["assets", "--store", env.storeSpec])
            #expect(table.status == 0, "\(table.stderr)")
            let header = table.stdout.split(separator: "\n").first.map(String.init) ?? ""
            for column in ["run_id", "duration_ms", "rows_added", "rows_updated", "rows_deleted", "latest_period", "data_version"] {
                #expect(header.contains(column), "\(column)")
            }
            #expect(table.stdout.contains(mart.dataVersion) && table.stdout.contains(dataset.dataVersion))
        }
    }
}
