import Foundation
import KildeCore
import KildeIngest
import KildeSimulator
import KildeStore
import Testing

@Suite("Upstream faults", .serialized)
struct FaultTests {
    @Test("503 twice then OK: the run succeeds", arguments: StoreKind.enabled)
    func serviceUnavailableTwice(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            await env.state.inject(.status(503, retryAfter: nil), times: 2)
            let retries = Counter()
            let result = try await env.pipeline.run(dataset: "ssb-08764") { event in
                if case .retrying = event { retries.increment() }
            }
            #expect(result.status == .complete)
            #expect(retries.value == 2)
            #expect(result.slices[0].counters.added > 0)
            // Two 503s, then one answer both slices share.
            #expect(await env.state.dataRequests["08764"] == 2 + 1)
        }
    }

    @Test("a Retry-After past the cap fails the slice at once, naming the wait asked", arguments: StoreKind.enabled)
    func retryAfterPastTheCap(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            await env.state.inject(.status(429, retryAfter: 3600), times: 1)
            let clock = ContinuousClock()
            let start = clock.now
            let result = try await env.pipeline.run(dataset: "ssb-08764", slices: [Slice(dataset: "ssb-08764", dimCode: 100)])
            #expect(clock.now - start < .seconds(30), "no hour-long wait")
            #expect(result.status == .error)
            let error = try #require(result.slices.first?.error)
            #expect(error.code == .upstream)
            #expect(error.description.contains("the upstream asked to wait 3600 s (Retry-After), more than the 300 s Kilde waits"), "\(error)")
            #expect(try await env.store.run(id: result.runID)?.status == .error, "the run ends, it does not stay running")
            // The next run completes.
            #expect(try await env.pipeline.run(dataset: "ssb-08764").status == .complete)
        }
    }

    @Test("429 with Retry-After: 2 waits at least 2 s", arguments: StoreKind.enabled)
    func tooManyRequestsHonoursRetryAfter(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            await env.state.inject(.status(429, retryAfter: 2), times: 1)
            let waits = Waits()
            let clock = ContinuousClock()
            let start = clock.now
            let result = try await env.pipeline.run(dataset: "ssb-08764", slices: [Slice(dataset: "ssb-08764", dimCode: 100)]) { event in
                if case .retrying(_, let wait, _) = event { waits.add(wait) }
            }
            let elapsed = clock.now - start
            #expect(result.status == .complete)
            #expect(waits.values.count == 1)
            #expect((waits.values.first ?? .zero) >= .seconds(2))
            #expect(elapsed >= .seconds(2))
        }
    }

    struct BadBody: Sendable, CustomTestStringConvertible {
        var fault: Fault
        var mentions: String
        var testDescription: String { "\(fault)" }
    }

    @Test("bad bodies fail the slice naming dataset, slice and cause; stored rows stay",
          arguments: StoreKind.enabled, [
              BadBody(fault: .malformed, mentions: "JSON-stat"),
              BadBody(fault: .renamedDimension, mentions: "expected dimension 'KOKkommuneregion0000'"),
              BadBody(fault: .truncated, mentions: "JSON-stat"),
          ])
    func badBodyFailsSlice(_ kind: StoreKind, _ bad: BadBody) async throws {
        try await TestEnvironment.with(kind) { env in
            let first = try await env.pipeline.run(dataset: "ssb-12058")
            #expect(first.status == .complete)
            let before = try await env.snapshot("ssb-12058")
            await env.state.setRevised(true)  // the upstream changed, so a successful slice would write
            await env.state.inject(bad.fault, times: 1)
            let second = try await env.pipeline.run(dataset: "ssb-12058")
            #expect(second.status == .error)
            let failed = try #require(second.failed.first)
            #expect(second.failed.count == 1)
            #expect(failed.index == 0)
            let message = failed.error?.description ?? ""
            #expect(message.contains("ssb-12058"), "\(message)")
            #expect(message.contains(failed.slice.label), "\(message)")
            #expect(message.contains(bad.mentions), "\(message)")
            // The failed slice's rows are untouched; the other slices went on and wrote their revisions.
            let after = try await env.snapshot("ssb-12058")
            let failedKeys = try await env.store.queryFacts(FactQuery(sourceID: 5, dimCode: 5, filters: failed.slice.filters)).count
            #expect(failedKeys > 0)
            #expect(try await env.storedSum(failed.slice) == env.upstreamCells(failed.slice, revised: false).values.reduce(0, +))
            #expect(second.slices.dropFirst().allSatisfy { $0.outcome != .failed })
            #expect(after != before)
            let run = try #require(try await env.store.run(id: second.runID))
            #expect(run.status == .error)
            #expect(run.errorMessage?.contains(bad.mentions) == true)
            // The next run (upstream healthy again) completes.
            let third = try await env.pipeline.run(dataset: "ssb-12058")
            #expect(third.status == .complete)
        }
    }

    @Test("an unreachable upstream fails with the status and the cursor", arguments: StoreKind.enabled)
    func persistentFailure(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            await env.state.inject(.status(500, retryAfter: nil), times: 50)
            let result = try await env.pipeline.run(dataset: "ssb-08764", slices: [Slice(dataset: "ssb-08764", dimCode: 100)])
            #expect(result.status == .error)
            let message = result.slices[0].error?.description ?? ""
            #expect(result.slices[0].error?.code == .upstream)
            #expect(message.contains("SSB 08764 data (Region 1 × ContentsCode 5 × Tid *): GET 500 after 5 attempts"), "\(message)")
            #expect(message.contains("/tables/08764/data"), "\(message)")
        }
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func increment() { lock.withLock { n += 1 } }
    var value: Int { lock.withLock { n } }
}

final class Waits: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [Duration] = []
    func add(_ d: Duration) { lock.withLock { list.append(d) } }
    var values: [Duration] { lock.withLock { list } }
}
