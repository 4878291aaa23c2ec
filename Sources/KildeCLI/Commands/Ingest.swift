import ArgumentParser
import Foundation
import KildeCore
import KildeIngest
import KildeStore

struct Ingest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ingest one dataset (its default slice plan) into the store.",
        discussion: "Datasets are listed by `kilde catalog`. Exit code 1 when a slice failed (the others are still written).")

    @Argument(help: "Dataset key, e.g. ssb-12058.")
    var dataset: String

    @Option(name: .long, help: "Only these years, e.g. 2020-2024 or 2023.")
    var years: String?

    @OptionGroup var store: StoreOptions
    @OptionGroup var upstream: UpstreamOptions

    func run() async throws {
        try await reporting {
            let window = try years.map(parseYears)
            let result = try await IngestSession.with(store: store, upstream: upstream) { session in
                _ = try await session.store.migrate(catalog: session.registry.catalog)
                let bar = ProgressBar(label: dataset, quiet: store.json)
                return try await ingest(session, dataset: dataset, years: window, bar: bar)
            }
            if store.json { printOut(IngestReport.json(result) + "\n") }
            if result.status != .complete { throw ExitCode(CLIError.Kind.slicesFailed.rawValue) }
        }
    }
}

/// Runs the default plan of `dataset`, restricted to `years` when given.
func ingest(_ session: IngestSession, dataset: String, years: YearWindow?, bar: ProgressBar) async throws -> IngestResult {
    let pipeline = session.pipeline
    guard let years else { return try await pipeline.run(dataset: dataset) { bar.handle($0) } }
    // Restricting years re-plans the default slices with the narrower window.
    return try await pipeline.run(dataset: dataset, years: years) { bar.handle($0) }
}

func parseYears(_ text: String) throws -> YearWindow {
    let parts = text.split(separator: "-").map { Int($0.trimmingCharacters(in: .whitespaces)) }
    switch parts.count {
    case 1: if let y = parts[0] { return YearWindow(first: y, last: y) }
    case 2: if let a = parts[0], let b = parts[1] { return YearWindow(first: a, last: b) }
    default: break
    }
    throw CLIError(.usage, "years must look like 2023 or 2015-2024, not '\(text)'")
}

/// JSON for an ingest result.
enum IngestReport {
    static func json(_ r: IngestResult) -> String {
        let c = r.counters
        return CanonicalJSON.object([
            ("run_id", String(r.runID)), ("status", CanonicalJSON.string(r.status.rawValue)),
            ("rows_added", String(c.added)), ("rows_updated", String(c.updated)),
            ("rows_skipped_identical", String(c.skippedIdentical)), ("rows_deleted", String(c.deleted)),
            ("slices", CanonicalJSON.array(r.slices.map(\.metricsJSON))),
        ])
    }
}
