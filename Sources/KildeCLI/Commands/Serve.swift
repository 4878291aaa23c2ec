import ArgumentParser
import Foundation
import Hummingbird
import KildeCatalog
import KildeCore
import KildeIngest
import KildeServer
import KildeSimulator
import KildeStore
import Logging

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the web explorer (catalogue, map, explore, runs) and the /v1 read API.",
        discussion: """
            Read-only unless an ingest key is set (--ingest-key or KILDE_INGEST_KEY): then POST /v1/admin/ingest with the
            header x-ingest-key queues ingests, and the explorer offers to fetch empty slices. The server runs a worker of
            the store's work queue and its scheduler (cron schedules, release sensors; --no-scheduler: none), as
            `kilde worker` does.
            With --demo it serves the demo store, and ingests go to the built-in simulator.
            API reference with try-it forms: /api; OpenAPI: /v1/openapi.json; metrics: /metrics; health: /healthz.
            """)

    @OptionGroup var server: ServeOptions
    @OptionGroup var worker: WorkerOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var upstream: UpstreamOptions

    func run() async throws {
        try await reporting {
            let (serverOptions, workerOptions) = (server, worker)
            let demo = store.demo
            let (store, upstream) = (store, upstream)
            try await withSimulator(if: demo, registry: try store.registry()) { simulator in
                try await IngestSession.with(store: store, upstream: upstream, simulator: simulator) { session in
                    _ = try await session.store.migrate(catalog: session.registry.catalog)
                    try await serveExplorer(session, options: serverOptions, worker: workerOptions, demo: demo)
                }
            }
        }
    }
}

/// `kilde serve`'s listening options, shared with `kilde up`.
struct ServeOptions: ParsableArguments {
    @Option(name: .long, help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(name: .long, help: "Port to listen on (0 picks a free one).")
    var port = 8080

    @Option(name: .long, help: "Enables POST /v1/admin/ingest with this key in x-ingest-key. Also KILDE_INGEST_KEY.")
    var ingestKey: String?

    @Flag(name: .long, help: ArgumentHelp(
        "Let the explore page fetch an empty slice it shows (needs an ingest key, which signs each page's offer).",
        discussion: "Only from the explorer's own pages, only the slice a page shows while it is empty, within a per-client rate and an upstream budget."))
    var exploreIngest = false

    @Option(name: .long, help: "Explorer ingests one client may start per hour (with --explore-ingest).")
    var exploreIngestPerClient = ExploreIngestPolicy().perClient

    @Option(name: .long, help: "Upstream requests all explorer ingests together may make per hour (with --explore-ingest).")
    var exploreUpstreamPerHour = ExploreIngestPolicy().upstreamRequestsPerHour

    @Option(name: .long, help: "An origin allowed by CORS (default: any, *; routes that write allow only origins named here). Repeatable.")
    var corsOrigin: [String] = []

    @Option(name: .long, help: "Seconds a connection may stay without a request in progress (slow or idle clients are closed after it).")
    var idleTimeout = Int(ServerConfiguration().idleTimeout.components.seconds)

    @Option(name: .long, help: "Connections served at once; more wait to be accepted.")
    var maxConnections = ServerConfiguration().maxConnections

    @Option(name: .long, help: "MiB of memory for kept /v1/facts answers, valid until the store changes (0: compute every answer).")
    var responseCacheMb = ServerConfiguration.defaultResponseCacheBytes >> 20

    func validate() throws {
        guard exploreIngestPerClient >= 1, exploreUpstreamPerHour >= 1 else {
            throw ValidationError("--explore-ingest-per-client and --explore-upstream-per-hour must be at least 1")
        }
        guard idleTimeout >= 1, maxConnections >= 1 else { throw ValidationError("--idle-timeout and --max-connections must be at least 1") }
    }

    var configuration: ServerConfiguration {
        var c = ServerConfiguration()
        c.host = host
        c.port = port
        c.ingestKey = ingestKey ?? ProcessInfo.processInfo.environment["KILDE_INGEST_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        if !corsOrigin.isEmpty { c.corsOrigins = corsOrigin }
        if exploreIngest {
            var policy = ExploreIngestPolicy()
            policy.perClient = exploreIngestPerClient
            policy.upstreamRequestsPerHour = exploreUpstreamPerHour
            c.exploreIngest = policy
        }
        c.responseCacheBytes = max(0, responseCacheMb) << 20
        c.idleTimeout = .seconds(idleTimeout)
        c.maxConnections = maxConnections
        return c
    }
}

/// Runs `body` with the built-in simulator's base URLs when `demo`, else with none; the simulator lives as long as
/// `body`.
func withSimulator<T>(if demo: Bool, registry: Registry, _ body: ([String: String]) async throws -> T) async throws -> T {
    guard demo else { return try await body([:]) }
    return try await RunningSimulator.with(registry: registry) { sim in try await body(sim.baseURLs) }
}

/// Serves the explorer over the session's store, with a worker of its queue and (unless `--no-scheduler`) its
/// scheduler, until SIGINT or SIGTERM; running jobs finish first.
func serveExplorer(_ session: IngestSession, options: ServeOptions, worker: WorkerOptions, demo: Bool) async throws {
    let configuration = options.configuration
    let metrics = ServerMetrics()
    let seed = try session.kommuneSeed()
    let map: KommuneMap
    do { map = try KommuneMap.bundled() } catch { throw CLIError(.usage, "\(error)") }
    if configuration.exploreIngest != nil && configuration.ingestKey == nil {
        throw CLIError(.usage, "--explore-ingest needs an ingest key (--ingest-key or KILDE_INGEST_KEY): the server signs each page's offer with it")
    }
    let explore = configuration.ingestKey.flatMap { key in configuration.exploreIngest.map { ExploreIngestGuard(policy: $0, ingestKey: key) } }
    let service = IngestService.inProcess(store: session.store, pipeline: session.pipeline, seed: seed, metrics: metrics,
                                          explorerBudget: explore?.budget, configuration: worker.configuration)
    let (services, lock) = try worker.services(session, worker: service.worker)
    defer { withExtendedLifetime(lock) {} }
    let context = ServerContext(store: session.store, registry: session.registry, ingest: configuration.ingestKey == nil ? nil : service,
                                ingestKey: configuration.ingestKey,
                                exploreIngest: explore, metrics: metrics, map: map, responseCacheBytes: configuration.responseCacheBytes)
    var logger = Logger(label: "kilde.server")
    logger.logLevel = .notice
    let app = KildeServer.application(context, configuration: configuration, services: services, logger: logger) { port in
        printOut("\(demo ? "DEMO DATA — " : "")Kilde explorer: http://\(configuration.host):\(port)/  (API: /v1, reference: /api, OpenAPI: /v1/openapi.json)"
                 + "\(configuration.ingestKey == nil ? "" : "; admin ingest enabled")\(explore == nil ? "" : "; explorer ingest enabled") — Ctrl-C to stop\n")
    }
    try await app.runService()
}
