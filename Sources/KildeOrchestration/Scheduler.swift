import Foundation
import KildeCore
import KildeIngest
import KildeSources
import KildeStore
import KildeUpstream
import Logging
import ServiceLifecycle

/// Queues materialisations when they are due: each scheduled dataset on its cron line (in its time zone), and each
/// dataset with a release sensor when its upstream publishes a new release.
///
/// What was last evaluated is kept in the store (``WorkQueueStore/cursor(_:)``), so a restart neither misses nor
/// repeats: a schedule that came due while no scheduler ran fires once when one starts (not once per missed tick),
/// and a release seen before a restart is not queued again. Two schedulers on one PostgreSQL queue each tick and
/// release once: a cursor moves only from the value its scheduler read. Between due times it sleeps.
///
/// Scheduled are the default datasets and every dataset that has been materialised: what a store holds is kept
/// fresh, and nothing is fetched that nobody asked for.
public final class Scheduler: Service, Sendable {
    /// Knobs of the scheduler.
    public struct Configuration: Sendable {
        /// The longest sleep between two evaluations (a catalogue schedule is minute-grained).
        public var maxSleep: Duration = .seconds(60)
        /// Whether release sensors are polled.
        public var sensors = true
        public init() {}
    }

    /// Something the scheduler queued.
    public struct Queued: Sendable, Hashable {
        public var dataset: String
        public var job: Int64
        public var reason: String
    }

    let store: any WorkQueueStore & RunStore
    let pipeline: IngestPipeline
    let configuration: Configuration
    let logger: Logger
    let queued: @Sendable (Queued) -> Void
    /// When each sensor polls next (in memory: a restart polls at once, and the stored cursor decides).
    private let nextPoll = Locked<[String: Date]>([:])

    /// - Parameter queued: told of every job queued (the worker in the same process wakes at once).
    public init(store: any WorkQueueStore & RunStore, pipeline: IngestPipeline, configuration: Configuration = .init(),
                logger: Logger = Logger(label: "kilde.scheduler"), queued: @escaping @Sendable (Queued) -> Void = { _ in }) {
        self.store = store
        self.pipeline = pipeline
        self.configuration = configuration
        self.logger = logger
        self.queued = queued
    }

    var registry: Registry { pipeline.registry }

    /// Evaluates, sleeps until the next due time (at most ``Configuration/maxSleep``), and again, until graceful
    /// shutdown or cancellation.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let wake = await self.evaluate(now: Date())
                let seconds = max(0.01, wake.timeIntervalSinceNow)
                try? await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
            }
        }
    }

    /// Queues whatever is due at `now`; returns when to evaluate next.
    @discardableResult
    public func evaluate(now: Date) async -> Date {
        var wake = now.addingTimeInterval(Double(configuration.maxSleep.components.seconds))
        let materialised: Set<String>
        do { materialised = try await store.materializedAssets() } catch {
            logger.error("could not read the materialised assets", metadata: ["error": "\(error)"])
            return wake
        }
        for dataset in registry.catalog.datasets where dataset.isDefault || materialised.contains(dataset.key) {
            do {
                if let next = try await schedule(dataset, now: now) { wake = min(wake, next) }
                if configuration.sensors, let next = try await sense(dataset, now: now) { wake = min(wake, next) }
            } catch {
                logger.error("could not evaluate", metadata: ["dataset": "\(dataset.key)", "error": "\(error)"])
            }
        }
        return wake
    }

    /// Fires the dataset's schedule once if a tick passed since the last evaluation; returns its next tick.
    func schedule(_ dataset: DatasetDefinition, now: Date) async throws -> Date? {
        let name = "schedule:\(dataset.key)"
        let nowText = Timestamp.string(now)
        let cursor = try await store.cursor(name)
        guard let cursor, let since = Timestamp.date(cursor) else {
            // First sight: nothing missed yet.
            try await store.advanceCursor(name, from: cursor, to: nowText, enqueue: [])
            return try dataset.nextScheduledRun(after: now)
        }
        guard let tick = try dataset.nextScheduledRun(after: since) else { return nil }
        guard tick <= now else { return tick }
        let tickText = Timestamp.string(tick)
        let job = try IngestJob.request(dataset, wave: "schedule \(tickText)", dedupeKey: "schedule:\(dataset.key):\(tickText)",
                                        reason: "schedule '\(dataset.schedule)' due \(tickText)")
        try await enqueue(job, dataset: dataset, cursor: name, from: cursor, to: nowText)
        return try dataset.nextScheduledRun(after: now)
    }

    /// Polls the dataset's release sensor when due and queues an ingest when the release moved; returns its next poll.
    func sense(_ dataset: DatasetDefinition, now: Date) async throws -> Date? {
        guard let sensor = try dataset.releaseSensor() else { return nil }
        if let due = nextPoll.withLock({ $0[dataset.key] }), due > now { return due }
        let next = now.addingTimeInterval(sensor.intervalSeconds)
        nextPoll.withLock { $0[dataset.key] = next }
        guard let adapter = try pipeline.adapter(for: dataset.key) as? any ReleaseWatching, let request = adapter.releaseRequest() else {
            logger.warning("release sensor has nothing to poll (PxWeb over v2 only)", metadata: ["dataset": "\(dataset.key)"])
            return nil
        }
        let response = try await pipeline.upstream.fetcher.fetch(request)
        guard let release = try adapter.release(from: response) else { return next }
        let name = "sensor:\(dataset.key)"
        let cursor = try await store.cursor(name)
        guard cursor != release else { return next }
        // First sight: remember the release the store is measured against, without fetching.
        guard let cursor else {
            try await store.advanceCursor(name, from: nil, to: release, enqueue: [])
            return next
        }
        let job = try IngestJob.request(dataset, wave: "release \(dataset.key) \(release)", dedupeKey: "release:\(dataset.key):\(release)",
                                        reason: "release \(release) (was \(cursor))")
        try await enqueue(job, dataset: dataset, cursor: name, from: cursor, to: release)
        return next
    }

    func enqueue(_ job: JobRequest, dataset: DatasetDefinition, cursor: String, from: String, to: String) async throws {
        guard let id = try await store.advanceCursor(cursor, from: from, to: to, enqueue: [job])?.first else { return }
        logger.notice("queued", metadata: ["dataset": "\(dataset.key)", "job": "\(id)", "reason": "\(job.reason)"])
        queued(Queued(dataset: dataset.key, job: id, reason: job.reason))
    }
}
