import Foundation
import KildeCore
import KildeIngest
import KildeSimulator
import KildeSources
import KildeStore
import KildeTestSupport
import KildeUpstream
import Testing

/// One row per fault, over the simulator and both stores. Each row asserts what issue 14 asks of every fault: a
/// failure is a clear error naming the dataset, the slice and the cause; nothing already stored changed; and the
/// next run completes. The table of what happened is written to `docs/fault-matrix.md`.
@Suite("Fault matrix", .serialized)
struct FaultMatrixTests {
    static let dataset = "ssb-08764"

    /// What one fault did.
    struct Row: Sendable {
        var fault: String
        var store: StoreKind
        var outcome: String
        var error: String
        var stored: String
        var next: String
    }

    /// What was stored before the fault: the facts, and the slices the run planned.
    struct Baseline: Sendable {
        var facts: [String: Double]
        var slices: [Slice]
    }

    /// A fault case: its name, the stores it runs on, and what it does once the baseline is stored.
    struct Case: Sendable {
        var name: String
        var stores: Set<StoreKind> = [.sqlite, .postgres]
        var run: @Sendable (TestEnvironment, Baseline) async throws -> Row
    }

    @Test("every fault: a clear error naming dataset, slice and cause; nothing stored changed; the next run completes")
    func matrix() async throws {
        var rows: [Row] = []
        for kind in StoreKind.enabled {
            for c in Self.cases where c.stores.contains(kind) {
                try await TestEnvironment.with(kind) { env in
                    let baseline = try await env.pipeline.run(dataset: Self.dataset)
                    #expect(baseline.status == .complete, "\(c.name): baseline")
                    await env.state.reset()
                    let base = Baseline(facts: try await env.snapshot(Self.dataset), slices: baseline.slices.map(\.slice))
                    var row = try await c.run(env, base)
                    row.store = kind
                    rows.append(row)
                }
            }
        }
        try Self.write(rows)
    }

    // MARK: The faults

    static let cases: [Case] = [
        failing("5xx storm (503 on every attempt)", fault: .status(503, retryAfter: nil), times: 50, cause: "503"),
        recovering("503 twice, then an answer", fault: .status(503, retryAfter: nil), times: 2),
        recovering("429 without Retry-After, twice", fault: .status(429, retryAfter: nil), times: 2),
        recovering("429 with Retry-After: 1", fault: .status(429, retryAfter: 1), times: 1),
        failing("429 with Retry-After past the cap (3600 s)", fault: .status(429, retryAfter: 3600), times: 1, cause: "asked to wait 3600 s"),
        failing("truncated body", fault: .truncated, times: 50, cause: "truncated"),
        failing("malformed body (not JSON)", fault: .malformed, times: 50, cause: "malformed"),
        failing("connection reset mid-answer", fault: .reset, times: 50, cause: "POST failed after"),
        failing("schema drift: the region dimension renamed", fault: .renamedDimension, times: 50, cause: "schema changed"),
        drifting("schema drift: a dimension added", fault: .addedDimension, mentions: "Kjonn"),
        drifting("schema drift: a new category", fault: .newCategory, mentions: "NyttInnhold"),
        Case(name: "slow headers past the request timeout") { env, base in
            try await slowPastTimeout(env, base, name: "slow headers past the request timeout", fault: .slow(.seconds(3)))
        },
        Case(name: "slow body past the request timeout") { env, base in
            try await slowPastTimeout(env, base, name: "slow body past the request timeout", fault: .slowBody(.seconds(3)))
        },
        Case(name: "revised history (some cells change upstream)") { env, base in
            try await revisedHistory(env, base)
        },
        Case(name: "duplicate concurrent run on the same slices") { env, base in
            try await duplicateRun(env, base)
        },
        Case(name: "kill -9 of `kilde ingest` at 5 points during the run") { env, base in
            try await killedMidRun(env, base)
        },
        Case(name: "disk full for bronze") { env, base in
            try await diskFull(env, base, bronze: true)
        },
        Case(name: "disk full for the store", stores: [.sqlite]) { env, base in
            try await diskFull(env, base, bronze: false)
        },
        Case(name: "PostgreSQL restart mid-run (every connection cut)", stores: [.postgres]) { env, base in
            try await postgresCut(env, base, stop: false)
        },
        Case(name: "PostgreSQL stop mid-run (connections cut, port closed)", stores: [.postgres]) { env, base in
            try await postgresCut(env, base, stop: true)
        },
    ]

