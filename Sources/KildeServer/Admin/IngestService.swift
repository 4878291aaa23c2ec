import Foundation
import KildeCore
import KildeIngest
import KildeOrchestration
import KildeStore
import KildeUpstream
import Logging

/// Queues the ingests the admin endpoint and the explorer accept, in the store's work queue, and answers with the
/// run a worker started for each.
///
/// The server's own ``Worker`` (in its service group) is woken at once, so an ingest usually starts within
/// milliseconds; on PostgreSQL any other worker may claim it first. ``submit(dataset:request:explorer:)`` returns
/// once the job's run exists (so the caller can answer `202 {runId}`), or with the problem that kept it from
/// starting, as the in-process queue before it did.
public final class IngestService: Sendable {
    public let queue: any WorkQueueStore
    public let registry: Registry
    /// The server's worker: woken when a job is queued; the explorer's jobs are pinned to it (they spend its budget).
    public let worker: Worker
    /// How long ``submit(dataset:request:explorer:)`` waits for a worker to claim the job.
    public let startTimeout: Duration
    /// How long it then waits for the claimed job to plan its run (read the upstream's metadata, with retries).
    public let planTimeout: Duration

    public init(queue: any WorkQueueStore, registry: Registry, worker: Worker, startTimeout: Duration = .seconds(30),
                planTimeout: Duration = .seconds(900)) {
        self.queue = queue
        self.registry = registry
        self.worker = worker
        self.startTimeout = startTimeout
        self.planTimeout = planTimeout
    }

    /// An ingest service over `store` with its worker: the worker runs the pipeline's ingests and the marts they feed,
    /// counts them in `metrics`, and pays for the explorer's ingests with `explorerBudget`.
    public static func inProcess(store: any FactStore, pipeline: IngestPipeline, seed: KommuneSeed, metrics: ServerMetrics,
                                 explorerBudget: RequestBudget? = nil, configuration: Worker.Configuration = .init()) -> IngestService {
        let registry = pipeline.registry
        let runner = JobRunner(pipeline: pipeline, marts: MartRefresh(store: store, seed: seed, registry: registry), queue: store,
                               explorerBudget: explorerBudget) { report in
            func source(_ dataset: String) -> String {
                registry.dataset(key: dataset).flatMap { registry.source(id: $0.sourceID)?.key } ?? "unknown"
            }
            switch report {
            case .ran(let dataset, let result):
                let c = result.counters
                metrics.addIngestRows(["added": c.added, "updated": c.updated, "identical": c.skippedIdentical, "deleted": c.deleted])
                metrics.addUpstream(source: source(dataset), requests: result.slices.map(\.upstreamRequests).reduce(0, +), errors: result.failed.count)
                metrics.countIngestRun(status: result.status.rawValue)
            case .notStarted:
                metrics.countIngestRun(status: "not_started")
            case .retrying(let dataset):
                metrics.addUpstream(source: source(dataset), requests: 0, errors: 1)
            }
        }
        return IngestService(queue: store, registry: registry, worker: Worker(queue: store, runner: runner, configuration: configuration))
    }

    /// Queues an ingest of `dataset` (its default plan, narrowed to `request`) and returns the run a worker started.
    /// - Parameters:
    ///   - request: the selection as asked (checked by the caller); the whole plan by default.
    ///   - explorer: an ingest the explorer asked for: run by this server's worker, on its upstream budget.
    /// - Throws: ``APIError``: 400 for an unknown dataset or a selected filter no planned slice covers (naming
    ///   its axis), 409 when a run already holds the same slices, 502 when the upstream cannot be planned
    ///   against, 503 when no worker claimed it in time (it stays queued).
    public func submit(dataset key: String, request: SelectionRequest = SelectionRequest(), explorer: Bool = false) async throws(APIError) -> Int64 {
        let dataset = try registry.apiDataset(key: key)
        let id: Int64
        do {
            let job = try IngestJob.request(dataset, job: IngestJob(selection: request, explorer: explorer), wave: "\(explorer ? "explorer" : "admin") \(UUID().uuidString)",
                                            reason: explorer ? "explorer" : "admin ingest", retries: false, pinnedTo: explorer ? worker.configuration.name : nil)
            guard let queued = try await queue.enqueue([job]).first else { throw StoreError(.other, "the queue returned no job") }
            id = queued
        } catch {
            throw APIError(.internalServerError, title: "Store error", detail: "the ingest could not be queued: \(error)")
        }
        worker.wake()
        // An unclaimed job times out soon; a claimed one is being planned (metadata first, with retries): longer.
        let deadline = ContinuousClock.now + startTimeout
        let planned = ContinuousClock.now + startTimeout + planTimeout
        while !Task.isCancelled && ContinuousClock.now < planned {
            let job: QueuedJob?
            do { job = try await queue.job(id: id) } catch {
                throw APIError(.internalServerError, title: "Store error", detail: "job \(id): \(error)")
            }
            if let job {
                if let run = job.runID { return run }
                if job.status == .failed { throw Self.apiError(job) }
                if job.status == .queued && job.attempts == 0 && ContinuousClock.now >= deadline {
                    throw APIError(.serviceUnavailable, title: "No worker free",
                                   detail: "the ingest is queued as job \(id), but no worker took it within \(startTimeout); it runs when one is free (kilde jobs)")
                }
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        throw APIError(.serviceUnavailable, title: "Not started",
                       detail: "the ingest is queued as job \(id), but its run did not start while this request waited (kilde jobs shows it)")
    }

    /// Why a job could not start, as an HTTP problem.
    static func apiError(_ job: QueuedJob) -> APIError {
        let failure = JobFailure(stored: job.errorCode ?? "")
        let detail = job.error ?? "job \(job.id) failed"
        if failure.is(.activeRun) {
            return APIError(.conflict, title: "Run already active", detail: detail, runID: failure.activeRun)
        }
        if failure.is(.unknownDataset) || failure.is(.invalidSlice) { return .invalidParameter(failure.axis ?? "dataset", detail) }
        if failure.is(.filterNotPlanned) { return .invalidParameter(failure.axis ?? "filters", detail) }
        if failure.is(.store) || failure.is(.storeUnreachable) { return APIError(.internalServerError, title: "Store error", detail: detail) }
        return APIError(.badGateway, title: "Upstream error", detail: detail)
    }
}
