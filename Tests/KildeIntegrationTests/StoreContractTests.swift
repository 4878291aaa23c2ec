import Crypto
import Foundation
import KildeCatalog
import KildeCore
@testable import KildeStore
import Testing

/// The data contract (SPEC §2) enforced by the store itself, not only by Swift code.
@Suite("Store contract", .serialized)
struct StoreContractTests {
    static func ref(_ slice: Slice) -> SliceRef { SliceRef(runID: nil, sourceID: 5, dataset: slice.dataset, slice: slice) }

    static func commit(_ env: TestEnvironment, _ facts: [Fact], metric: Metric = .value, at: String = Timestamp.now()) async throws {
        let slice = Slice(dataset: "ssb-12058", dimCode: 5)
        try await env.store.commitSlice(SliceCommit(ref: ref(slice), metric: metric, upserts: facts, deletes: [], clears: [],
                                                    upstream: SliceTotals(facts: facts, metric: metric), transformedRowCount: facts.count,
                                                    fetchedAt: at))
    }

    static func key(region: Int? = nil, buildingType: Int? = nil, cat: Int = 502, dim: Int = 5) -> FactKey {
        FactKey(sourceID: 5, dimCode: dim, catCode: cat, period: .year(2023), buildingType: buildingType, region: region)
    }

    struct Rejected: Sendable, CustomTestStringConvertible {
        var name: String
        var fact: Fact
        /// What the store's error says, when a check of the store's own (not a key or a column check) rejects it.
        var reason: String? = nil
        var testDescription: String { name }
    }

