import Foundation
import KildeCore
@testable import KildeStore
import Testing

/// What only the PostgreSQL store has: its URL, its connection errors, its schema layout, its two write
/// methods and its daily-totals function. The shared behaviour is covered by the suites over `StoreKind.enabled`.
@Suite("PostgreSQL store", .serialized)
struct PostgresStoreTests {
    static var serverAvailable: Bool { PostgresTestServer.url != nil }

    // MARK: URLs and errors (no server needed)

    @Test func urlParsesAndPrintsWithoutThePassword() throws {
        let url = try PostgresStoreURL(parsing: "postgres://kilde:s%40cret@db.example:6543/facts?sslmode=require&connect_timeout=3&pool_max=4")
        #expect(url.host == "db.example")
        #expect(url.port == 6543)
        #expect(url.username == "kilde")
        #expect(url.password == "s@cret")
        #expect(url.database == "facts")
        #expect(url.sslMode == .require)
        #expect(url.connectTimeout == .seconds(3))
        #expect(url.maximumConnections == 4)
        #expect(url.description == "postgres://kilde@db.example:6543/facts?sslmode=require")
        #expect(try StoreLocation.parse("postgresql://k@h/d") == .postgres(PostgresStoreURL(parsing: "postgres://k@h:5432/d")))
        #expect(try PostgresStoreURL(parsing: url.connectionString) == url, "the child-process form round-trips")
    }

    @Test("the default pool is twice the cores, from 2 to 8 connections", arguments: [
        (1, 2), (2, 4), (3, 6), (4, 8), (16, 8), (0, 2),
    ])
    func defaultPoolSize(_ cores: Int, _ connections: Int) throws {
        #expect(PostgresStoreURL.defaultMaximumConnections(cores: cores) == connections)
    }

    @Test func aURLWithoutPoolMaxSizesThePoolForThisMachine() throws {
        let url = try PostgresStoreURL(parsing: "postgres://kilde@db.example/facts")
        #expect(url.maximumConnections == PostgresStoreURL.defaultMaximumConnections(cores: ProcessInfo.processInfo.activeProcessorCount))
    }

    @Test("malformed URLs are one-line errors that never repeat the password", arguments: [
        "postgres://kilde:s3cret@db:99999/facts",
        "postgres://kilde:s3cret@db:5432/",
        "postgres://kilde:s3cret@db:5432/facts?sslmode=maybe",
        "postgres://kilde:s3cret@db:5432/facts?sslmod=require",
        "postgres://:s3cret@db:5432/facts",
        "postgress://kilde:s3cret@db:5432/facts",
    ])
    func malformedURLs(_ text: String) throws {
        let error = #expect(throws: StoreError.self) { try StoreLocation.parse(text) }
        #expect(error?.code == .invalidLocation)
        #expect(error?.message.contains("s3cret") == false, "\(error?.message ?? "")")
        #expect(error?.message.contains("\n") == false)
    }

    @Test func binaryTimesFormatLikeTheTextKildeWrites() {
        #expect(PostgresTime.iso8601(microsecondsSince2000: 0) == "2000-01-01T00:00:00.000Z")
        #expect(PostgresTime.iso8601(microsecondsSince2000: -1) == "1999-12-31T23:59:59.999999Z")
        // 2026-11-27T16:46:24.123Z: 9,827 days after 2000-01-01 and 60,384.123 s into the day.
        #expect(PostgresTime.iso8601(microsecondsSince2000: (9_827 * 86_400 + 60_384) * 1_000_000 + 123_000) == "2026-11-27T16:46:24.123Z")
        #expect(PostgresTime.date(daysSince2000: 59) == "2000-02-29")
        #expect(PostgresTime.date(daysSince2000: -1) == "1999-12-31")
        #expect(PostgresTime.date(daysSince2000: 36_583) == "2100-02-28")
        #expect(PostgresTime.date(daysSince2000: 36_584) == "2100-03-01", "2100 is not a leap year")
    }

    @Test func unreachableServerFailsFastWithOneLine() async throws {
        // Port 1 on loopback: nothing listens, the kernel refuses at once.
        let url = try PostgresStoreURL(parsing: "postgres://kilde:s3cret@127.0.0.1:1/facts?connect_timeout=5")
        let clock = ContinuousClock()
        let start = clock.now
        let error = await #expect(throws: StoreError.self) { try await PostgresFactStore.open(url) }
        #expect(clock.now - start < .seconds(10))
        #expect(error?.code == .connection)
        let message = error?.message ?? ""
        #expect(message.contains("postgres://kilde@127.0.0.1:1/facts"), "\(message)")
        #expect(message.lowercased().contains("refused"), "\(message)")
        #expect(!message.contains("s3cret"))
        #expect(!message.contains("\n"))
    }

