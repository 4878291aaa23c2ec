import Foundation
import KildeCore
import KildeIngest
import KildeStore
import KildeUpstream
import Logging

/// Runs one claimed job: an ingest through the pipeline (its run owned by the claim), or a mart rebuild; and, when
/// a wave's last input ingest ends, queues the wave's mart rebuild (once, whichever worker gets there).
public struct JobRunner: Sendable {
    /// What became of one ingest job's attempt, for metrics.
    public enum Report: Sendable {
        case ran(dataset: String, IngestResult)
        case notStarted(dataset: String, IngestError)
        /// An upstream request of the job's run is retried.
        case retrying(dataset: String)
    }

    public let pipeline: IngestPipeline
    public let marts: MartRefresh
    public let queue: any WorkQueueStore
    /// Pays for the explorer's ingests (jobs pinned to this process); `nil` runs them unbounded.
    public let explorerBudget: RequestBudget?
    let observe: @Sendable (Report) -> Void
    let logger: Logger

    /// - Parameter observe: sees every ingest attempt's result (the server counts them in its metrics).
    public init(pipeline: IngestPipeline, marts: MartRefresh, queue: any WorkQueueStore, explorerBudget: RequestBudget? = nil,
                logger: Logger = Logger(label: "kilde.worker"), observe: @escaping @Sendable (Report) -> Void = { _ in }) {
        self.pipeline = pipeline
        self.marts = marts
        self.queue = queue
        self.explorerBudget = explorerBudget
        self.logger = logger
        self.observe = observe
    }

    var registry: Registry { pipeline.registry }

    /// Runs the claimed job's attempt and says how it ended (it does not end the claim).
    public func run(_ claim: ClaimedJob) async -> JobOutcome {
        switch claim.job.kind {
        case .ingest: await ingest(claim)
        case .mart: await mart(claim)
        }
    }

    func ingest(_ claim: ClaimedJob) async -> JobOutcome {
        let job = claim.job
        let order: IngestJob
        do { order = try IngestJob(payload: job.payload) } catch {
            return .failed(error: "job \(job.id): its payload is not an ingest job (\(error))", code: IngestError.Code.invalidSlice.description, retryAfter: nil, runID: nil)
        }
        guard let dataset = registry.dataset(key: job.asset) else {
            return .failed(error: "dataset \(job.asset) is not in the catalogue", code: IngestError.Code.unknownDataset.description, retryAfter: nil, runID: nil)
        }
        let selection: SliceSelection
        do { selection = try order.selection.resolve(dataset: dataset, registry: registry) } catch {
            return .failed(error: error.description, code: JobFailure(code: IngestError.Code.invalidSlice.description, axis: error.parameter).stored,
                           retryAfter: nil, runID: nil)
        }
        var pipeline = self.pipeline.owned(by: claim.token)
        if order.explorer, let explorerBudget { pipeline = pipeline.budgeted(explorerBudget) }
        do {
            let observe = self.observe
            let result = try await pipeline.run(dataset: job.asset, selection: selection) { event in
                if case .retrying = event { observe(.retrying(dataset: job.asset)) }
            }
            observe(.ran(dataset: job.asset, result))
            let c = result.counters
            let changed = c.added + c.updated + c.deleted > 0
            if Task.isCancelled { return .failed(error: "the worker stopped during run \(result.runID)", code: IngestError.Code.cancelled.description, retryAfter: 0, runID: result.runID) }
            if result.status == .complete { return .done(runID: result.runID, changed: changed) }
            let message = "run \(result.runID): \(result.failed.count) of \(result.slices.count) slices failed"
            return .failed(error: message, code: nil, retryAfter: retryDelay(job, retryable: true), runID: result.runID)
        } catch let e as IngestError {
            observe(.notStarted(dataset: job.asset, e))
            let failure = JobFailure(e)
            return .failed(error: e.description, code: failure.stored, retryAfter: retryDelay(job, retryable: failure.isRetryable), runID: nil)
        } catch {
            return .failed(error: "\(error)", code: IngestError.Code.unexpected.description, retryAfter: retryDelay(job, retryable: true), runID: nil)
        }
    }

    func mart(_ claim: ClaimedJob) async -> JobOutcome {
        do {
            guard let build = try await marts.rebuildIfChanged(trigger: claim.job.reason) else { return .done(runID: nil, changed: false) }
            if let failure = build.failureSummary {
                logger.error("mart build failed its data tests", metadata: ["run": "\(build.runID)", "failure": "\(failure)"])
                return .failed(error: "run \(build.runID): \(failure)", code: "data tests failed", retryAfter: nil, runID: build.runID)
            }
            return .done(runID: build.runID, changed: build.swapped)
        } catch {
            logger.error("mart build could not run", metadata: ["job": "\(claim.job.id)", "error": "\(error)"])
            return .failed(error: "the mart build could not run: \(error)", code: IngestError.Code.store.description,
                           retryAfter: retryDelay(claim.job, retryable: true), runID: nil)
        }
    }

    /// A mart build that could not run (the store was busy or away) is tried twice more, 10 s and then 20 s later.
    static let martRetry = AssetRetryPolicy(attempts: 3, backoffSeconds: 10)

    /// The wait before the next attempt under the job's policy; `nil` after its last attempt or for a failure that
    /// another attempt cannot mend.
    func retryDelay(_ job: QueuedJob, retryable: Bool) -> Double? {
        guard retryable, job.attempts < job.maxAttempts else { return nil }
        return AssetRetryPolicy(attempts: job.maxAttempts, backoffSeconds: job.backoffSeconds).delay(afterAttempt: job.attempts, random: .random(in: 0..<1))
    }

    /// After an ingest job of a wave ended for good (`job` as it was claimed; the queue holds its end): when no ingest of
    /// the wave is left queued or running and the wave fed the mart, queues the mart's rebuild for the wave. Two workers
    /// ending the wave's last jobs at once may both get here; the wave's dedupe key queues it once. The rebuild itself
    /// does nothing when no input changed.
    public func settle(after job: QueuedJob) async throws {
        guard job.kind == .ingest, let wave = job.wave else { return }
        let jobs = try await queue.jobs(wave: wave).filter { $0.kind == .ingest }
        guard !jobs.contains(where: { $0.status == .queued || $0.status == .running }) else { return }
        let inputs = jobs.filter { registry.feedsIndicators(dataset: $0.asset) }
        guard !inputs.isEmpty else { return }
        let runs = inputs.map { j in j.runID.map { "run \($0) (\(j.asset))" } ?? "job \(j.id) (\(j.asset))" }
        let asset = KommuneIndicatorMart.asset
        _ = try await queue.enqueue([JobRequest(kind: .mart, asset: asset, wave: wave, dedupeKey: "mart:\(asset):\(wave)",
                                                reason: "wave \(wave): " + runs.joined(separator: ", "), retry: Self.martRetry)])
    }
}
