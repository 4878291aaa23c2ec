import Foundation
import KildeCore

/// The work queue (SPEC §8): materialisations waiting to run, claimed by workers with row locks.
///
/// On PostgreSQL any number of workers on any number of hosts claim with `FOR UPDATE SKIP LOCKED`; on SQLite one
/// process schedules and works. A claim is held by heartbeats: a claim whose worker stopped heartbeating for longer
/// than the claimer's `staleAfter` is taken over by the next claim, and the run the stopped worker had started is
/// retired (marked `error`) in the same transaction, so its slices can be run again.
public protocol WorkQueueStore: Sendable {
    /// Queues `jobs`. A job whose ``JobRequest/dedupeKey`` is already queued (or ran) is not queued again.
    /// - Returns: the id of each job, in order: the new job's, or the earlier job's with the same dedupe key.
    func enqueue(_ jobs: [JobRequest]) async throws -> [Int64]

    /// Claims the oldest due job (queued, its `not_before` passed, not pinned to another worker) for `worker`: one statement, with
    /// `FOR UPDATE SKIP LOCKED` on PostgreSQL, so concurrent claimers never wait for each other or take the same job.
    /// - Parameter worker: the claimer, e.g. `host:pid`; the claim's token (``ClaimedJob/token``) adds the job and attempt.
    /// - Returns: `nil` when no job is due.
    func claim(worker: String) async throws -> ClaimedJob?

    /// Puts back in the queue every running job whose claim has not heartbeated for `staleAfter` (its worker was
    /// killed, or lost the store), and retires the run each such claim had started (marked `error`, naming the
    /// claim), in one transaction. Any worker may sweep; the store's clock decides what is stale.
    /// - Parameter sparing: claims the sweeper knows are alive (its own running jobs, whose heartbeats a busy store
    ///   may have delayed): never put back.
    /// - Returns: the jobs put back.
    @discardableResult
    func requeueStale(staleAfter: Duration, sparing: Set<String>) async throws -> [Int64]

    /// Renews a claim's heartbeat. Returns `false` when the claim was lost (taken over after going stale).
    func heartbeat(_ claim: ClaimedJob) async throws -> Bool

    /// Ends a claim: done, failed for good, or back in the queue until `retryAt`. Nothing happens when the claim
    /// was lost meanwhile. Returns whether the claim was still held.
    @discardableResult
    func finish(_ claim: ClaimedJob, _ outcome: JobOutcome) async throws -> Bool

    /// One job, or `nil`.
    func job(id: Int64) async throws -> QueuedJob?

    /// The newest jobs first; only those with `status` when given.
    func jobs(limit: Int, status: JobStatus?) async throws -> [QueuedJob]

    /// Every job of one wave.
    func jobs(wave: String) async throws -> [QueuedJob]

    /// A scheduler cursor (a schedule's last evaluated tick, a sensor's last seen release); `nil` when never set.
    func cursor(_ name: String) async throws -> String?

    /// Moves a cursor from `expected` (`nil`: not set yet) to `value` and queues `jobs` in one transaction, only when
    /// the cursor still holds `expected`: two schedulers evaluating the same tick queue its jobs once.
    /// - Returns: the queued jobs' ids when this call moved the cursor; `nil` when another got there first.
    @discardableResult
    func advanceCursor(_ name: String, from expected: String?, to value: String, enqueue jobs: [JobRequest]) async throws -> [Int64]?
}

/// What a job materialises.
public enum JobKind: String, Sendable, Hashable, Codable {
    /// An ingest of a dataset (its plan, narrowed by the job's selection).
    case ingest
    /// A mart rebuild, after the ingests of a wave that feed it.
    case mart
}

/// Where a job is in its life.
public enum JobStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case queued, running, done, failed
}

/// A job to queue.
public struct JobRequest: Sendable, Hashable {
    public var kind: JobKind
    /// The dataset key, or the mart's asset key.
    public var asset: String
    /// The job's parameters as canonical JSON (an ingest's selection: `years`, `filters`, `metric`).
    public var payload: String
    /// Jobs queued together (one schedule tick, one `kilde enqueue`): a mart rebuilds once after a wave's inputs.
    public var wave: String?
    /// A job with the same key is queued only once (a schedule tick, a sensor release, a wave's mart).
    public var dedupeKey: String?
    /// Why it was queued, for people: `schedule 2026-12-01T04:00:00Z`, `release 2026-03-17T08:00:00Z`, `admin`.
    public var reason: String
    /// Attempts in all before it fails for good.
    public var maxAttempts: Int
    /// Retry waits: the dataset's policy.
    public var retry: AssetRetryPolicy
    /// Only this worker may claim it (the server's own worker, for the explorer's ingests, which spend its budget).
    public var pinnedTo: String?

    public init(kind: JobKind, asset: String, payload: String = "{}", wave: String? = nil, dedupeKey: String? = nil, reason: String,
                retry: AssetRetryPolicy = AssetRetryPolicy(attempts: 1), pinnedTo: String? = nil) {
        self.kind = kind
        self.asset = asset
        self.payload = payload
        self.wave = wave
        self.dedupeKey = dedupeKey
        self.reason = reason
        self.maxAttempts = retry.attempts
        self.retry = retry
        self.pinnedTo = pinnedTo
    }
}

/// A job as the queue holds it.
public struct QueuedJob: Sendable, Hashable, Codable {
    public var id: Int64
    public var kind: JobKind
    public var asset: String
    public var payload: String
    public var wave: String?
    public var reason: String
    public var status: JobStatus
    public var attempts: Int
    public var maxAttempts: Int
    public var backoffSeconds: Double
    public var notBefore: String
    public var enqueuedAt: String
    /// The token of the current or last claim (``ClaimedJob/token``).
    public var claimedBy: String?
    public var heartbeatAt: String?
    public var finishedAt: String?
    /// The run the last attempt started: recorded when the attempt ends, and while it runs the run whose owner is
    /// the claim's token.
    public var runID: Int64?
    /// Whether the job's run changed stored rows (`nil` until it ends, and for a job that started no run).
    public var changed: Bool?
    public var error: String?
    /// Why the last attempt could not start, as a code (an ingest's ``IngestError`` code, e.g. `activeRun`).
    public var errorCode: String?
}

/// A claim held by one worker.
public struct ClaimedJob: Sendable, Hashable {
    public var job: QueuedJob
    /// Identifies this claim (`job<id>.<attempt>@<worker>`): heartbeats and finishing check it, and the run the
    /// claim starts carries it as its owner, so a takeover can retire that run.
    public var token: String
}

/// How a claim ended.
public enum JobOutcome: Sendable, Hashable {
    /// The job ran (its run, if it started one); `changed` says whether it changed stored rows.
    case done(runID: Int64?, changed: Bool)
    /// The attempt failed (after starting `runID`, if it did): the job is queued again, not claimed for
    /// `retryAfter` seconds; or, with `retryAfter` `nil`, it fails for good.
    case failed(error: String, code: String?, retryAfter: Double?, runID: Int64?)
}