    /// A fault the run cannot get past: the run fails naming the dataset, a slice and `cause`.
    static func failing(_ name: String, fault: Fault, times: Int, cause: String) -> Case {
        Case(name: name) { env, base in
            await env.state.inject(fault, times: times)
            let result = try await env.pipeline.run(dataset: dataset)
            let error = result.slices.compactMap(\.error).first?.description ?? ""
            #expect(result.status == .error, "\(name)")
            expectNamed(error, cause: cause, name)
            return try await finish(env, base, name: name, outcome: "run error, \(result.failed.count)/\(result.slices.count) slices failed", error: error)
        }
    }

    /// A fault the retries get past: the run completes and writes nothing new.
    static func recovering(_ name: String, fault: Fault, times: Int) -> Case {
        Case(name: name) { env, base in
            await env.state.inject(fault, times: times)
            let result = try await env.pipeline.run(dataset: dataset)
            #expect(result.status == .complete, "\(name)")
            #expect(result.counters.added + result.counters.updated + result.counters.deleted == 0, "\(name)")
            return try await finish(env, base, name: name, outcome: "run complete after retries", error: "")
        }
    }

    /// A change of shape the upstream may make without breaking anything stored: the run either fails naming it, or
    /// completes saying what it skipped; either way the stored facts are as they were.
    static func drifting(_ name: String, fault: Fault, mentions: String) -> Case {
        Case(name: name) { env, base in
            await env.state.inject(fault, times: 50)
            let result = try await env.pipeline.run(dataset: dataset)
            let error = result.slices.compactMap(\.error).first?.description ?? ""
            let warnings = result.slices.flatMap(\.warnings)
            let said = error.isEmpty ? warnings.first(where: { $0.contains(mentions) }) ?? "" : error
            #expect(said.contains(mentions), "\(name): the run names \(mentions): \(error) \(warnings)")
            if result.status == .error { expectNamed(error, cause: mentions, name) }
            let outcome = result.status == .complete
                ? "run complete, \(result.slices.map(\.skippedUnmapped).reduce(0, +)) cells skipped with a warning"
                : "run error, \(result.failed.count)/\(result.slices.count) slices failed"
            return try await finish(env, base, name: name, outcome: outcome, error: said)
        }
    }

    static func slowPastTimeout(_ env: TestEnvironment, _ base: Baseline, name: String, fault: Fault) async throws -> Row {
        var config = HTTPFetcher.Configuration()
        config.retry = .fast
        config.retry.maxAttempts = 2
        config.defaultRateLimit = 100_000
        config.requestTimeout = .seconds(1)
        let fetcher = HTTPFetcher(configuration: config)
        await env.state.inject(fault, times: 2)
        let pipeline = IngestPipeline(store: env.store, registry: env.registry,
                                      upstream: Upstream(fetcher: fetcher, baseURLs: env.sim.baseURLs, sourceOptions: ["api": "v2"]),
                                      bronze: Bronze.beside(storePath: env.storePath))
        let result = try await pipeline.run(dataset: dataset)
        try await fetcher.shutdown()
        let error = result.slices.compactMap(\.error).first?.description ?? ""
        #expect(result.status == .error, "\(name)")
        expectNamed(error, cause: "time", name)
        return try await finish(env, base, name: name, outcome: "run error, \(result.failed.count)/\(result.slices.count) slices failed", error: error)
    }

    static func revisedHistory(_ env: TestEnvironment, _ base: Baseline) async throws -> Row {
        let name = "revised history (some cells change upstream)"
        await env.state.setRevised(true)
        let result = try await env.pipeline.run(dataset: dataset)
        #expect(result.status == .complete)
        #expect(result.counters.updated > 0, "the revised cells are updated")
        let after = try await env.snapshot(dataset)
        let changed = after.filter { base.facts[$0.key] != $0.value }.count
        #expect(changed == result.counters.updated + result.counters.added, "exactly the written rows changed")
        let again = try await env.pipeline.run(dataset: dataset)
        #expect(again.status == .complete && again.counters.added + again.counters.updated + again.counters.deleted == 0)
        return Row(fault: name, store: .sqlite, outcome: "run complete: \(result.counters.updated) updated, \(result.counters.added) added",
                   error: "", stored: "\(changed) revised cells changed, nothing else", next: "complete, nothing to write")
    }

