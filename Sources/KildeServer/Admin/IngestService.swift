import KildeCore
import KildeIngest
import KildeStore
import KildeUpstream
import Logging
import ServiceLifecycle

/// Runs the ingests the admin endpoint accepts, in the background, inside the server's service group.
///
/// Each accepted ingest is a child task of ``run()``'s task group, never a detached task: graceful shutdown
/// stops accepting work and waits for the ingests already running. ``submit(dataset:selection:)`` returns as soon
/// as the pipeline has created the run's row (its `.planned` event), so the caller can answer `202 {runId}`.
public final class IngestService: Service, Sendable {
    struct Job: Sendable {
        var dataset: String
        var selection: SliceSelection
        var budget: RequestBudget?
        var reply: AsyncStream<Result<Int64, APIError>>.Continuation
    }

    let pipeline: IngestPipeline
    let marts: MartRefresh
    let metrics: ServerMetrics
    let logger: Logger
    private let jobs: AsyncStream<Job>
    private let intake: AsyncStream<Job>.Continuation

    /// - Parameter marts: where the marts an ingest feeds are rebuilt after it.
    public init(pipeline: IngestPipeline, marts: any MartStore, seed: KommuneSeed, metrics: ServerMetrics, logger: Logger = Logger(label: "kilde.server.ingest")) {
        self.pipeline = pipeline
        self.marts = MartRefresh(store: marts, seed: seed, registry: pipeline.registry)
        self.metrics = metrics
        self.logger = logger
        (jobs, intake) = AsyncStream<Job>.makeStream()
    }

    /// Starts an ingest of `dataset` (its default plan, narrowed to `selection`) and returns its run id.
    /// - Parameters:
    ///   - selection: the filter values and years to ingest. Defaults to the whole plan.
    ///   - budget: pays for the run's upstream requests when given (the explorer's ingests); `nil` is unbounded.
    /// - Throws: ``APIError``: 400 for an unknown dataset or a selected filter no planned slice covers (naming
    ///   its axis), 409 when a run already holds the same slices, 502 when the upstream cannot be planned
    ///   against, 503 when the server is shutting down.
    public func submit(dataset: String, selection: SliceSelection = .everything, budget: RequestBudget? = nil) async throws(APIError) -> Int64 {
        _ = try pipeline.registry.apiDataset(key: dataset)
        let (answer, reply) = AsyncStream<Result<Int64, APIError>>.makeStream()
        if case .terminated = intake.yield(Job(dataset: dataset, selection: selection, budget: budget, reply: reply)) { throw Self.shuttingDown }
        for await result in answer { return try result.get() }
        throw Self.shuttingDown
    }

    static let shuttingDown = APIError(.serviceUnavailable, title: "Shutting down", detail: "the server is shutting down and accepts no new ingests")

    public func run() async throws {
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                for await job in jobs {
                    group.addTask { await self.execute(job) }
                }
            }
        } onGracefulShutdown: {
            // Ends the loop once the accepted jobs are started; the group then waits for them to finish.
            self.intake.finish()
        }
    }

    func execute(_ job: Job) async {
        let source = pipeline.registry.dataset(key: job.dataset).flatMap { pipeline.registry.source(id: $0.sourceID)?.key } ?? "unknown"
        let metrics = self.metrics
        let reply = job.reply
        defer { reply.finish() }
        do {
            let pipeline = job.budget.map(self.pipeline.budgeted) ?? self.pipeline
            let result = try await pipeline.run(dataset: job.dataset, selection: job.selection) { event in
                switch event {
                case .planned(let runID, _, _):
                    reply.yield(.success(runID))
                    reply.finish()
                case .retrying:
                    metrics.addUpstream(source: source, requests: 0, errors: 1)
                default:
                    break
                }
            }
            let c = result.counters
            metrics.addIngestRows(["added": c.added, "updated": c.updated, "identical": c.skippedIdentical, "deleted": c.deleted])
            metrics.addUpstream(source: source, requests: result.slices.map(\.upstreamRequests).reduce(0, +), errors: result.failed.count)
            metrics.countIngestRun(status: result.status.rawValue)
            do {
                if let build = try await marts.after(result, dataset: job.dataset), let failure = build.failureSummary {
                    logger.error("mart build failed its data tests", metadata: ["run": "\(build.runID)", "failure": "\(failure)"])
                }
            } catch {
                logger.error("mart build could not run", metadata: ["error": "\(error)"])
            }
        } catch let e as IngestError {
            metrics.countIngestRun(status: "not_started")
            reply.yield(.failure(Self.apiError(e)))
        } catch {
            metrics.countIngestRun(status: "not_started")
            reply.yield(.failure(APIError(.internalServerError, title: "Ingest failed", detail: "\(error)")))
        }
    }

    /// Why a run could not start, as an HTTP problem.
    static func apiError(_ e: IngestError) -> APIError {
        switch e.code {
        case .activeRun:
            var runID: Int64?
            if let s = e.underlying as? StoreError, case .activeRun(let id) = s.code { runID = id }
            return APIError(.conflict, title: "Run already active", detail: e.description, runID: runID)
        case .unknownDataset, .invalidSlice:
            return .invalidParameter("dataset", e.description)
        case .filterNotPlanned:
            return .invalidParameter((e.underlying as? UnplannedFilter)?.axis.rawValue ?? "filters", e.description)
        case .store, .storeUnreachable:
            return APIError(.internalServerError, title: "Store error", detail: e.description)
        default:
            return APIError(.badGateway, title: "Upstream error", detail: e.description)
        }
    }
}
