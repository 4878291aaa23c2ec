import Foundation
import KildeCatalog
import KildeCore
import KildeIngest
import KildeOrchestration
import KildeSimulator
import KildeStore
import KildeUpstream
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The work queue, the workers and the scheduler (SPEC §8), against both stores and, for the scale-out cases, real
/// `kilde worker` processes on one PostgreSQL.
@Suite("Orchestration", .serialized)
struct OrchestrationTests {
    // MARK: The queue, as a store contract

    @Test("the queue: dedupe keys, claims in order, pinned jobs, retries not before their time, stale claims queued again with their run retired, cursors that move once",
          arguments: StoreKind.enabled)
    func queueContract(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            let q = env.store
            let ids = try await q.enqueue([
                JobRequest(kind: .ingest, asset: "ssb-12058", wave: "w", dedupeKey: "tick-1", reason: "schedule"),
                JobRequest(kind: .ingest, asset: "ssb-08764", wave: "w", reason: "admin"),
                JobRequest(kind: .ingest, asset: "ssb-08764", wave: "w", reason: "explorer", pinnedTo: "server"),
            ])
            #expect(ids.count == 3 && Set(ids).count == 3)
            // The same tick again: the earlier job, not a second one.
            #expect(try await q.enqueue([JobRequest(kind: .ingest, asset: "ssb-12058", dedupeKey: "tick-1", reason: "schedule")]) == [ids[0]])

            let first = try #require(try await q.claim(worker: "w1"))
            #expect(first.job.id == ids[0] && first.job.status == .running && first.job.attempts == 1)
            #expect(first.token == "job\(ids[0]).1@w1")
            let second = try #require(try await q.claim(worker: "w2"))
            #expect(second.job.id == ids[1])
            // Only the server may take the job pinned to it.
            #expect(try await q.claim(worker: "w1") == nil)
            let pinned = try #require(try await q.claim(worker: "server"))
            #expect(pinned.job.id == ids[2])
            #expect(try await q.heartbeat(first))

            // A failed attempt waits for its retry time.
            #expect(try await q.finish(first, .failed(error: "503", code: nil, retryAfter: 3600, runID: nil)))
            let waiting = try #require(try await q.job(id: ids[0]))
            #expect(waiting.status == .queued && waiting.error == "503")
            #expect(try await q.claim(worker: "w1") == nil, "not before its retry time")

            // The second claim's worker stops: its run holds the slices until the sweep retires it.
            let run = try await q.startRun(RunRequest(sourceKey: "ssb", dataset: "ssb-08764", sliceConfig: #"{"dataset":"ssb-08764","slices":["queue-test"]}"#,
                                                       slicesTotal: 1, years: nil, owner: second.token, startedAt: Timestamp.now()))
            #expect(try await q.job(id: ids[1])?.runID == run, "a running job names the run its claim owns")
            try await Task.sleep(for: .milliseconds(20))
            #expect(try await q.requeueStale(staleAfter: .milliseconds(10), sparing: [pinned.token]) == [ids[1]], "a live claim is spared")
            #expect(try await q.requeueStale(staleAfter: .milliseconds(10), sparing: []) == [ids[2]])
            let requeued = try #require(try await q.job(id: ids[1]))
            #expect(requeued.status == .queued && requeued.error?.contains(second.token) == true, "\(requeued.error ?? "")")
            let retired = try #require(try await q.run(id: run))
            #expect(retired.status == .error && retired.errorMessage?.contains("stopped heartbeating") == true, "\(retired.errorMessage ?? "")")
            // The stopped claim can neither heartbeat nor finish any more; the next claim is the second attempt.
            #expect(try await q.heartbeat(second) == false)
            #expect(try await q.finish(second, .done(runID: nil, changed: true)) == false)
            let again = try #require(try await q.claim(worker: "w3"))
            #expect(again.job.id == ids[1] && again.job.attempts == 2 && again.token == "job\(ids[1]).2@w3")
            #expect(try await q.finish(again, .done(runID: 7, changed: true)))
            let done = try #require(try await q.job(id: ids[1]))
            #expect(done.status == .done && done.runID == 7 && done.changed == true && done.finishedAt != nil)

            // A failure with no retry left fails the job for good.
            let last = try #require(try await q.claim(worker: "server"))
            #expect(try await q.finish(last, .failed(error: "no such table", code: "invalid slice", retryAfter: nil, runID: nil)))
            #expect(try await q.job(id: ids[2])?.status == .failed)
            #expect(try await q.jobs(wave: "w").map(\.id) == ids.sorted())

            // Cursors move only from the value read: two schedulers evaluating one tick queue it once.
            #expect(try await q.advanceCursor("schedule:x", from: nil, to: "a", enqueue: []) == [])
            #expect(try await q.advanceCursor("schedule:x", from: nil, to: "a", enqueue: []) == nil)
            let tick = JobRequest(kind: .ingest, asset: "ssb-12058", dedupeKey: "schedule:x:b", reason: "schedule")
            let queued = try #require(try await q.advanceCursor("schedule:x", from: "a", to: "b", enqueue: [tick]))
            #expect(queued.count == 1)
            #expect(try await q.advanceCursor("schedule:x", from: "a", to: "b", enqueue: [tick]) == nil)
            #expect(try await q.cursor("schedule:x") == "b")
        }
    }

    // MARK: Waves and marts

    @Test("a wave rebuilds the mart once, after its last input; a wave that changed nothing builds nothing", arguments: StoreKind.enabled)
    func waveRebuildsTheMartOnce(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            let wave1 = try Self.wave(env, ["ssb-12058", "ssb-08764"], name: "first")
            _ = try await env.store.enqueue(wave1)
            try await Self.drain(env)
            let jobs = try await env.store.jobs(wave: "first")
            #expect(jobs.filter { $0.kind == .ingest }.allSatisfy { $0.status == .done && $0.changed == true })
            let mart = try #require(jobs.first { $0.kind == .mart }, "the wave's mart job")
            #expect(jobs.filter { $0.kind == .mart }.count == 1)
            #expect(mart.status == .done && mart.changed == true, "\(mart)")
            let builds = try await Self.martBuilds(env)
            #expect(builds.count == 1)
            let runs = jobs.filter { $0.kind == .ingest }.compactMap(\.runID)
            #expect(runs.count == 2)
            let build = try #require(builds.first)
            #expect(runs.allSatisfy { build.phaseDetail?.contains("run \($0)") == true }, "\(build.phaseDetail ?? "")")
            #expect(runs.allSatisfy { $0 < build.id }, "built after its inputs")

            // Nothing changed upstream: the ingests run and change no row, and no build runs.
            _ = try await env.store.enqueue(try Self.wave(env, ["ssb-12058", "ssb-08764"], name: "second"))
            try await Self.drain(env)
            let again = try await env.store.jobs(wave: "second")
            #expect(again.filter { $0.kind == .ingest }.allSatisfy { $0.status == .done && $0.changed == false })
            #expect(again.first { $0.kind == .mart }?.changed == false)
            #expect(try await Self.martBuilds(env).count == 1, "no build when no input changed")
        }
    }

    // MARK: The scheduler

    @Test("a schedule due while no scheduler ran fires once when one starts, not once per missed tick, and not again after a restart",
          arguments: StoreKind.enabled)
    func missedScheduleFiresOnce(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            let now = Date()
            var config = Scheduler.Configuration()
            config.sensors = false
            let scheduler = Scheduler(store: env.store, pipeline: env.pipeline, configuration: config)
            await scheduler.evaluate(now: now)
            #expect(try await env.store.jobs(limit: 10, status: nil).isEmpty, "first sight queues nothing")
            let cursor = try #require(try await env.store.cursor("schedule:ssb-12058"))
            // As if the scheduler stopped three years ago: three yearly ticks (20 June, 04:00 Oslo) were missed.
            let stopped = Timestamp.string(now.addingTimeInterval(-3 * 366 * 86_400))
            #expect(try await env.store.advanceCursor("schedule:ssb-12058", from: cursor, to: stopped, enqueue: []) != nil)

            await scheduler.evaluate(now: now)
            await Scheduler(store: env.store, pipeline: env.pipeline, configuration: config).evaluate(now: now)
            await scheduler.evaluate(now: now.addingTimeInterval(60))
            let jobs = try await env.store.jobs(limit: 10, status: nil)
            #expect(jobs.count == 1, "\(jobs.map(\.reason))")
            #expect(jobs.first?.asset == "ssb-12058" && jobs.first?.reason.hasPrefix("schedule '0 4 20 6 *' due") == true)
            #expect(jobs.first?.maxAttempts == 3, "the dataset's retry policy (default 3 attempts)")

            // The next tick fires once more.
            await scheduler.evaluate(now: now.addingTimeInterval(367 * 86_400))
            #expect(try await env.store.jobs(limit: 10, status: nil).filter { $0.asset == "ssb-12058" }.count == 2)
        }
    }

    @Test("a release the simulator publishes is queued within one sensor interval, and only once across a restart of the scheduler",
          arguments: StoreKind.enabled)
    func releaseSensorFiresOnce(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            let t0 = Date()
            let scheduler = Scheduler(store: env.store, pipeline: env.pipeline)
            await scheduler.evaluate(now: t0)
            #expect(try await env.store.cursor("sensor:ssb-08764") == env.sim.simulator.updated, "first sight remembers the release")
            #expect(try await env.store.jobs(limit: 10, status: nil).isEmpty)

            let release = await env.state.publishRelease(table: "08764")
            let interval = try #require(try env.dataset("ssb-08764").releaseSensor()).intervalSeconds
            await scheduler.evaluate(now: t0.addingTimeInterval(interval - 1))
            #expect(try await env.store.jobs(limit: 10, status: nil).isEmpty, "not polled before its interval")
            await scheduler.evaluate(now: t0.addingTimeInterval(interval))
            // A restarted scheduler polls at once, and finds the release it already queued.
            await Scheduler(store: env.store, pipeline: env.pipeline).evaluate(now: t0.addingTimeInterval(interval + 1))
            let jobs = try await env.store.jobs(limit: 10, status: nil)
            #expect(jobs.count == 1 && jobs.first?.asset == "ssb-08764", "\(jobs.map(\.reason))")
            #expect(jobs.first?.reason == "release \(release) (was \(env.sim.simulator.updated))")
            #expect(try await env.store.cursor("sensor:ssb-08764") == release)

            // The queued ingest fetches the release's (revised) numbers.
            try await Self.drain(env)
            let job = try #require(try await env.store.jobs(limit: 10, status: nil).first { $0.asset == "ssb-08764" })
            #expect(job.status == .done && job.changed == true)
        }
    }

    // MARK: Processes: several workers on one PostgreSQL, one scheduler on SQLite

    @Test("three worker processes on one PostgreSQL run 100 queued slices exactly once each", arguments: StoreKind.enabled.filter { $0 == .postgres })
    func threeWorkersHundredSlices(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            let ds = try env.dataset("ssb-12058")
            let variable = try #require(ds.options["region"])
            let table = try #require(env.sim.simulator.tables.tables[ds.tableID])
            #expect(table.region.code == variable)
            let regionCodes = table.region.values.map(\.code).filter { $0.count == 4 }
            let codes = Array(regionCodes.prefix(100))
            #expect(codes.count == 100)
            let jobs = try codes.map { code in
                try IngestJob.request(ds, job: IngestJob(selection: SelectionRequest(filters: ["region": [code]])), wave: "hundred", reason: "test")
            }
            _ = try await env.store.enqueue(jobs)
            let workers = try (0..<3).map { _ in try Self.worker(env, extra: ["--concurrency", "2"]) }
            defer { workers.forEach { $0.terminate() } }
            try await Self.waitUntil(seconds: 300) {
                let all = try await env.store.jobs(wave: "hundred")
                return all.count == 101 && all.allSatisfy { $0.status == .done || $0.status == .failed }
            }
            for w in workers { w.terminate() }
            let all = try await env.store.jobs(wave: "hundred")
            let ingests = all.filter { $0.kind == .ingest }
            #expect(ingests.count == 100 && ingests.allSatisfy { $0.status == .done && $0.attempts == 1 }, "\(ingests.filter { $0.status != .done }.map { $0.error ?? "" })")
            #expect(Set(ingests.compactMap(\.runID)).count == 100, "one run per job")
            let claimers = Set(ingests.compactMap { $0.claimedBy?.split(separator: "@").last.map(String.init) })
            #expect(claimers.count >= 2, "the work was shared: \(claimers)")
            // Every slice was asked of the upstream exactly once.
            let selections = await env.state.dataSelections[ds.tableID] ?? []
            #expect(selections.count == 100)
            for code in codes {
                #expect(selections.filter { $0[variable] == [code] }.count == 1, "region \(code)")
            }
            #expect(all.filter { $0.kind == .mart }.count == 1 && all.first { $0.kind == .mart }?.status == .done)
            #expect(try await Self.martBuilds(env).count == 1, "the wave's mart built once")
        }
    }

    @Test("a killed worker's claim is finished by another worker; nothing is ingested twice and the counters add up",
          arguments: StoreKind.enabled.filter { $0 == .postgres })
    func killedWorkerIsTakenOver(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            let ds = try env.dataset("bris-police-arsak")
            await env.state.inject(.slow(.milliseconds(300)), times: 200)
            let id = try #require(try await env.store.enqueue([try IngestJob.request(ds, wave: "kill", reason: "test")]).first)
            let timing = ["--heartbeat", "0.2", "--stale-after", "1.5"]
            let first = try Self.worker(env, extra: timing)
            defer { first.terminate() }
            var runA: Int64 = 0
            try await Self.waitUntil(seconds: 120) {
                guard let run = try await env.store.job(id: id)?.runID, let r = try await env.store.run(id: run) else { return false }
                runA = run
                return r.slicesDone >= 3
            }
            kill(first.processIdentifier, SIGKILL)
            first.waitUntilExit()
            let second = try Self.worker(env, extra: timing)
            defer { second.terminate() }
            try await Self.waitUntil(seconds: 180) { try await env.store.job(id: id)?.status == .done }
            second.terminate()

            let job = try #require(try await env.store.job(id: id))
            #expect(job.attempts == 2, "claimed again only after the sweep queued it again")
            let runB = try #require(job.runID)
            #expect(runB != runA)
            let a = try #require(try await env.store.run(id: runA))
            let b = try #require(try await env.store.run(id: runB))
            // Retired by the taking-over worker (here by its pid check on the same host; elsewhere by the stale claim).
            #expect(a.status == .error && a.errorMessage?.contains("abandoned") == true, "\(a.errorMessage ?? "")")
            #expect(b.status == .complete)
            #expect(a.rowsAdded > 0 && a.rowsUpdated == 0 && b.rowsUpdated == 0 && a.rowsDeleted == 0 && b.rowsDeleted == 0)
            // What the killed run wrote stayed; the taking-over run wrote only the rest.
            let stored = try await env.store.queryFacts(FactQuery(sourceID: ds.sourceID, dimCode: ds.dimCode, anyAxes: Set(FilterAxis.allCases))).count
            #expect(a.rowsAdded + b.rowsAdded == stored, "added \(a.rowsAdded) + \(b.rowsAdded), stored \(stored)")
        }
    }

    @Test("on SQLite a second scheduler says another one runs and exits; SIGTERM stops the first cleanly",
          arguments: StoreKind.enabled.filter { $0 == .sqlite })
    func oneSchedulerOnSQLite(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            let (first, stderr) = try Self.workerWithOutput(env, extra: [])
            defer { first.terminate() }
            try await Self.waitUntil(seconds: 60) { String(decoding: stderr.withLock { $0 }, as: UTF8.self).contains("Ctrl-C to stop") }
            let second = try await CLIProcess.run(["worker", "--store", env.storeSpec, "--ssb-url", env.sim.baseURL])
            #expect(second.status == 5, "\(second.stderr)")
            #expect(second.stderr.contains("another scheduler already runs on this store (pid \(first.processIdentifier)"), "\(second.stderr)")
            // Without a scheduler a second worker may run beside it.
            first.terminate()
            first.waitUntilExit()
            #expect(first.terminationStatus == 0, "\(String(decoding: stderr.withLock { $0 }, as: UTF8.self))")
        }
    }

    @Test("SIGTERM stops a worker's claiming; the job it runs finishes first", arguments: StoreKind.enabled.filter { $0 == .sqlite })
    func gracefulShutdownFinishesTheRunningJob(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            await env.state.inject(.slow(.milliseconds(200)), times: 100)
            let ids = try await env.store.enqueue([try IngestJob.request(try env.dataset("bris-police-arsak"), wave: "term", reason: "test"),
                                                   try IngestJob.request(try env.dataset("bris-police-arnested"), wave: "term", reason: "test")])
            let worker = try Self.worker(env, extra: ["--concurrency", "1"])
            defer { worker.terminate() }
            try await Self.waitUntil(seconds: 120) {
                guard let run = try await env.store.job(id: ids[0])?.runID else { return false }
                return try await env.store.run(id: run)?.slicesDone ?? 0 >= 1
            }
            worker.terminate()
            worker.waitUntilExit()
            #expect(worker.terminationStatus == 0)
            let job = try #require(try await env.store.job(id: ids[0]))
            #expect(job.status == .done, "\(job)")
            #expect(try await env.store.run(id: try #require(job.runID))?.status == .complete)
            #expect(try await env.store.job(id: ids[1])?.status == .queued, "nothing claimed after SIGTERM")
        }
    }

    // MARK: Helpers

    /// One wave of whole-plan ingests of `datasets`.
    static func wave(_ env: TestEnvironment, _ datasets: [String], name: String) throws -> [JobRequest] {
        try datasets.map { try IngestJob.request(try env.dataset($0), wave: name, reason: "test") }
    }

    /// Runs an in-process worker until no job is queued or running.
    static func drain(_ env: TestEnvironment) async throws {
        var config = Worker.Configuration()
        config.pollInterval = .milliseconds(50)
        config.heartbeatInterval = .milliseconds(200)
        config.staleAfter = .seconds(30)
        let runner = JobRunner(pipeline: env.pipeline, marts: MartRefresh(store: env.store, seed: try BundledSeeds.kommuneDim(), registry: env.registry),
                               queue: env.store)
        let worker = Worker(queue: env.store, runner: runner, configuration: config)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await worker.run() }
            try await waitUntil(seconds: 120) {
                // Idle first, then the queue: a job that ends queues its wave's mart before it stops counting as running.
                guard worker.runningJobs == 0 else { return false }
                let open = try await env.store.jobs(limit: 1000, status: .queued) + env.store.jobs(limit: 1000, status: .running)
                return open.isEmpty
            }
            group.cancelAll()
        }
    }

    static func martBuilds(_ env: TestEnvironment) async throws -> [RunRecord] {
        try await env.store.runs(limit: 200).filter { $0.dataset == KommuneIndicatorMart.asset }
    }

    static func waitUntil(seconds: Double, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestFailure("not reached within \(seconds) s")
    }

    /// A `kilde worker` process on the environment's store and simulator, without a scheduler (the test queues).
    static func worker(_ env: TestEnvironment, extra: [String]) throws -> Process {
        try workerWithOutput(env, extra: ["--no-scheduler"] + extra).process
    }

    static func workerWithOutput(_ env: TestEnvironment, extra: [String]) throws -> (process: Process, stderr: Locked<[UInt8]>) {
        let p = Process()
        p.executableURL = try CLIProcess.executable
        p.arguments = ["worker", "--store", env.storeSpec, "--sim-url", env.sim.baseURL, "--rate-limit", "60000", "--poll", "0.1"] + extra
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        let collected = Locked<[UInt8]>([])
        err.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            collected.withLock { $0 += Array(data) }
        }
        try p.run()
        return (p, collected)
    }
}