    static func duplicateRun(_ env: TestEnvironment, _ base: Baseline) async throws -> Row {
        let name = "duplicate concurrent run on the same slices"
        await env.state.inject(.slow(.seconds(2)), times: 1)
        async let first = env.pipeline.run(dataset: dataset)
        try await Task.sleep(for: .milliseconds(500))
        var error = ""
        do {
            _ = try await env.pipeline.run(dataset: dataset)
            Issue.record("\(name): the second run started")
        } catch let e as IngestError {
            error = e.description
            #expect(e.code == .activeRun)
        }
        #expect(error.contains(dataset) && error.contains("already ingesting"), "\(error)")
        #expect(try await first.status == .complete)
        return try await finish(env, base, name: name, outcome: "second run refused; first completes", error: error)
    }

    static func killedMidRun(_ env: TestEnvironment, _ base: Baseline) async throws -> Row {
        let name = "kill -9 of `kilde ingest` at 5 points during the run"
        // Revised data, so a killed run has something to write: each slice lands whole or not at all.
        await env.state.setRevised(true)
        let environment = ["KILDE_STORE": env.storeSpec, "KILDE_HOME": env.directory.appendingPathComponent("home").path]
        var exits: [Int32] = []
        for delay in [150, 400, 700, 1000, 1500] {
            let p = Process()
            p.executableURL = try CLIProcess.executable
            p.arguments = ["ingest", dataset, "--ssb-url", env.sim.baseURL, "--rate-limit", "6000"]
            p.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            let exited = CLIProcess.exitStatus(of: p)
            try p.run()
            try await Task.sleep(for: .milliseconds(delay))
            kill(p.processIdentifier, SIGKILL)
            exits.append(await exited.value)
            // Whatever the kill interrupted, every stored slice is either the old or the new answer, whole.
            try await expectSlicesWhole(env, base.slices)
        }
        _ = try await env.store.migrate(catalog: env.registry.catalog)
        let stranded = try await env.store.runs(limit: 50).filter { $0.status == .running || $0.status == .queued }
        #expect(stranded.isEmpty, "killed runs are retired: \(stranded.map(\.id))")
        let next = try await env.pipeline.run(dataset: dataset)
        #expect(next.status == .complete)
        let again = try await env.pipeline.run(dataset: dataset)
        #expect(again.counters.added + again.counters.updated + again.counters.deleted == 0, "converged")
        return Row(fault: name, store: .sqlite, outcome: "killed at 150/400/700/1000/1500 ms (exit \(exits.map(String.init).joined(separator: ",")))",
                   error: "", stored: "every slice old or new, whole; killed runs retired as abandoned", next: "complete; then nothing to write")
    }

    /// Each slice of the dataset holds either the original or the revised answer in full, never a mix.
    static func expectSlicesWhole(_ env: TestEnvironment, _ slices: [Slice]) async throws {
        for slice in slices {
            let stored = try await env.storedSum(slice)
            let original = try env.upstreamCells(slice, revised: false).values.reduce(0, +)
            let revised = try env.upstreamCells(slice, revised: true).values.reduce(0, +)
            #expect(ChangeGate.sumsEqual(stored, original) || ChangeGate.sumsEqual(stored, revised), "\(slice.label): \(stored) is neither \(original) nor \(revised)")
        }
    }

