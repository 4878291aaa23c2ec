import KildeCore
import KildeStore

/// One measurement in a fresh database: Kilde's first load, the plain COPY baseline, the stable re-run.
struct Trial {
    var method: PostgresFactStore.Configuration.WriteMethod
    var kilde: KildeLoad.Timing
    var copy: Duration
    var rerun: KildeLoad.Timing

    static func run(_ method: PostgresFactStore.Configuration.WriteMethod, data: SyntheticData, catalog: Catalog,
                    admin: PostgresStoreURL, keep: Bool) async throws -> Trial {
        let name = "kilde_bench_\(method.rawValue)"
        let db = try await BenchDatabase.create(name, admin: admin)
        var configuration = PostgresFactStore.Configuration()
        configuration.writeMethod = method
        let store = try await PostgresFactStore.open(db.url, configuration: configuration)
        // The pool runs for the trial, as a service, and shuts down after it.
        let trial = try await ServiceScope.run([store]) {
            try await measure(method, store: store, data: data, catalog: catalog, db: db)
        }
        try await db.close()
        if !keep { try await BenchDatabase.drop(name, admin: admin) }
        return trial
    }

    static func measure(_ method: PostgresFactStore.Configuration.WriteMethod, store: PostgresFactStore, data: SyntheticData, catalog: Catalog,
                        db: BenchDatabase) async throws -> Trial {
        _ = try await store.migrate(catalog: catalog)
        try await RawCopy.createIdenticalTable(db)

        let firstAt = "2026-01-01T00:00:00.000Z"
        let load = KildeLoad(store: store, data: data)
        try await db.settle()
        let first = try await load.run(at: firstAt)
        guard first.written == data.atomCount else { throw BenchError("first load wrote \(first.written) of \(data.atomCount) rows") }

        try await db.settle()
        let copy = try await RawCopy.load(data, into: db, at: firstAt)
        let copied = try await db.scalar("SELECT count(*)::text FROM facts.\(RawCopy.table)")
        guard copied == String(data.atomCount) else { throw BenchError("COPY loaded \(copied) rows") }

        // The re-run: same data, later fetch time. Any row it inserted or updated would carry a transaction id
        // at or after this marker (a fresh cluster: no wraparound); a deleted row would change the count.
        try await db.settle()
        let marker = try await db.scalar("SELECT (txid_current() % 4294967296)::text")
        let countBefore = try await db.scalar("SELECT count(*)::text FROM facts.fact_yearly")
        let writtenBefore = store.statistics.rowsWritten
        let rerun = try await load.run(at: "2026-01-02T00:00:00.000Z")
        let touched = try await db.scalar("SELECT count(*)::text FROM facts.fact_yearly WHERE xmin::text::bigint >= \(marker)")
        let countAfter = try await db.scalar("SELECT count(*)::text FROM facts.fact_yearly")
        guard rerun.skipped == data.regions.count, rerun.written == 0, store.statistics.rowsWritten == writtenBefore,
              touched == "0", countAfter == countBefore else {
            throw BenchError("the stable re-run wrote: \(rerun.skipped) of \(data.regions.count) slices skipped, "
                             + "\(store.statistics.rowsWritten - writtenBefore) rows written, \(touched) rows with a newer xmin")
        }

        return Trial(method: method, kilde: first, copy: copy, rerun: rerun)
    }
}
