import ArgumentParser
import KildeCore
import KildeStore

struct Runs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List recent ingest runs.")

    @Option(name: .long, help: "How many runs to show.")
    var limit = 20

    @OptionGroup var store: StoreOptions

    func run() async throws {
        try await reporting {
            let runs = try await withStore(store) { try await $0.runs(limit: limit) }
            let table = TextTable(
                header: ["id", "dataset", "status", "slices", "added", "updated", "identical", "removed", "started_at", "error"],
                rows: runs.map { r in
                    [String(r.id), r.dataset, r.status.rawValue, "\(r.slicesDone)/\(r.slicesTotal)", String(r.rowsAdded), String(r.rowsUpdated),
                     String(r.rowsSkippedIdentical), String(r.rowsDeleted), r.startedAt ?? "", String((r.errorMessage ?? "").prefix(80))]
                })
            printOut(table.render(store.json ? .json : .table))
        }
    }
}

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show one run: status, counters, per-slice metrics and phase detail.")

    @Argument(help: "Run id.")
    var runID: Int64

    @OptionGroup var store: StoreOptions

    func run() async throws {
        try await reporting {
            guard let r = try await withStore(store, { try await $0.run(id: runID) }) else {
                throw CLIError(.usage, "no run \(runID) in \(try store.location)")
            }
            let fields: [(String, String)] = [
                ("id", String(r.id)), ("dataset", r.dataset), ("source", r.sourceKey), ("status", r.status.rawValue),
                ("owner", r.owner ?? ""), ("started_at", r.startedAt ?? ""), ("finished_at", r.finishedAt ?? ""),
                ("slices", "\(r.slicesDone)/\(r.slicesTotal)"), ("rows_added", String(r.rowsAdded)), ("rows_updated", String(r.rowsUpdated)),
                ("rows_skipped_identical", String(r.rowsSkippedIdentical)), ("rows_deleted", String(r.rowsDeleted)),
                ("rows_upserted", String(r.rowsUpserted)), ("api_total", formatNumber(r.apiTotal)),
                ("transformed_row_count", r.transformedRowCount.map(String.init) ?? ""), ("slice_hash", r.sliceHash),
                ("years", r.yearFirst.map { "\($0)–\(r.yearLast ?? $0)" } ?? "all"), ("error", r.errorMessage ?? ""),
                ("phase_detail", r.phaseDetail ?? ""), ("per_slice_metrics", r.perSliceMetrics ?? ""),
            ]
            if store.json {
                printOut("{" + fields.map { k, v in
                    let raw = (k == "phase_detail" || k == "per_slice_metrics") && !v.isEmpty
                    return "\(TextTable.jsonString(k)):\(raw ? v : TextTable.jsonValue(v))"
                }.joined(separator: ",") + "}\n")
            } else {
                let width = fields.map(\.0.count).max() ?? 0
                printOut(fields.map { $0.0 + String(repeating: " ", count: width - $0.0.count) + "  " + $0.1 }.joined(separator: "\n") + "\n")
            }
        }
    }
}
