import Foundation
import KildeStore
import KildeUpstream
import Logging
import ServiceLifecycle

/// Claims queued jobs from the store and runs them, several at once, heartbeating each claim while it runs.
///
/// Runs inside `kilde serve` and as `kilde worker`; any number of workers may share one PostgreSQL store. A worker
/// also sweeps the queue for claims whose worker stopped heartbeating
/// (``WorkQueueStore/requeueStale(staleAfter:sparing:)``), so a killed worker's job is run again by another; never its
/// own running claims, whose heartbeats a busy store may have held up. It waits for work without busy-polling: a claim is tried when a
/// job was queued in this process (``wake()``), when a running job ends, and every ``Configuration/pollInterval``.
/// On graceful shutdown it stops claiming and lets the running jobs finish.
public final class Worker: Service, Sendable {
    /// Knobs of a worker.
    public struct Configuration: Sendable {
        /// Names this process on its claims (`host:pid`).
        public var name: String = RunOwner.current
        /// Jobs run at once.
        public var concurrency: Int = 2
        /// How often an idle worker looks for jobs queued by other processes.
        public var pollInterval: Duration = .milliseconds(500)
        /// How often a running job's claim is renewed.
        public var heartbeatInterval: Duration = .seconds(5)
        /// A claim not renewed for this long is another worker's to take over.
        public var staleAfter: Duration = .seconds(30)

        public init() {}
    }

    public let configuration: Configuration
    let queue: any WorkQueueStore
    let runner: JobRunner
    let logger: Logger
    private let signals: AsyncStream<Void>
    private let signal: AsyncStream<Void>.Continuation
    /// The tokens of the claims running in this process.
    private let running = Locked<Set<String>>([])

    public init(queue: any WorkQueueStore, runner: JobRunner, configuration: Configuration = .init(), logger: Logger = Logger(label: "kilde.worker")) {
        self.queue = queue
        self.runner = runner
        self.configuration = configuration
        self.logger = logger
        (signals, signal) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Looks for a job now (a job was just queued in this process).
    public func wake() { signal.yield() }

    /// Jobs running now.
    public var runningJobs: Int { running.withLock { $0.count } }

    public func run() async throws {
        let poll = configuration.pollInterval
        let sweepEvery = configuration.staleAfter / 2
        // The clock: a tick every poll interval, until the claiming loop ends.
        let clock = Task { [signal] in
            while !Task.isCancelled {
                try? await Task.sleep(for: poll)
                signal.yield()
            }
        }
        defer { clock.cancel() }
        await withDiscardingTaskGroup { group in
            var lastSweep = ContinuousClock.now - sweepEvery
            await withGracefulShutdownHandler {
                for await _ in signals {
                    if Task.isCancelled { break }
                    if ContinuousClock.now - lastSweep >= sweepEvery {
                        lastSweep = .now
                        await sweep()
                    }
                    while runningJobs < configuration.concurrency, let claim = await claim() {
                        running.withLock { _ = $0.insert(claim.token) }
                        group.addTask {
                            await self.execute(claim)
                            self.running.withLock { _ = $0.remove(claim.token) }
                            self.signal.yield()
                        }
                    }
                }
            } onGracefulShutdown: {
                self.signal.finish()
            }
            // Graceful shutdown: no more claims; the group waits for the running jobs to finish.
            clock.cancel()
        }
    }

    func claim() async -> ClaimedJob? {
        do { return try await queue.claim(worker: configuration.name) } catch {
            logger.error("could not claim a job", metadata: ["error": "\(error)"])
            return nil
        }
    }

    func sweep() async {
        do {
            let requeued = try await queue.requeueStale(staleAfter: configuration.staleAfter, sparing: running.withLock { $0 })
            if !requeued.isEmpty { logger.notice("queued again the jobs of stopped workers", metadata: ["jobs": "\(requeued)"]) }
        } catch {
            logger.error("could not sweep stale claims", metadata: ["error": "\(error)"])
        }
    }

    /// Runs one claim beside its heartbeat; a lost claim (taken over after a stall) cancels the run.
    func execute(_ claim: ClaimedJob) async {
        logger.debug("claimed", metadata: ["job": "\(claim.job.id)", "asset": "\(claim.job.asset)", "token": "\(claim.token)"])
        let outcome = await withTaskGroup(of: JobOutcome?.self) { group in
            group.addTask { await self.runner.run(claim) }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: self.configuration.heartbeatInterval)
                    if Task.isCancelled { break }
                    if (try? await self.queue.heartbeat(claim)) == false {
                        self.logger.error("claim lost: another worker took the job over", metadata: ["job": "\(claim.job.id)"])
                        return nil
                    }
                }
                return nil
            }
            var outcome: JobOutcome?
            for await result in group {
                if let result {
                    outcome = result
                    group.cancelAll()
                } else if outcome == nil && !Task.isCancelled {
                    group.cancelAll()
                }
            }
            return outcome
        }
        guard let outcome else { return }
        do {
            guard try await queue.finish(claim, outcome) else { return }
            // Ended for good (not queued for a retry): the wave may be complete.
            if case .failed(_, _, .some, _) = outcome { return }
            try await runner.settle(after: claim.job)
        } catch {
            logger.error("could not end the claim", metadata: ["job": "\(claim.job.id)", "error": "\(error)"])
        }
    }
}
