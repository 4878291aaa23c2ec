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

    @Flag(name: .long, help: ArgumentHelp(
        "Report to Dagster over the Pipes protocol (DAGSTER_PIPES_CONTEXT, DAGSTER_PIPES_MESSAGES): progress as logs, the materialisation with row counts and the latest period, the mart's data tests as checks.",
        discussion: "For a Dagster asset that runs `kilde ingest … --pipes` with PipesSubprocessClient; see the README's Dagster section."))
    var pipes = false

    func run() async throws {
        try await reporting {
            let dagster = try pipes ? DagsterReporter.open(dataset: dataset) : nil
            let result: IngestResult
            do {
                result = try await IngestSession.with(store: store, upstream: upstream) { session in
                    let chosen = try selection.resolve(dataset: dataset, registry: session.registry)
                    _ = try await session.store.migrate(catalog: session.registry.catalog)
                    let bar = ProgressBar(label: dataset, quiet: store.json)
                    let (run, mart) = try await ingest(session, dataset: dataset, selection: chosen, bar: bar, log: dagster?.log,
                                                       martRequested: dagster?.materializesMart == true)
                    if let dagster {
                        let latest = try await session.latestPeriod(dataset: dataset)
                        let record = try await session.materialization(asset: dataset, runID: run.runID)
                        let martRecord = if let mart { try await session.materialization(asset: KommuneIndicatorMart.asset, runID: mart.runID) } else { nil as Materialization? }
                        try dagster.materialized(run, latestPeriod: latest, record: record, mart: mart, martRecord: martRecord)
                    }
                    return run
                }
            } catch {
                dagster?.closed(CLIError.from(error))
                throw error
            }
            if store.json { printOut(IngestReport.json(result) + "\n") }
            guard result.status == .complete else {
                let first = result.failed.first?.error.map { ": \($0.description)" } ?? ""
                dagster?.closed(CLIError(.slicesFailed, "\(result.failed.count) of \(result.slices.count) slices failed\(first)"))
                throw ExitCode(CLIError.Kind.slicesFailed.rawValue)
            }
            dagster?.closed()
        }
    }
}

/// Runs the default plan of `dataset`, narrowed to `selection`, then rebuilds the marts it feeds.
/// - Parameter log: also sees every event (`--pipes` sends them to Dagster as logs).
/// - Parameter martRequested: the caller asked for the mart too (a Dagster step materialising it): it is built after a
///   complete ingest of one of its inputs even when no input changed.
func ingest(_ session: IngestSession, dataset: String, selection: SliceSelection, bar: ProgressBar,
            log: (@Sendable (IngestEvent) -> Void)? = nil, martRequested: Bool = false) async throws -> (IngestResult, MartBuildReport?) {
    let result = try await session.pipeline.run(dataset: dataset, selection: selection) { event in
        bar.handle(event)
        log?(event)
    }
    let mart = try await refreshMarts(session, after: [(result, dataset)], quiet: bar.quiet, force: martRequested)
    return (result, mart)
}

/// Marts are rebuilt after each successful materialisation of one of their inputs that changed what they read
/// (SPEC §8); a batch of runs (`kilde up`) rebuilds them once, after the last.
/// - Parameter force: build even when no input changed (after a complete run of an input).
/// - Returns: the build, when one ran.
@discardableResult
func refreshMarts(_ session: IngestSession, after runs: [(result: IngestResult, dataset: String)], quiet: Bool, force: Bool = false) async throws -> MartBuildReport? {
    let refresh = MartRefresh(store: session.store, seed: try session.kommuneSeed(), registry: session.registry)
    let feeds = runs.contains { $0.result.status == .complete && session.registry.feedsIndicators(dataset: $0.dataset) }
    let built: MartBuildReport?
    if force && feeds {
        built = try await refresh.rebuild(trigger: runs.map { "run \($0.result.runID) (\($0.dataset))" }.joined(separator: ", "))
    } else {
        built = try await refresh.after(runs)
    }
    guard let build = built else { return nil }
    if let failure = build.failureSummary {
        printErr("kilde: mart kommune_indicators (run \(build.runID)): \(failure)\n")
    } else if !quiet {
        printErr("mart kommune_indicators rebuilt (run \(build.runID)): \(build.rows) rows, data tests passed\n")
    }
    return build
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