    @Test func cliReportsStoreErrorsAsOneLineWithExitCodes() async throws {
        let unreachable = try await CLIProcess.run(["runs"], environment: ["KILDE_STORE": "postgres://kilde:s3cret@127.0.0.1:1/facts"])
        #expect(unreachable.status == 3, "\(unreachable.stderr)")
        #expect(unreachable.stderr.hasPrefix("kilde: cannot reach PostgreSQL at postgres://kilde@127.0.0.1:1/facts"), "\(unreachable.stderr)")
        #expect(unreachable.stderr.split(separator: "\n").count == 1)
        #expect(!unreachable.stderr.contains("s3cret"))
        let typo = try await CLIProcess.run(["runs", "--store", "postgres://kilde:s3cret@db:5432/facts?sslmode=requir"])
        #expect(typo.status == 2, "\(typo.stderr)")
        #expect(typo.stderr.contains("sslmode must be one of"))
        #expect(typo.stderr.split(separator: "\n").count == 1)
        #expect(!typo.stderr.contains("s3cret"))
    }

    // MARK: Against the server

    @Test(.enabled(if: serverAvailable)) func wrongPasswordAndMissingDatabaseAreConnectionErrors() async throws {
        let admin = try PostgresTestServer.administrativeURL()
        var wrong = admin
        wrong.password = "not-the-password"
        let auth = await #expect(throws: StoreError.self) { try await PostgresFactStore.open(wrong) }
        #expect(auth?.code == .connection)
        #expect(auth?.message.contains("password authentication failed") == true, "\(auth?.message ?? "")")
        #expect(auth?.message.contains("not-the-password") == false)
        let missing = await #expect(throws: StoreError.self) { try await PostgresFactStore.open(admin.with(database: "kilde_no_such_database")) }
        #expect(missing?.code == .connection)
        #expect(missing?.message.contains("kilde_no_such_database") == true, "\(missing?.message ?? "")")
        // The throwaway test server has no certificate: sslmode=require must refuse rather than fall back.
        var tls = admin
        tls.sslMode = .require
        let refused = await #expect(throws: StoreError.self) { try await PostgresFactStore.open(tls) }
        #expect(refused?.code == .connection)
        #expect(refused?.message.contains("TLS") == true, "\(refused?.message ?? "")")
    }

