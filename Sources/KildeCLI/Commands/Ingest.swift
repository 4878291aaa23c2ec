import ArgumentParser
import Foundation
import KildeCore
import KildeIngest
import KildeStore

struct Ingest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ingest one dataset (its default slice plan, or the part of it selected) into the store.",
        discussion: """
            Datasets are listed by `kilde catalog`. Exit code 1 when a slice failed (the others are still written).
            --filter narrows the plan to the planned slices carrying those filter values, with the tokens `kilde query`
            takes; axes not named are not narrowed; --metric keeps one metric pass. `kilde plan` lists the slices first.
            Example: kilde ingest ssb-12058 --filter region=0301 --years 2020-2024
            """)

    @Argument(help: "Dataset key, e.g. ssb-12058.")
    var dataset: String

    @OptionGroup var selection: SelectionOptions

    @OptionGroup var store: StoreOptions
    @OptionGroup var upstream: UpstreamOptions

    func run() async throws {
        try await reporting {
            let result = try await IngestSession.with(store: store, upstream: upstream) { session in
                let chosen = try selection.resolve(dataset: dataset, registry: session.registry)
                _ = try await session.store.migrate(catalog: session.registry.catalog)
                let bar = ProgressBar(label: dataset, quiet: store.json)
                return try await ingest(session, dataset: dataset, selection: chosen, bar: bar)
            }
            if store.json { printOut(IngestReport.json(result) + "\n") }
            if result.status != .complete { throw ExitCode(CLIError.Kind.slicesFailed.rawValue) }
        }
    }
}

/// Runs the default plan of `dataset`, narrowed to `selection`, then rebuilds the marts it feeds.
func ingest(_ session: IngestSession, dataset: String, selection: SliceSelection, bar: ProgressBar) async throws -> IngestResult {
    let result = try await session.pipeline.run(dataset: dataset, selection: selection) { bar.handle($0) }
    try await refreshMarts(session, after: [(result, dataset)], quiet: bar.quiet)
    return result
}

/// Marts are rebuilt after each successful materialisation of one of their inputs (SPEC §8); a batch of runs
/// (`kilde up`) rebuilds them once, after the last.
func refreshMarts(_ session: IngestSession, after runs: [(result: IngestResult, dataset: String)], quiet: Bool) async throws {
    guard let build = try await MartRefresh(store: session.store, seed: try session.kommuneSeed(), registry: session.registry).after(runs) else { return }
    if let failure = build.failureSummary {
        printErr("kilde: mart kommune_indicators (run \(build.runID)): \(failure)\n")
    } else if !quiet {
        printErr("mart kommune_indicators rebuilt (run \(build.runID)): \(build.rows) rows, data tests passed\n")
    }
}

func parseYears(_ text: String) throws -> YearWindow {
    guard let window = YearWindow(parsing: text) else { throw CLIError(.usage, "years must look like 2023 or 2015-2024, not '\(text)'") }
    return window
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
