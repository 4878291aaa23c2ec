import ArgumentParser
import Foundation
import KildeCore
import KildeIngest
import KildeSimulator
import KildeStore
import KildeUpstream

struct Up: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run Kilde's main job: migrate the embedded store, ingest the default datasets, print what was stored, serve the explorer.",
        discussion: """
            The embedded store lives at $KILDE_HOME/kilde.sqlite (default ~/.local/share/kilde). When the upstream cannot be
            reached, or with --demo, the same job runs against the built-in simulator into kilde-demo.sqlite, and everything
            printed is labelled DEMO DATA: demo and real numbers never share a store. Then it serves the web explorer (see
            `kilde serve`) and prints its URL; --no-serve stops after the ingest.
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var upstream: UpstreamOptions
    @OptionGroup var server: ServeOptions
    @OptionGroup var worker: WorkerOptions

    @Flag(name: .long, help: "Finish after the ingest instead of serving the explorer (for scripts and CI).")
    var noServe = false

    func run() async throws {
        try await reporting {
            var options = store
            if !options.demo {
                let registry = try options.registry()
                let urls = try upstream.baseURLs(registry: registry)
                // The default datasets' sources: when one cannot be reached, the whole job runs on demo data.
                let sources = Set(registry.catalog.datasets.filter(\.isDefault).map(\.sourceID)).compactMap(registry.source(id:))
                for source in sources.sorted(by: { $0.id < $1.id }) {
                    let target = urls[source.key] ?? source.url
                    if let reason = await unreachable(target) {
                        printOut("Upstream \(target) cannot be reached (\(reason)).\nRunning against the built-in simulator instead: everything below is DEMO DATA.\n\n")
                        options.demo = true
                        break
                    }
                }
            }
            let demoStore = options.demo
            let serve = !noServe
            let (serverOptions, workerOptions) = (server, worker)
            let failed = try await withSimulator(if: demoStore, registry: try options.registry()) { simulator in
                try await IngestSession.with(store: options, upstream: upstream, simulator: simulator) { session in
                let report = try await session.store.migrate(catalog: session.registry.catalog)
                printOut("\(demoStore ? "DEMO DATA — " : "")store \(session.location)\(report.applied.isEmpty ? "" : " (migrated: \(report.applied.joined(separator: ", ")))")\n")
                var failed = 0
                // Demo data is labelled so whatever upstream sent it (a simulator named with --sim-url, say): the store knows.
                var demo = demoStore
                var runs: [(result: IngestResult, dataset: String)] = []
                for ds in session.registry.catalog.datasets where ds.isDefault {
                    let bar = ProgressBar(label: ds.key, quiet: false)
                    let result = try await session.pipeline.run(dataset: ds.key, selection: .everything) { bar.handle($0) }
                    runs.append((result, ds.key))
                    failed += result.failed.count
                    if !demo { demo = try await session.store.dataKind() == .demo }
                    try await summarize(ds, result: result, session: session, demo: demo)
                }
                try await refreshMarts(session, after: runs, quiet: false)
                if let example = session.registry.catalog.datasets.first(where: \.isDefault)?.key {
                    printOut("\n\(demo ? "This was DEMO DATA from a simulator. " : "")Query it with: kilde query \(example)\(demoStore ? " --demo" : "") --any region\n")
                }
                // The main job ends by serving what it stored; the simulator stays up for the explorer's ingests.
                if serve { try await serveExplorer(session, options: serverOptions, worker: workerOptions, demo: demo) }
                return failed
            } }
            if failed > 0 { throw ExitCode(CLIError.Kind.slicesFailed.rawValue) }
        }
    }

    /// Why `baseURL` cannot be reached, or `nil` when it answers at all (any HTTP status means it is there).
    func unreachable(_ baseURL: String) async -> String? {
        var config = HTTPFetcher.Configuration()
        config.requestTimeout = .seconds(5)
        config.connectTimeout = .seconds(3)
        config.retry.maxAttempts = 1
        let fetcher = HTTPFetcher(configuration: config)
        let reason: String?
        do {
            _ = try await fetcher.fetch(UpstreamRequest(url: baseURL))
            reason = nil
        } catch let e as UpstreamError {
            reason = e.status == nil ? e.reason : nil
        } catch {
            reason = "\(error)"
        }
        try? await fetcher.shutdown()
        return reason
    }

    /// Prints what a run stored: counters, and the largest values of the latest year.
    func summarize(_ ds: DatasetDefinition, result: IngestResult, session: IngestSession, demo: Bool) async throws {
        let c = result.counters
        let label = demo ? "DEMO DATA " : ""
        printOut("\(label)\(ds.key) (\(ds.title)): run \(result.runID) \(result.status.rawValue); \(c.added) added, \(c.updated) updated, \(c.skippedIdentical) identical, \(c.deleted) removed\n")
        for s in result.failed { printOut("  failed slice \(s.index): \(s.error?.description ?? "")\n") }
        let national = try await session.store.queryFacts(FactQuery(sourceID: ds.sourceID, dimCode: ds.dimCode, anyAxes: [.buildingType]))
        guard let latest = national.compactMap({ Int($0.period) }).max() else { return }
        let top = try await session.store.queryFacts(FactQuery(sourceID: ds.sourceID, dimCode: ds.dimCode, anyAxes: [.buildingType, .region],
                                                               years: YearWindow(first: latest, last: latest)))
            .filter { r in r.regionCode.flatMap { session.registry.filter(source: ds.sourceID, axis: .region, nativeCode: $0) }?.level == .municipality }
            .sorted { ($0.value ?? 0) > ($1.value ?? 0) }
            .prefix(5)
        let rows = national.filter { $0.period == String(latest) }.map { ["Hele landet", $0.category, $0.period, formatNumber($0.value)] }
            + top.map { ["\($0.regionCode ?? "") \($0.region ?? "")", $0.category, $0.period, formatNumber($0.value)] }
        printOut(TextTable(header: ["region", "category", "year", "value"], rows: rows).render(.table).split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n")
        printOut("  \(session.registry.attribution(dataset: ds))\(demo ? " — DEMO DATA, not real numbers" : "")\n")
    }
}
