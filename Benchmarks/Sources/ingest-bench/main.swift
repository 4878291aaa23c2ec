// ingest-bench: Kilde's PostgreSQL write path against a plain COPY of the same rows.
//
//   ingest-bench ADMIN_URL [--atoms N] [--categories N] [--method copy|unnest|both] [--repeat N] [--keep yes]
//
// Each trial runs in a fresh database: (1) Kilde's first load of N synthetic atoms, slice by slice through
// PostgresFactStore (probe → existing rows → commitSlice, as `kilde ingest` does); (2) the same rows with one
// plain COPY into an empty table identical to fact_yearly; (3) a stable re-run of the same data (probe → skip),
// which must write nothing (checked by the store's counter and by the server: no row with a newer xmin).
// Trials alternate between the write methods and repeat; the summary gives medians, so a busy machine
// skews one trial rather than the verdict.
import Foundation
import KildeCatalog
import KildeCore
import KildeStore

func usage() -> Never {
    print("usage: ingest-bench ADMIN_URL [--atoms N] [--categories N] [--method copy|unnest|both] [--repeat N] [--keep yes]")
    exit(2)
}

var arguments = Array(CommandLine.arguments.dropFirst())
guard let adminText = arguments.first, !adminText.hasPrefix("--") else { usage() }
arguments.removeFirst()
var atoms = 1_000_000
var categories = 250  // atoms per slice = categories × 20 years
var methods = PostgresFactStore.Configuration.WriteMethod.allCases
var repeats = 3
var keep = false  // keep the last trial's databases for inspection
while let flag = arguments.first {
    arguments.removeFirst()
    guard let value = arguments.first else { usage() }
    arguments.removeFirst()
    switch flag {
    case "--atoms": atoms = Int(value) ?? atoms
    case "--categories": categories = Int(value) ?? categories
    case "--method": methods = value == "both" ? methods : [PostgresFactStore.Configuration.WriteMethod(rawValue: value)].compactMap { $0 }
    case "--repeat": repeats = max(1, Int(value) ?? repeats)
    case "--keep": keep = value == "yes"
    default: usage()
    }
}

func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }
func line(_ label: String, _ s: Double, _ rows: Int) -> String {
    "  " + label.padding(toLength: 44, withPad: " ", startingAt: 0) + String(format: " %7.2f s %10.0f rows/s", s, Double(rows) / s)
}

let admin = try PostgresStoreURL(parsing: adminText)
let base = try BundledCatalog.load()
let data = try SyntheticData(atoms: atoms, registry: Registry(catalog: base), categories: categories)
let catalog = data.catalog(extending: base)
print("ingest-bench: \(data.atomCount) atoms = \(data.regions.count) slices × \(data.categories) categories × 20 years; "
      + "\(repeats) trial(s) per method; server \(admin)")

var trials: [Trial] = []
for round in 1...repeats {
    for method in methods {
        let t = try await Trial.run(method, data: data, catalog: catalog, admin: admin, keep: keep && round == repeats)
        trials.append(t)
        print(String(format: "trial %d %@ Kilde %6.2f s (commitSlice %6.2f s)  COPY %6.2f s  Kilde/COPY %5.1f %%  re-run %5.2f s = %4.1f %% of the load",
                     round, method.rawValue.padding(toLength: 6, withPad: " ", startingAt: 0) as NSString, seconds(t.kilde.total), seconds(t.kilde.commit), seconds(t.copy),
                     100 * seconds(t.copy) / seconds(t.kilde.total), seconds(t.rerun.total), 100 * seconds(t.rerun.total) / seconds(t.kilde.total)))
    }
}

for method in methods {
    let mine = trials.filter { $0.method == method }
    let kilde = median(mine.map { seconds($0.kilde.total) })
    let commit = median(mine.map { seconds($0.kilde.commit) })
    let copy = median(mine.map { seconds($0.copy) })
    let rerun = median(mine.map { seconds($0.rerun.total) })
    let ratio = median(mine.map { seconds($0.copy) / seconds($0.kilde.total) })
    let share = median(mine.map { seconds($0.rerun.total) / seconds($0.kilde.total) })
    print("")
    print("write method \(method.rawValue) (medians of \(mine.count)):")
    print(line("Kilde first load (probe+existing+commit)", kilde, data.atomCount))
    print(line("  of which commitSlice", commit, data.atomCount))
    print(line("plain COPY into an identical empty table", copy, data.atomCount))
    print(String(format: "  Kilde / COPY throughput                      %5.1f %%   (target >= 80 %%)", 100 * ratio))
    print(String(format: "  stable re-run (probe -> skip)                %7.2f s   %d slices skipped, 0 rows written", rerun, data.regions.count))
    print(String(format: "  re-run / first load time                     %5.1f %%   (target < 10 %%)", 100 * share))
}
if methods.count > 1 {
    let fastest = methods.min { a, b in
        median(trials.filter { $0.method == a }.map { seconds($0.kilde.total) }) < median(trials.filter { $0.method == b }.map { seconds($0.kilde.total) })
    }
    print("\nfastest first load (median): \(fastest?.rawValue ?? "-")")
}