    @Test(.enabled(if: serverAvailable)) func schemaLayout() async throws {
        try await TestEnvironment.with(.postgres) { env in
            let db = try #require(env.store as? PostgresFactStore).database
            let tables = try await db.execute("""
                SELECT table_schema || '.' || table_name AS t FROM information_schema.tables
                WHERE table_schema IN ('registry', 'facts', 'ingest', 'marts') ORDER BY 1
                """).compactMap { $0.string("t") }
            #expect(tables == ["facts.fact_daily", "facts.fact_yearly", "ingest.extraction_state", "ingest.ingest_runs",
                               "ingest.materializations", "ingest.raw_artifacts", "ingest.scheduler_cursors", "ingest.schema_migrations", "ingest.source_totals", "ingest.store_meta",
                               "ingest.work_queue", "marts.indicator_values", "marts.kommune_crosswalk", "marts.kommune_dim", "marts.kommune_dim_staging", "marts.kommune_indicators",
                               "marts.kommune_indicators_staging", "marts.kommune_parts", "marts.kommune_targets", "marts.kommune_unmatched",
                               "marts.kommune_unmatched_staging", "marts.structure_years", "registry.categories", "registry.datasets", "registry.dimensions",
                               "registry.filters", "registry.indicators", "registry.sources"])
            let keys = try await db.execute("""
                SELECT c.relname AS name, i.indnullsnotdistinct AS nnd FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                WHERE c.relname LIKE 'fact_%_natural_key' ORDER BY 1
                """)
            #expect(keys.map { $0.string("name") } == ["fact_daily_natural_key", "fact_yearly_natural_key"])
            #expect(keys.allSatisfy { $0.int("nnd") == 1 }, "NULLS NOT DISTINCT")
            // The serving read tests every axis for equality, so the axes come before the year range.
            let read = try await db.execute("SELECT pg_get_indexdef('facts.fact_yearly_read_region'::regclass) AS d").first?.string("d")
            #expect(read?.hasSuffix("(source_id, dim_code, region_code, fire_type_code, building_type_code, building_age_code, year)") == true,
                    "\(read ?? "no read index")")
            let dims = try await db.execute("SELECT applicable_dim_codes AS d FROM filters WHERE id = 50301")
            if case .intArray(let codes) = dims.first?.values["d"] { #expect(codes == [5, 100]) } else { Issue.record("applicable_dim_codes is not int[]") }
        }
    }

    @Test("COPY and unnest write the same rows, guarded the same way", .enabled(if: serverAvailable),
          arguments: PostgresFactStore.Configuration.WriteMethod.allCases)
    func writeMethods(_ method: PostgresFactStore.Configuration.WriteMethod) async throws {
        try await TestEnvironment.with(.postgres) { env in
            var configuration = PostgresFactStore.Configuration()
            configuration.writeMethod = method
            let url = try #require(env.postgresDatabase)
            let store = try await PostgresFactStore.open(url, configuration: configuration)
            try await ServiceScope.run([store]) { try await Self.writeBothWays(store) }
        }
    }

    static func writeBothWays(_ store: PostgresFactStore) async throws {
        let slice = Slice(dataset: "ssb-12058", dimCode: 5)
        func commit(_ facts: [Fact], _ metric: Metric, at: String) async throws {
            try await store.commitSlice(SliceCommit(ref: SliceRef(runID: nil, sourceID: 5, dataset: "ssb-12058", slice: slice), metric: metric,
                                                    upserts: facts, deletes: [], clears: [], upstream: SliceTotals(facts: facts, metric: metric),
                                                    transformedRowCount: facts.count, fetchedAt: at))
        }
        let keys = [FactKey(sourceID: 5, dimCode: 5, catCode: 502, period: .year(2020)),
                    FactKey(sourceID: 5, dimCode: 5, catCode: 501, period: .year(2021), buildingType: 64, region: 50301),
                    FactKey(sourceID: 5, dimCode: 5, catCode: 502, period: .year(2021), region: 53101)]
        try await commit(zip(keys, [1.5, 2, 1e-7]).map { Fact(key: $0, value: $1) }, .value, at: "2026-01-01T00:00:00.000Z")
        try await commit(zip(keys, [285, 0.25, 3]).map { Fact(key: $0, valueKr: $1) }, .valueKr, at: "2026-01-02T00:00:00.000Z")
        // A second value pass: one identical (kept, ingested_at unchanged), one changed.
        try await commit([Fact(key: keys[0], value: 1.5), Fact(key: keys[1], value: 9)], .value, at: "2026-01-03T00:00:00.000Z")
        let rows = try await store.queryFacts(FactQuery(sourceID: 5, dimCode: 5, anyAxes: Set(FilterAxis.allCases)))
        let seen = Set(rows.map { "\($0.catCode)|\($0.period)|\($0.buildingType ?? "-")|\($0.regionCode ?? "-")|\($0.value ?? -1)|\($0.valueKr ?? -1)|\($0.ingestedAt)" })
        #expect(seen == [
            "502|2020|-|-|1.5|285.0|2026-01-02T00:00:00.000Z",
            "501|2021|Boliger|0301|9.0|0.25|2026-01-03T00:00:00.000Z",
            "502|2021|-|3101|1e-07|3.0|2026-01-02T00:00:00.000Z",
        ], "\(seen)")
    }

    @Test("a read of many rows shipped as one row of arrays gives the rows a plain read gives", .enabled(if: serverAvailable),
          arguments: [
              // Every type a facts read returns (int, text periods, float sums), with NULLs, duplicates and non-ASCII text.
              """
              SELECT * FROM (VALUES (1::int, '2020-Q1'::text, 1.5::float8, 7::bigint), (2, NULL, NULL, NULL), (2, 'Tromsø', 1e-7, -3),
                                    (2, 'Tromsø', 1e-7, -3), (3, '', 'Infinity'::float8, 9007199254740993)) v (a, b, c, d)
              """,
              "SELECT g AS a, to_char(g, 'FM0000') AS b, g / 3.0::float8 AS c, g::bigint * 1000000000000 AS d FROM generate_series(1, 2000) g",
              "SELECT 1::int AS a, 'x'::text AS b, 1::float8 AS c, 1::bigint AS d WHERE false",
          ])
    func manyRowsAsArrays(_ sql: String) async throws {
        try await TestEnvironment.with(.postgres) { env in
            let db = try #require(env.store as? PostgresFactStore).database
            let plain = try await db.execute(sql)
            let shipped = try await db.manyRows(SQLBuilder(.postgres, sql), columns: ["a", "b", "c", "d"])
            func multiset(_ rows: [SQLRow]) -> [String: Int] {
                rows.reduce(into: [:]) { m, r in m[["a", "b", "c", "d"].map { "\(r.value($0).map { "\($0)" } ?? "absent")" }.joined(separator: "|"), default: 0] += 1 }
            }
            let (a, b) = (multiset(shipped), multiset(plain))
            let same = a == b   // not inside #expect: a failure would print thousands of rows
            #expect(shipped.count == plain.count)
            #expect(same, "differing rows, e.g. \(Set(a.keys).symmetricDifference(b.keys).sorted().prefix(3))")
            #expect(b.keys.allSatisfy { !$0.contains("absent") }, "every column is in every row")
        }
    }
}
