import ArgumentParser
import Foundation
import KildeIngest
import KildeOrchestration
import KildeServer
import KildeStore
import Logging
import ServiceLifecycle

/// `kilde worker`: runs the store's work queue (and its scheduler) until SIGINT or SIGTERM.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run queued ingests and mart rebuilds, and queue scheduled and released ones, until stopped.",
        discussion: """
            Any number of workers may share one PostgreSQL store, on any hosts: they claim jobs with FOR UPDATE SKIP \
            LOCKED, heartbeat while a job runs, and take over a job whose worker stopped heartbeating for --stale-after \
            seconds. An embedded SQLite store has one scheduler: a second worker or server says so and exits. \
            `kilde enqueue` queues work; `kilde jobs` lists the queue. SIGINT or SIGTERM: no new claims, running jobs finish.
            """)

    @OptionGroup var worker: WorkerOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var upstream: UpstreamOptions

    func run() async throws {
        try await reporting {
            let (options, demo) = (worker, store.demo)
            let (store, upstream) = (store, upstream)
            try await withSimulator(if: demo, registry: try store.registry()) { simulator in
                try await IngestSession.with(store: store, upstream: upstream, simulator: simulator) { session in
                    _ = try await session.store.migrate(catalog: session.registry.catalog)
                    let service = IngestService.inProcess(store: session.store, pipeline: session.pipeline, seed: try session.kommuneSeed(),
                                                          metrics: ServerMetrics(), configuration: options.configuration)
                    let (services, lock) = try options.services(session, worker: service.worker)
                    printErr("\(demo ? "DEMO DATA — " : "")kilde worker \(service.worker.configuration.name) on \(session.store.location): "
                             + "\(options.concurrency) at once\(options.noScheduler ? "" : ", scheduler on") — Ctrl-C to stop\n")
                    var logger = Logger(label: "kilde.worker")
                    logger.logLevel = .notice
                    let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
                    try await group.run()
                    withExtendedLifetime(lock) {}
                }
            }
        }
    }
}

/// The worker's and scheduler's options, shared by `kilde worker`, `kilde serve` and `kilde up`.
struct WorkerOptions: ParsableArguments {
    @Option(name: .long, help: "Jobs a worker runs at once.")
    var concurrency = 2

    @Option(name: .long, help: "Seconds between a running job's heartbeats.")
    var heartbeat = 5.0

    @Option(name: .long, help: "Seconds without a heartbeat after which another worker takes a job over.")
    var staleAfter = 30.0

    @Option(name: .long, help: "Seconds between an idle worker's looks at the queue.")
    var poll = 0.5

    @Flag(name: .long, help: "Run no scheduler here (no cron schedules, no release sensors): only queued work.")
    var noScheduler = false

    func validate() throws {
        guard concurrency >= 1, heartbeat > 0, poll > 0, staleAfter > heartbeat else {
            throw ValidationError("--concurrency must be at least 1, --heartbeat and --poll above 0, --stale-after above --heartbeat")
        }
    }

    var configuration: Worker.Configuration {
        var c = Worker.Configuration()
        c.concurrency = concurrency
        c.heartbeatInterval = .milliseconds(Int64(heartbeat * 1000))
        c.staleAfter = .milliseconds(Int64(staleAfter * 1000))
        c.pollInterval = .milliseconds(Int64(poll * 1000))
        return c
    }

    /// The worker and, unless `--no-scheduler`, a scheduler that wakes it. On an embedded store the scheduler takes the
    /// store's scheduler lock first (returned; hold it while they run).
    /// - Throws: ``CLIError`` `.activeRun` when another process already schedules this embedded store.
    func services(_ session: IngestSession, worker: Worker) throws -> ([any Service], SchedulerLock?) {
        guard !noScheduler else { return ([worker], nil) }
        var lock: SchedulerLock?
        if case .sqlite(let path) = session.location {
            do { lock = try SchedulerLock(storePath: path) } catch let held as SchedulerLock.Held {
                throw CLIError(.activeRun, held.description)
            }
        }
        let scheduler = Scheduler(store: session.store, pipeline: session.pipeline) { _ in worker.wake() }
        return ([worker, scheduler], lock)
    }
}
