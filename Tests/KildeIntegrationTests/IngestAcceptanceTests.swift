import Foundation
import KildeCore
import KildeIngest
import KildeSimulator
@testable import KildeStore
import KildeUpstream
import Testing

/// The foundation issue's acceptance tests, against the simulator over loopback, on every enabled store.
@Suite("Ingest acceptance", .serialized)
struct IngestAcceptanceTests {
    @Test("stored atoms per slice equal the upstream total", arguments: StoreKind.enabled, ["ssb-12058", "ssb-08764"])
    func storedSumsMatchUpstream(_ kind: StoreKind, _ dataset: String) async throws {
        try await TestEnvironment.with(kind) { env in
            let result = try await env.pipeline.run(dataset: dataset)
            #expect(result.status == .complete, "\(result.failed.map { $0.error?.description ?? "" })")
            #expect(result.slices.count == (dataset == "ssb-12058" ? 4 : 2))
            for s in result.slices {
                let upstream = try env.upstreamCells(s.slice, revised: false)
                let stored = try await env.storedSum(s.slice)
                // Shares have decimals: sums in another order differ in the last bits, as the gates allow for.
                #expect(ChangeGate.sumsEqual(stored, upstream.values.reduce(0, +)), "slice \(s.slice.label): \(stored)")
                #expect(s.counters.added == upstream.count, "slice \(s.slice.label)")
                #expect(ChangeGate.sumsEqual(s.apiTotal ?? -1, stored), "every cell of the slice is in the catalogue, so nothing is skipped")
                #expect(s.skippedUnmapped == 0)
            }
            let run = try #require(try await env.store.run(id: result.runID))
            #expect(run.status == .complete)
            #expect(run.rowsAdded == result.counters.added)
            #expect(run.slicesDone == run.slicesTotal)
            #expect(run.sliceHash.count == 64, "slice_hash is the store-computed sha256 of slice_config")
            let counts = try await env.store.tableCounts()
            #expect(counts["raw_artifacts"] == result.slices.count + 1, "one bronze artifact per data response plus the metadata")
            // The metadata belongs to the run, not to a slice.
            let db = try #require((env.store as? any SQLFactStore)?.database)
            let runArtifacts = try await db.execute("SELECT url FROM raw_artifacts WHERE slice_key = '' AND run_id = ?", [.int(Int(result.runID))])
            #expect(runArtifacts.map { $0.string("url") ?? "" }.allSatisfy { $0.contains("/metadata") } && runArtifacts.count == 1)
            #expect(try await env.store.dataKind() == .demo)
        }
    }