    static func diskFull(_ env: TestEnvironment, _ base: Baseline, bronze: Bool) async throws -> Row {
        let name = bronze ? "disk full for bronze" : "disk full for the store"
        guard let disk = try TinyDisk() else {
            return Row(fault: name, store: .sqlite, outcome: "not run: a tmpfs cannot be mounted here (needs root)", error: "", stored: "", next: "")
        }
        defer { disk.unmount() }
        // The store under test, and a pipeline whose bronze (or store) lives on the small disk.
        let store: any FactStore
        if bronze {
            store = env.store
        } else {
            let embedded = try await SQLiteFactStore.open(path: disk.path + "/kilde.sqlite")
            _ = try await embedded.migrate(catalog: env.registry.catalog)
            store = embedded
        }
        let pipeline = IngestPipeline(store: store, registry: env.registry, upstream: Upstream(fetcher: env.fetcher, baseURLs: env.sim.baseURLs, sourceOptions: ["api": "v2"]),
                                      bronze: Bronze(root: URL(fileURLWithPath: disk.path + "/bronze")))
        // A run with room first, so the small disk holds what that pipeline has landed (or stored) so far.
        #expect(try await pipeline.run(dataset: dataset).status == .complete, "\(name): baseline on the small disk")
        let stored = { try await (bronze ? env.snapshot(dataset) : snapshot(store, env)) }
        let start = try await stored()
        // New bytes to land and new values to write, on a full disk.
        await env.state.setRevised(true)
        try disk.fill()
        var error = ""
        var outcome = ""
        do {
            let result = try await pipeline.run(dataset: dataset)
            error = result.slices.compactMap(\.error).first?.description ?? ""
            outcome = "run error, \(result.failed.count)/\(result.slices.count) slices failed"
            #expect(result.status == .error, "\(name)")
            #expect(try await store.run(id: result.runID)?.status == .error, "\(name): the run ends error")
            expectNamed(error, cause: bronze ? "bronze" : "full", name)
        } catch let e as IngestError {
            // Full before the run could start (the table's metadata could not be landed): no run, one clear error.
            error = e.description
            outcome = "refused before the run started"
            #expect(error.contains(dataset) && error.lowercased().contains(bronze ? "bronze" : "full"), "\(name): \(error)")
        }
        let unchanged = try await stored() == start
        #expect(unchanged, "\(name): nothing stored changed")
        disk.free()
        let next = try await pipeline.run(dataset: dataset)
        #expect(next.status == .complete, "\(name): the next run completes once there is room")
        if !bronze { try await store.close() }
        return Row(fault: name, store: .sqlite, outcome: outcome, error: error,
                   stored: unchanged ? "unchanged" : "CHANGED", next: next.status == .complete ? "complete" : "FAILED")
    }

    static func snapshot(_ store: any FactStore, _ env: TestEnvironment) async throws -> [String: Double] {
        let ds = try env.dataset(dataset)
        var out: [String: Double] = [:]
        for r in try await store.queryFacts(FactQuery(sourceID: ds.sourceID, dimCode: ds.dimCode, anyAxes: Set(FilterAxis.allCases))) {
            out["\(r.catCode)|\(r.period)|\(r.regionCode ?? "-")"] = r.value
        }
        return out
    }

    static func postgresCut(_ env: TestEnvironment, _ base: Baseline, stop: Bool) async throws -> Row {
        let name = stop ? "PostgreSQL stop mid-run (connections cut, port closed)" : "PostgreSQL restart mid-run (every connection cut)"
        let real = try #require(env.postgresDatabase)
        let proxy = try TCPProxy(to: real.host, port: real.port)
        defer { proxy.stop() }
        var proxied = real
        proxied.host = "127.0.0.1"
        proxied.port = proxy.port
        proxied.connectTimeout = .seconds(2)
        await env.state.setRevised(true)
        await env.state.inject(.slow(.seconds(2)), times: 1)
        let environment = ["KILDE_STORE": proxied.connectionString, "KILDE_HOME": env.directory.appendingPathComponent("home").path]
        async let ingest = CLIProcess.run(["ingest", dataset, "--ssb-url", env.sim.baseURL, "--rate-limit", "6000"], environment: environment)
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(30)
        while try await env.store.runs(limit: 5).first(where: { $0.dataset == dataset })?.status != .running, clock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        let cutAt = clock.now
        if stop { proxy.stop() } else { proxy.cutConnections() }
        let output = try await ingest
        let waited = clock.now - cutAt
        let error = output.stderr.split(separator: "\n").first { $0.hasPrefix("kilde:") }.map(String.init) ?? ""
        if stop {
            #expect(output.status == 3 && error.contains("127.0.0.1:\(proxy.port)"), "\(output.stderr)")
            #expect(waited < .seconds(20), "failed after \(waited), not after the pool's minute")
        } else {
            // Connections cut but the server back at once: the pool reconnects; the run completes or fails whole.
            #expect(output.status == 0 || error.contains("PostgreSQL"), "\(output.stderr)")
        }
        try await expectSlicesWhole(env, base.slices)
        _ = try await env.store.migrate(catalog: env.registry.catalog)
        let next = try await env.pipeline.run(dataset: dataset)
        #expect(next.status == .complete)
        let outcome = output.status == 0 ? "run complete (reconnected)" : "exit \(output.status) after \(waited.formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 1))))"
        return Row(fault: name, store: .postgres, outcome: outcome, error: error, stored: "every slice old or new, whole", next: next.status == .complete ? "complete" : "FAILED")
    }

