// ingest-bench: Kilde's PostgreSQL write path against a plain COPY of the same rows.
//
//   ingest-bench ADMIN_URL [--atoms N] [--categories N] [--method copy|unnest|both] [--keep yes]
//
// For each write method, in a fresh database: (1) Kilde's first load of N synthetic atoms, slice by slice
// through PostgresFactStore (probe → existing rows → commitSlice, as `kilde ingest` does); (2) the same rows
// with one plain COPY into an empty table identical to fact_yearly; (3) a stable re-run of the same data
// (probe → skip), which must write nothing. Prints rows/s, the ratio to COPY, and the re-run's share.
import Foundation
import KildeCatalog
import KildeCore
import KildeStore

func usage() -> Never {
    print("usage: ingest-bench ADMIN_URL [--atoms N] [--categories N] [--method copy|unnest|both] [--keep yes]")
    exit(2)
}

var arguments = Array(CommandLine.arguments.dropFirst())
guard let adminText = arguments.first, !adminText.hasPrefix("--") else { usage() }
arguments.removeFirst()
var atoms = 1_000_000
var methods = PostgresFactStore.Configuration.WriteMethod.allCases
var keep = false  // keep the databases for inspection
var categories = 250  // atoms per slice = categories × 20 years
while let flag = arguments.first {
    arguments.removeFirst()
    guard let value = arguments.first else { usage() }
    arguments.removeFirst()
    switch flag {
    case "--atoms": atoms = Int(value) ?? atoms
    case "--keep": keep = value == "yes"
    case "--categories": categories = Int(value) ?? categories
    case "--method": methods = value == "both" ? methods : [PostgresFactStore.Configuration.WriteMethod(rawValue: value)].compactMap { $0 }
    default: usage()
    }
}

func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
func rate(_ rows: Int, _ d: Duration) -> String { String(format: "%9.0f rows/s", Double(rows) / seconds(d)) }
func time(_ d: Duration) -> String { String(format: "%7.2f s", seconds(d)) }

struct Result {
    var method: String
    var kilde: KildeLoad.Timing
    var copy: Duration
    var rerun: KildeLoad.Timing
    var rerunRowsChanged: Int
}

let admin = try PostgresStoreURL(parsing: adminText)
let base = try BundledCatalog.load()
let data = try SyntheticData(atoms: atoms, registry: Registry(catalog: base), categories: categories)
let catalog = data.catalog(extending: base)
print("ingest-bench: \(data.atomCount) atoms = \(data.regions.count) slices × \(data.categories) categories × 20 years, server \(admin)")
var results: [Result] = []

for method in methods {
    let name = "kilde_bench_\(method.rawValue)"
    let db = try await BenchDatabase.create(name, admin: admin)
    var configuration = PostgresFactStore.Configuration()
    configuration.writeMethod = method
    let store = try await PostgresFactStore.open(db.url, configuration: configuration)
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

    // The re-run: same data, later fetch time. Nothing may be written; the server's own counters must agree.
    try await db.settle()
    // Any row the re-run inserted or updated would carry a transaction id at or after this one (a fresh
    // cluster: no wraparound); a deleted row would change the count.
    let marker = try await db.scalar("SELECT (txid_current() % 4294967296)::text")
    let countBefore = try await db.scalar("SELECT count(*)::text FROM facts.fact_yearly")
    let writtenBefore = store.statistics.rowsWritten
    let rerun = try await load.run(at: "2026-01-02T00:00:00.000Z")
    let touched = try await db.scalar("SELECT count(*)::text FROM facts.fact_yearly WHERE xmin::text::bigint >= \(marker)")
    let countAfter = try await db.scalar("SELECT count(*)::text FROM facts.fact_yearly")
    let changed = (Int(touched) ?? -1) + abs((Int(countAfter) ?? 0) - (Int(countBefore) ?? 0))
    guard rerun.skipped == data.regions.count, store.statistics.rowsWritten == writtenBefore, changed == 0 else {
        throw BenchError("the stable re-run wrote: \(rerun.skipped) of \(data.regions.count) slices skipped, \(store.statistics.rowsWritten - writtenBefore) rows written, server sees \(changed) new or changed rows")
    }
    results.append(Result(method: method.rawValue, kilde: first, copy: copy, rerun: rerun, rerunRowsChanged: changed))

    try await store.close()
    try await db.close()
    if !keep { try await BenchDatabase.drop(name, admin: admin) }

    print("")
    print("write method \(method.rawValue):")
    print("  Kilde first load (probe+existing+commit) \(time(first.total))  \(rate(data.atomCount, first.total))")
    print("    of which commitSlice                   \(time(first.commit))  \(rate(data.atomCount, first.commit))")
    print("  plain COPY, identical empty table        \(time(copy))  \(rate(data.atomCount, copy))")
    print(String(format: "  Kilde / COPY throughput                  %6.1f %%   (target >= 80 %%)", 100 * seconds(copy) / seconds(first.total)))
    print("  stable re-run (probe -> skip)            \(time(rerun.total))  \(rerun.skipped) slices skipped, 0 rows written (server: \(changed) rows with a newer xmin)")
    print(String(format: "  re-run / first load time                 %6.1f %%   (target < 10 %%)", 100 * seconds(rerun.total) / seconds(first.total)))
}

if results.count > 1, let best = results.min(by: { seconds($0.kilde.total) < seconds($1.kilde.total) }) {
    print("")
    print("fastest first load: \(best.method)")
}