    @Test("re-run unchanged writes nothing", arguments: StoreKind.enabled)
    func rerunUnchangedWritesNothing(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            let first = try await env.pipeline.run(dataset: "ssb-12058")
            #expect(first.counters.added > 0)
            let before = try await env.snapshot("ssb-12058")
            let written = env.store.statistics.rowsWritten
            let trips = env.store.statistics.sliceRoundTrips
            let second = try await env.pipeline.run(dataset: "ssb-12058")
            #expect(second.status == .complete)
            #expect(second.slices.allSatisfy { $0.outcome == .unchanged && $0.decision == .skip })
            #expect(second.counters.upserted == 0)
            #expect(second.counters.skippedIdentical == first.counters.added)
            let run = try #require(try await env.store.run(id: second.runID))
            #expect(run.rowsUpserted == 0)
            #expect(run.rowsAdded == 0)
            #expect(run.rowsSkippedIdentical == first.counters.added)
            #expect(try await env.snapshot("ssb-12058") == before)
            #expect(env.store.statistics.rowsWritten == written)
            // A stable slice costs one store round trip (the probe) and no writes.
            #expect(env.store.statistics.sliceRoundTrips - trips == second.slices.count)
        }
    }

    @Test("a stable slice costs exactly one store round trip and no writes", arguments: StoreKind.enabled)
    func stableSliceIsOneRoundTrip(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            let slice = Slice(dataset: "ssb-12058", dimCode: 5, filters: [.region: [50301]], years: YearWindow(first: 2015, last: 2024))
            let first = try await env.pipeline.run(dataset: "ssb-12058", slices: [slice])
            #expect(first.slices.first?.outcome == .written)
            let stats = env.store.statistics
            let written = stats.rowsWritten
            let trips = SliceTrips(stats)
            let second = try await env.pipeline.run(dataset: "ssb-12058", slices: [slice]) { trips.observe($0) }
            #expect(second.slices.first?.outcome == .unchanged)
            #expect(second.slices.first?.decision == .skip)
            #expect(stats.rowsWritten == written, "no fact row written")
            #expect(trips.sliceCalls == [1], "one store call between fetch and result: the probe")
            switch kind {
            case .postgres:
                // Counted by the driver seam: everything the slice sent to the server, BEGIN/COMMIT included.
                #expect(trips.serverRequests == [1], "the probe is one statement")
            case .sqlite:
                #expect(trips.serverRequests == [0], "the embedded store has no server")
            }
            // The probe still recorded what a stable slice must: state, totals, and the bronze artifact.
            let counts = try await env.store.tableCounts()
            #expect(counts["raw_artifacts"] == 2 * 2, "metadata + data response, per run")
            #expect(counts["extraction_state"] == 1)
            let years = Set(try env.upstreamCells(slice, revised: false).keys.compactMap { $0.split(separator: "|").last })
            #expect(counts["source_totals"] == 1 + years.count, "the grand total and one row per year")
        }
    }

    @Test("revised upstream: only changed years are written, counters match changed cells", arguments: StoreKind.enabled)
    func revisedWritesOnlyChangedCells(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            let first = try await env.pipeline.run(dataset: "ssb-12058")
            await env.state.setRevised(true)
            let second = try await env.pipeline.run(dataset: "ssb-12058")
            #expect(second.status == .complete)
            var totalChanged = 0
            for s in second.slices {
                let before = try env.upstreamCells(s.slice, revised: false)
                let after = try env.upstreamCells(s.slice, revised: true)
                let changed = Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }
                let changedYears = Set(changed.compactMap { Int($0.split(separator: "|").last ?? "") })
                #expect(s.counters.updated + s.counters.added == changed.count, "slice \(s.slice.label)")
                if changedYears.isEmpty {
                    #expect(s.decision == .skip)
                } else {
                    #expect(s.decision == .writeYears(changedYears), "slice \(s.slice.label)")
                }
                #expect(try await env.storedSum(s.slice) == after.values.reduce(0, +))
                totalChanged += changed.count
            }
            #expect(totalChanged > 0, "the revised mode changes some cells")
            #expect(totalChanged < first.counters.added / 5, "and only some")
            let run = try #require(try await env.store.run(id: second.runID))
            #expect(run.rowsUpserted == totalChanged)
        }
    }

    @Test("v0 and v2 APIs store the same facts", arguments: StoreKind.enabled)
    func bothAPIVersions(_ kind: StoreKind) async throws {
        let v2 = try await TestEnvironment.with(kind, api: .v2) { env in
            _ = try await env.pipeline.run(dataset: "ssb-08764")
            return try await env.snapshot("ssb-08764")
        }
        let v0 = try await TestEnvironment.with(kind, api: .v0) { env in
            let r = try await env.pipeline.run(dataset: "ssb-08764")
            #expect(r.status == .complete)
            return try await env.snapshot("ssb-08764")
        }
        #expect(!v2.isEmpty)
        #expect(v0 == v2)
    }
}

/// Counts store work between a slice's start and finish events, i.e. the slice path alone, without the
/// run bookkeeping (start, progress, finish) around it.
final class SliceTrips: @unchecked Sendable {
    private let lock = NSLock()
    private let statistics: StoreStatistics
    private var start: (calls: Int, server: Int)?
    private var calls: [Int] = []
    private var server: [Int] = []

    init(_ statistics: StoreStatistics) { self.statistics = statistics }

    func observe(_ event: IngestEvent) {
        lock.withLock {
            switch event {
            case .sliceStarted:
                start = (statistics.sliceRoundTrips, statistics.serverRoundTrips)
            case .sliceFinished:
                guard let s = start else { return }
                calls.append(statistics.sliceRoundTrips - s.calls)
                server.append(statistics.serverRoundTrips - s.server)
            default:
                break
            }
        }
    }

    var sliceCalls: [Int] { lock.withLock { calls } }
    var serverRequests: [Int] { lock.withLock { server } }
}