    @Test("the store rejects rows that break the contract", arguments: StoreKind.enabled, [
        Rejected(name: "wrong-axis filter id (a building_type filter in region_code)", fact: Fact(key: key(region: 64), value: 1),
                 reason: "filter check: fact_yearly.region_code must reference a region filter"),
        Rejected(name: "filter on a dimension it does not apply to", fact: Fact(key: key(buildingType: 64, cat: 10001, dim: 100), value: 1),
                 reason: "filter check: fact_yearly.building_type_code must reference a building_type filter"),
        Rejected(name: "filter id that does not exist", fact: Fact(key: key(region: 99_999_999), value: 1)),
        Rejected(name: "native-only category", fact: Fact(key: key(cat: 701, dim: 7), value: 1),
                 reason: "category check: fact_yearly row refers to a native-only category"),
        Rejected(name: "negative count", fact: Fact(key: key(), value: -3)),
        Rejected(name: "no metric at all", fact: Fact(key: key())),
        Rejected(name: "unknown category", fact: Fact(key: key(cat: 599), value: 1)),
    ])
    func rejects(_ kind: StoreKind, _ c: Rejected) async throws {
        try await TestEnvironment.with(kind) { env in
            try await Self.commit(env, [Fact(key: Self.key(region: 50301), value: 5)])
            let error = await #expect(throws: StoreError.self) { try await Self.commit(env, [Fact(key: Self.key(region: 53101), value: 2), c.fact]) }
            #expect(error?.code == .constraint, "\(String(describing: error))")
            if let reason = c.reason { #expect(error?.message.contains(reason) == true, "\(String(describing: error))") }
            // The whole slice transaction rolled back: the good row of the failed batch is not there either.
            let rows = try await env.store.queryFacts(FactQuery(sourceID: 5, dimCode: 5, anyAxes: Set(FilterAxis.allCases)))
            #expect(rows.map(\.regionCode) == ["0301"])
        }
    }

    @Test("an update that moves a stored row onto a wrong-axis filter is rejected; a metric-only update of it goes through",
          arguments: StoreKind.enabled)
    func keyUpdatesAreChecked(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            try await Self.commit(env, [Fact(key: Self.key(region: 50301), value: 5)])
            let db = try #require(env.store as? any SQLFactStore).database
            let error = await #expect(throws: StoreError.self) {
                try await db.execute("UPDATE fact_yearly SET region_code = 64 WHERE source_id = 5 AND region_code = 50301")
            }
            #expect(error?.code == .constraint && error?.message.contains("filter check: fact_yearly.region_code") == true, "\(String(describing: error))")
            try await db.execute("UPDATE fact_yearly SET value = 6 WHERE source_id = 5 AND region_code = 50301")
            let rows = try await env.store.queryFacts(FactQuery(sourceID: 5, dimCode: 5, anyAxes: Set(FilterAxis.allCases)))
            #expect(rows.map(\.regionCode) == ["0301"] && rows.first?.value == 6)
        }
    }

    @Test("a duplicate NULL-axis row is impossible", arguments: StoreKind.enabled)
    func nullAxesAreNotDistinct(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            let db = try #require(env.store as? any SQLFactStore).database
            let insert = "INSERT INTO fact_yearly (source_id, dim_code, cat_code, year, value, ingested_at) VALUES (5, 5, 502, 2023, 1, ?)"
            try await db.execute(insert, [.text(Timestamp.now())])
            let error = await #expect(throws: StoreError.self) { try await db.execute(insert, [.text(Timestamp.now())]) }
            #expect(error?.code == .constraint)
            // The upsert path targets the same key and updates instead of duplicating.
            try await Self.commit(env, [Fact(key: Self.key(), value: 4)])
            try await Self.commit(env, [Fact(key: Self.key(), value: 4)])
            let rows = try await env.store.queryFacts(FactQuery(sourceID: 5, dimCode: 5))
            #expect(rows.count == 1)
            #expect(rows.first?.value == 4)
        }
    }

    @Test("a value-only write never clears value_kr, and the reverse", arguments: StoreKind.enabled)
    func twoPassWrite(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            try await Self.commit(env, [Fact(key: Self.key(region: 50301), value: 7)], metric: .value)
            try await Self.commit(env, [Fact(key: Self.key(region: 50301), valueKr: 285)], metric: .valueKr)
            let row = try #require(try await env.store.queryFacts(FactQuery(sourceID: 5, dimCode: 5, anyAxes: [.region])).first)
            #expect(row.value == 7)
            #expect(row.valueKr == 285)
        }
    }

    @Test("one active run per slice hash; a dead owner's run is retired", arguments: StoreKind.enabled)
    func activeRunUniqueness(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            let config = "{\"dataset\":\"ssb-12058\",\"slices\":[]}"
            let request = RunRequest(sourceKey: "ssb", dataset: "ssb-12058", sliceConfig: config, slicesTotal: 1, years: nil,
                                     owner: RunOwner.current, startedAt: Timestamp.now())
            let first = try await env.store.startRun(request)
            let error = await #expect(throws: StoreError.self) { try await env.store.startRun(request) }
            #expect(error?.code == .activeRun(first))
            #expect(error?.message.contains("run \(first)") == true)
            // Another slice set is independent.
            var other = request
            other.sliceConfig = "{\"dataset\":\"ssb-08764\",\"slices\":[]}"
            _ = try await env.store.startRun(other)
            // A finished run frees the slice.
            try await env.store.finishRun(id: first, status: .complete, progress: RunProgress(slicesDone: 1, counters: .init(), at: Timestamp.now()), error: nil)
            let second = try await env.store.startRun(request)
            // A run whose process is gone does not block the slice forever.
            var dead = request
            dead.owner = "\(RunOwner.hostName):2147483646"
            dead.sliceConfig = "{\"dataset\":\"dead\"}"
            let abandoned = try await env.store.startRun(dead)
            let replacement = try await env.store.startRun(dead)
            #expect(replacement != abandoned)
            #expect(try await env.store.run(id: abandoned)?.status == .error)
            #expect(try await env.store.run(id: abandoned)?.errorMessage?.contains("abandoned") == true)
            #expect(second != first)
        }
    }

    @Test("the store's totals for a gate before fetch: both tables, in one round trip", arguments: StoreKind.enabled)
    func storedTotals(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            let keys = SliceKeySet(sourceID: 5, dimCode: 5, filters: [.region: [50301]], years: YearWindow(first: 2020, last: 2021))
            #expect(try await env.store.storedTotals(keys, metric: .value) == StoredTotals(), "tier 0: nothing stored")
            func day(_ y: Int, _ m: Int, _ d: Int, region: Int = 50301, _ v: Double) throws -> Fact {
                Fact(key: FactKey(sourceID: 5, dimCode: 5, catCode: 502, period: .day(try #require(CivilDate(year: y, month: m, day: d))), region: region), value: v)
            }
            let daily = [try day(2020, 1, 5, 2), try day(2020, 1, 20, 3), try day(2020, 3, 1, 1), try day(2021, 12, 31, 4), try day(2022, 1, 1, 100),
                         try day(2020, 1, 5, region: 53101, 50)]
            let dailySlice = Slice(dataset: "ssb-12058", dimCode: 5, filters: [.region: [50301, 53101]], table: .daily)
            try await env.store.commitSlice(SliceCommit(ref: Self.ref(dailySlice), metric: .value, upserts: daily, deletes: [], clears: [],
                                                        upstream: SliceTotals(facts: daily, metric: .value), transformedRowCount: daily.count, fetchedAt: Timestamp.now()))
            try await Self.commit(env, [2020, 2021].map { y in
                Fact(key: FactKey(sourceID: 5, dimCode: 5, catCode: 502, period: .year(y), region: 50301), value: y == 2020 ? 6 : 5)
            })
            let before = env.store.statistics.sliceRoundTrips
            let totals = try await env.store.storedTotals(keys, metric: .value)
            #expect(env.store.statistics.sliceRoundTrips - before == 1)
            #expect(totals.dailyTotal == 10)
            #expect(totals.dailyByMonth == [202001: 5, 202003: 1, 202112: 4])
            #expect(totals.dailyRows == 4)
            #expect(totals.yearly == [2020: 6, 2021: 5])
            #expect(totals.driftedYears == [2021], "2020 agrees (6 = 6), 2021 does not (4 ≠ 5)")
        }
    }

    @Test("the latest period a dataset holds, per table, as text (kilde ingest --pipes reports it)", arguments: StoreKind.enabled)
    func latestPeriod(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            #expect(try await env.store.latestPeriod(sourceID: 5, dimCode: 5, subyear: false) == nil, "nothing stored")
            try await Self.commit(env, [2019, 2021, 2020].map { y in
                Fact(key: FactKey(sourceID: 5, dimCode: 5, catCode: 502, period: .year(y), region: 50301), value: 1)
            })
            let days = try [(2023, 12, 31), (2024, 2, 1), (2024, 1, 15)].map { y, m, d in
                Fact(key: FactKey(sourceID: 5, dimCode: 5, catCode: 502, period: .day(try #require(CivilDate(year: y, month: m, day: d))), region: 50301), value: 1)
            }
            let daily = Slice(dataset: "ssb-12058", dimCode: 5, filters: [.region: [50301]], table: .daily)
            try await env.store.commitSlice(SliceCommit(ref: Self.ref(daily), metric: .value, upserts: days, deletes: [], clears: [],
                                                        upstream: SliceTotals(facts: days, metric: .value), transformedRowCount: days.count, fetchedAt: Timestamp.now()))
            #expect(try await env.store.latestPeriod(sourceID: 5, dimCode: 5, subyear: false) == "2021")
            #expect(try await env.store.latestPeriod(sourceID: 5, dimCode: 5, subyear: true) == "2024-02-01")
            #expect(try await env.store.latestPeriod(sourceID: 5, dimCode: 6, subyear: false) == nil, "another dataset of the source")
        }
    }

    @Test("daily slices go through the same gates, classification and guarded writes as yearly ones", arguments: StoreKind.enabled)
    func dailyWrites(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            let slice = Slice(dataset: "ssb-12058", dimCode: 5, filters: [.region: [50301]], years: YearWindow(first: 2024, last: 2024), table: .daily)
            let keys = SliceKeySet(slice: slice, sourceID: 5)
            func fact(_ m: Int, _ v: Double) throws -> Fact {
                Fact(key: FactKey(sourceID: 5, dimCode: 5, catCode: 502, period: .day(try #require(CivilDate(year: 2024, month: m, day: 1))), region: 50301), value: v)
            }
            let first = [try fact(1, 10), try fact(2, 20), try fact(3, 30)]
            try await env.store.commitSlice(SliceCommit(ref: Self.ref(slice), metric: .value, upserts: first, deletes: [], clears: [],
                                                        upstream: SliceTotals(facts: first, metric: .value), transformedRowCount: 3, fetchedAt: Timestamp.now()))
            let existing = try await env.store.existingFacts(keys, years: nil)
            #expect(existing.count == 3)
            #expect(existing[first[1].key]?.value == 20)
            // Same totals: the probe marks the slice unchanged.
            let same = try await env.store.probe(SliceProbe(ref: Self.ref(slice), keys: keys, metric: .value, upstream: SliceTotals(facts: first, metric: .value),
                                                            artifacts: [], transformedRowCount: 3, fetchedAt: Timestamp.now()))
            #expect(same.markedUnchanged && same.stored.total == 60 && same.rowCount == 3)
            // February revised, March gone: one update, one delete.
            let revised = [try fact(1, 10), try fact(2, 25)]
            let c = RowClassifier.classify(rows: revised, existing: existing, metric: .value, years: nil)
            #expect((c.added, c.updated, c.identical, c.deleted) == (0, 1, 1, 1))
            try await env.store.commitSlice(SliceCommit(ref: Self.ref(slice), metric: .value, upserts: c.toWrite, deletes: c.toDelete, clears: c.toClear,
                                                        upstream: SliceTotals(facts: revised, metric: .value), transformedRowCount: 2, fetchedAt: Timestamp.now()))
            let rows = try await env.store.queryFacts(FactQuery(sourceID: 5, dimCode: 5, filters: [.region: [50301]], grain: .day))
            #expect(rows.map(\.period) == ["2024-01-01", "2024-02-01"])
            #expect(rows.map(\.value) == [10, 25])
            #expect(try await env.store.queryFacts(FactQuery(sourceID: 5, dimCode: 5, filters: [.region: [50301]])).isEmpty, "nothing went to fact_yearly")
            // A yearly fact sent to a daily slice is refused by the store seam, not written.
            let wrong = Fact(key: FactKey(sourceID: 5, dimCode: 5, catCode: 502, period: .year(2024), region: 50301), value: 1)
            await #expect(throws: StoreError.self) {
                try await env.store.commitSlice(SliceCommit(ref: Self.ref(slice), metric: .value, upserts: [wrong], deletes: [], clears: [],
                                                            upstream: SliceTotals(), transformedRowCount: 1, fetchedAt: Timestamp.now()))
            }
        }
    }

    @Test("migrations are recorded and safe to re-run", arguments: StoreKind.enabled)
    func migrationsIdempotent(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            let again = try await env.store.migrate(catalog: env.registry.catalog)
            #expect(again.applied.isEmpty)
            #expect(again.alreadyApplied >= 4)
            let counts = try await env.store.tableCounts()
            #expect(counts["filters"] == env.registry.catalog.filters.count)
            #expect(counts["categories"] == env.registry.catalog.categories.count)
        }
    }

    @Test("demo and real data never share a store", arguments: StoreKind.enabled)
    func dataKindIsClaimedOnce(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            try await env.store.claimDataKind(.demo)
            try await env.store.claimDataKind(.demo)
            let error = await #expect(throws: StoreError.self) { try await env.store.claimDataKind(.real) }
            #expect(error?.code == .dataKindMismatch)
        }
    }

    @Test("an identical re-write is not rewritten; a changed one is", arguments: StoreKind.enabled)
    func guardedUpsert(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            let t1 = "2026-01-01T00:00:00.000Z", t2 = "2026-01-02T00:00:00.000Z", t3 = "2026-01-03T00:00:00.000Z"
            for (value, at) in [(4.0, t1), (4.0, t2)] { try await Self.commit(env, [Fact(key: Self.key(), value: value)], at: at) }
            var row = try #require(try await env.store.queryFacts(FactQuery(sourceID: 5, dimCode: 5)).first)
            #expect(row.ingestedAt == t1, "the guard (IS DISTINCT FROM) left the identical row and its first ingested_at alone")
            try await Self.commit(env, [Fact(key: Self.key(), value: 5)], at: t3)
            row = try #require(try await env.store.queryFacts(FactQuery(sourceID: 5, dimCode: 5)).first)
            #expect(row.value == 5)
            #expect(row.ingestedAt == t3)
        }
    }

    @Test("runs, timestamps and JSON read back exactly as written; slice_hash is the store's sha256 of slice_config",
          arguments: StoreKind.enabled)
    func runsReadBackAsWritten(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            let config = "{\"dataset\":\"ssb-12058\",\"slices\":[\"Ø\"]}"
            let started = "2026-01-02T03:04:05.678Z", finished = "2026-01-02T03:04:09.010Z"
            let id = try await env.store.startRun(RunRequest(sourceKey: "ssb", dataset: "ssb-12058", sliceConfig: config, slicesTotal: 2,
                                                             years: YearWindow(first: 2015, last: 2024), owner: "host:1", startedAt: started))
            // Key order and spacing a normalising JSON type would change.
            let phase = "{\"v\":1, \"kind\":\"slices\",\"b\":[1, 2.5],\"a\":null}"
            let metrics = "[{\"z\":1,\"a\":2}]"
            try await env.store.finishRun(id: id, status: .error, progress: RunProgress(
                slicesDone: 2, counters: RowCounters(added: 3, updated: 1, skippedIdentical: 2, deleted: 1), apiTotal: 12.5,
                transformedRowCount: 7, perSliceMetrics: metrics, phaseDetail: phase, at: finished), error: "slice 1: boom")
            let run = try #require(try await env.store.run(id: id))
            #expect(run.sliceConfig == config)
            #expect(run.sliceHash == SHA256.hash(data: Array(config.utf8)).map { String(format: "%02x", $0) }.joined())
            #expect(run.startedAt == started)
            #expect(run.finishedAt == finished)
            #expect(run.phaseDetail == phase)
            #expect(run.perSliceMetrics == metrics)
            #expect(run.status == .error)
            #expect(run.errorMessage == "slice 1: boom")
            #expect((run.rowsAdded, run.rowsUpdated, run.rowsSkippedIdentical, run.rowsDeleted) == (3, 1, 2, 1))
            #expect(run.apiTotal == 12.5)
            #expect(run.transformedRowCount == 7)
            #expect((run.yearFirst, run.yearLast) == (2015, 2024))
            #expect(try await env.store.runs(limit: 5) == [run])
        }
    }

    struct ProbeCase: Sendable, CustomTestStringConvertible {
        var name: String
        var metric: Metric
        var upstream: SliceTotals
        var unchanged: Bool
        var testDescription: String { name }
    }

    /// Stored: value 1, 2, 3 in 2020–2022; value_kr NULL everywhere.
    static let probeCases = [
        ProbeCase(name: "same per-year sums", metric: .value, upstream: SliceTotals(total: 6, byYear: [2020: 1, 2021: 2, 2022: 3]), unchanged: true),
        ProbeCase(name: "one year changed", metric: .value, upstream: SliceTotals(total: 9, byYear: [2020: 1, 2021: 5, 2022: 3]), unchanged: false),
        ProbeCase(name: "same total, moved between years", metric: .value, upstream: SliceTotals(total: 6, byYear: [2020: 2, 2021: 1, 2022: 3]), unchanged: false),
        ProbeCase(name: "same total, no per-year sums", metric: .value, upstream: SliceTotals(total: 6), unchanged: true),
        ProbeCase(name: "a new year", metric: .value, upstream: SliceTotals(total: 10, byYear: [2020: 1, 2021: 2, 2022: 3, 2023: 4]), unchanged: false),
        ProbeCase(name: "within the decimal tolerance", metric: .value, upstream: SliceTotals(total: 6 + 1e-12, byYear: [2020: 1, 2021: 2, 2022: 3 + 1e-12]), unchanged: true),
        ProbeCase(name: "other metric empty upstream and stored", metric: .valueKr, upstream: SliceTotals(), unchanged: true),
        ProbeCase(name: "other metric first write", metric: .valueKr, upstream: SliceTotals(total: 5, byYear: [2021: 5]), unchanged: false),
    ]

    @Test("the probe decides like ChangeGate and marks only unchanged slices", arguments: StoreKind.enabled, probeCases)
    func probeDecision(_ kind: StoreKind, _ c: ProbeCase) async throws {
        try await TestEnvironment.with(kind) { env in
            let facts = [(2020, 1.0), (2021, 2.0), (2022, 3.0)].map { y, v in
                Fact(key: FactKey(sourceID: 5, dimCode: 5, catCode: 502, period: .year(y)), value: v)
            }
            try await Self.commit(env, facts)
            let db = try #require(env.store as? any SQLFactStore).database
            try await db.execute("DELETE FROM extraction_state")
            try await db.execute("DELETE FROM source_totals")
            let slice = Slice(dataset: "ssb-12058", dimCode: 5, metric: c.metric)
            let artifact = RawArtifact(sha256: "ab", key: "ab/ab", url: "http://x/y", method: "GET", contentType: nil, bytes: 3,
                                       fetchedAt: "2026-02-03T04:05:06.007Z")
            let result = try await env.store.probe(SliceProbe(ref: Self.ref(slice), keys: SliceKeySet(slice: slice, sourceID: 5), metric: c.metric,
                                                              upstream: c.upstream, artifacts: [artifact], transformedRowCount: 3,
                                                              fetchedAt: "2026-02-03T04:05:06.007Z"))
            #expect(result.rowCount == 3)
            #expect(result.stored == (c.metric == .value ? SliceTotals(total: 6, byYear: [2020: 1, 2021: 2, 2022: 3])
                                                          : SliceTotals(total: 0, byYear: [2020: 0, 2021: 0, 2022: 0])))
            #expect(result.markedUnchanged == c.unchanged)
            #expect(result.markedUnchanged == (ChangeGate.decide(upstream: c.upstream, stored: result.stored) == .skip))
            let state = try await db.execute("SELECT status, last_row_count, last_total_value, last_fetched_at FROM extraction_state")
            let totals = try await db.execute("SELECT year, total FROM source_totals ORDER BY year")
            if c.unchanged {
                #expect(state.map { $0.string("status") } == ["unchanged"])
                #expect(state.first?.int("last_row_count") == 3)
                #expect(state.first?.double("last_total_value") == c.upstream.total)
                #expect(state.first?.string("last_fetched_at") == "2026-02-03T04:05:06.007Z")
                #expect(totals.map { $0.int("year") ?? -1 } == [0] + c.upstream.byYear.keys.sorted())
            } else {
                #expect(state.isEmpty, "a changed slice is marked by its commit, not by the probe")
                #expect(totals.isEmpty)
            }
            let artifacts = try await db.execute("SELECT url, content_type, bytes, fetched_at FROM raw_artifacts")
            #expect(artifacts.count == 1, "the probe lands the artifacts either way")
            #expect(artifacts.first?.string("content_type") == nil)
            #expect(artifacts.first?.string("fetched_at") == "2026-02-03T04:05:06.007Z")
        }
    }

    @Test("two stores migrating one fresh store at once both succeed, applying each migration once", arguments: StoreKind.enabled)
    func concurrentMigrations(_ kind: StoreKind) async throws {
        let catalog = try BundledCatalog.registry().catalog
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kilde-migrate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let database = kind == .postgres ? try await PostgresTestServer.createDatabase() : nil
        let location: StoreLocation = database.map(StoreLocation.postgres) ?? .sqlite(path: dir.appendingPathComponent("k.sqlite").path)
        defer { try? FileManager.default.removeItem(at: dir) }
        do {
            let a = try await location.open()
            let b: any FactStore
            do { b = try await location.open() } catch { try? await a.close(); throw error }
            // Closed on every path: a store dropped open is a crash in SQLiteNIO's deinit, which would hide the failure.
            do {
                try await ServiceScope.run([a, b]) {
                    async let ra = a.migrate(catalog: catalog)
                    async let rb = b.migrate(catalog: catalog)
                    let reports = try await [ra, rb]
                    let applied = reports.flatMap(\.applied)
                    #expect(Set(applied).count == applied.count, "no migration ran twice: \(reports.map(\.applied))")
                    // Each migration is its own transaction: the two may share the work, but between them apply all of it.
                    let again = try await a.migrate(catalog: catalog)
                    #expect(again.applied.isEmpty)
                    #expect(applied.count == again.alreadyApplied, "every migration applied by one of the two: \(reports.map(\.applied))")
                    #expect(try await a.tableCounts()["filters"] == catalog.filters.count)
                }
            } catch {
                try? await a.close()
                try? await b.close()
                throw error
            }
            try await a.close()
            try await b.close()
        } catch {
            if let database { await PostgresTestServer.dropDatabase(database) }
            throw error
        }
        if let database { await PostgresTestServer.dropDatabase(database) }
    }

    @Test("facts read back the ingested_at string written", arguments: StoreKind.enabled)
    func ingestedAtReadsBack(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            try await Self.commit(env, [Fact(key: Self.key(region: 50301), value: 2)], at: "2026-03-04T05:06:07.089Z")
            let row = try #require(try await env.store.queryFacts(FactQuery(sourceID: 5, dimCode: 5, anyAxes: [.region])).first)
            #expect(row.ingestedAt == "2026-03-04T05:06:07.089Z")
            #expect(row.period == "2023")
        }
    }
}