    // MARK: Checks and the table

    /// The error names the dataset, a slice (`dim N`) and the cause.
    static func expectNamed(_ error: String, cause: String, _ name: String) {
        #expect(error.contains(dataset) && error.contains("dim ") && error.lowercased().contains(cause.lowercased()), "\(name): \(error)")
    }

    /// After a failure: nothing stored changed, the run is `error`, and the next run (fault cleared) completes.
    static func finish(_ env: TestEnvironment, _ base: Baseline, name: String, outcome: String, error: String) async throws -> Row {
        let unchanged = try await env.snapshot(dataset) == base.facts
        #expect(unchanged, "\(name): nothing stored changed")
        let stuck = try await env.store.runs(limit: 10).filter { $0.status == .running }
        #expect(stuck.isEmpty, "\(name): no run stays running")
        await env.state.reset()
        let next = try await env.pipeline.run(dataset: dataset)
        #expect(next.status == .complete, "\(name): the next run completes")
        return Row(fault: name, store: .sqlite, outcome: outcome, error: error, stored: unchanged ? "unchanged" : "CHANGED",
                   next: next.status == .complete ? "complete" : "FAILED")
    }

    static func write(_ rows: [Row]) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        func cell(_ s: String) -> String {
            let flat = s.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "|", with: "\\|")
            return flat.count > 160 ? String(flat.prefix(157)) + "…" : flat
        }
        var text = """
            # Fault matrix

            Written by `FaultMatrixTests` (`swift test --filter FaultMatrixTests`, part of the README's test command) on every
            run; the stores are those the run had (PostgreSQL when `KILDE_TEST_POSTGRES_URL` or `scripts/with-postgres` gave one).
            Each row asserts: a failure names the dataset, the slice and the cause; nothing already stored changed; the next
            run completes. Dataset: `\(dataset)` against the simulator.

            | fault | store | outcome | error (first line) | stored facts | next run |
            |---|---|---|---|---|---|

            """
        for r in rows {
            text += "| \(cell(r.fault)) | \(r.store.rawValue) | \(cell(r.outcome)) | \(cell(r.error)) | \(cell(r.stored)) | \(cell(r.next)) |\n"
        }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("docs"), withIntermediateDirectories: true)
        try text.write(to: root.appendingPathComponent("docs/fault-matrix.md"), atomically: true, encoding: .utf8)
    }
}

/// A 24 MiB tmpfs for disk-full faults (room for a store and its baseline), with a filler file that takes all its free space.
struct TinyDisk {
    let path: String

    /// Mounts a fresh tmpfs; `nil` when mounting is not allowed here.
    init?() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kilde-tiny-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        guard Self.shell("mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", dir) == 0 else {
            try? FileManager.default.removeItem(atPath: dir)
            return nil
        }
        path = dir
    }

    /// Takes every free byte.
    func fill() throws {
        _ = Self.shell("sh", "-c", "dd if=/dev/zero of='\(path)/filler' bs=64k 2>/dev/null; true")
    }

    func free() { try? FileManager.default.removeItem(atPath: path + "/filler") }

    func unmount() {
        _ = Self.shell("umount", path)
        try? FileManager.default.removeItem(atPath: path)
    }

    @discardableResult
    static func shell(_ args: String...) -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = args
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return -1 }
        p.waitUntilExit()
        return p.terminationStatus
    }
}
