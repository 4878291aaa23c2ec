import CompressNIO
import Foundation
import Hummingbird
import HummingbirdTesting
import KildeCore
@testable import KildeServer
import KildeStore
import Testing

/// Kept `/v1/facts` answers are served only while the store is unchanged: never a stale number.
@Suite("Response cache")
struct ResponseCacheTests {
    @Test("a commit by another connection changes the store's change token; nothing else does", arguments: StoreKind.enabled)
    func changeTokenFollowsCommits(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            let before = try await env.store.changeToken()
            _ = try await env.store.factSeries(FactSeriesQuery(sourceID: 5, dimCode: 5))
            // PostgreSQL's token is the cluster's snapshot: the other tests' databases move it too, so only the
            // private SQLite file can show that a read leaves it alone.
            if kind == .sqlite { #expect(try await env.store.changeToken() == before, "a read is not a change") }
            // A second store on the same location: what another `kilde ingest` process would write through.
            let other = try await StoreLocation.parse(env.storeSpec).open()
            let run = try await ServiceScope.run([other]) {
                try await other.startRun(RunRequest(sourceKey: "ssb", dataset: "ssb-12058", sliceConfig: "{\"dataset\":\"token\"}", slicesTotal: 1,
                                                    years: nil, owner: RunOwner.current, startedAt: Timestamp.now()))
            }
            let afterOther = try await env.store.changeToken()
            #expect(afterOther != before)
            // And this process's own writer.
            try await env.store.finishRun(id: run, status: .complete, progress: RunProgress(slicesDone: 1, counters: .init(), at: Timestamp.now()), error: nil)
            #expect(try await env.store.changeToken() != afterOther)
            try await other.close()
        }
    }

    /// An answer's values by category and period.
    static func values(_ o: [String: Any]) -> [String: Double] {
        var out: [String: Double] = [:]
        for r in o["rows"] as? [[String: Any]] ?? [] {
            guard let period = r["period"] as? String, let v = r["value"] as? Double else { continue }
            out["\(r["catCode"] as? Int ?? 0)|\(period)", default: 0] += v
        }
        return out
    }

    @Test("a kept answer is served until an ingest changes the numbers, then the new numbers", arguments: StoreKind.enabled)
    func keptAnswersFollowTheStore(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            _ = try await env.pipeline.run(dataset: "ssb-12058")
            // A kommune whose cells the simulator's revised mode changes.
            let ds = try env.dataset("ssb-12058")
            let years = YearWindow(first: 2015, last: 2024)
            func slice(_ f: Filter) -> Slice { Slice(dataset: ds.key, dimCode: ds.dimCode, filters: [.region: [f.id]], years: years) }
            let kommune = try #require(env.registry.catalog.filters.first { f in
                f.sourceID == ds.sourceID && f.axis == .region && f.nativeCode.count == 4
                    && (try? env.upstreamCells(slice(f), revised: false)) != (try? env.upstreamCells(slice(f), revised: true))
            })
            let after = try env.upstreamCells(slice(kommune), revised: true)
            let uri = "/v1/facts?dataset=ssb-12058&region=\(kommune.nativeCode)&years=2015-2024"
            try await ServerHarness.test(env) { client in
                let first = try await client.execute(uri: uri, method: .get)
                let second = try await client.execute(uri: uri, method: .get)
                #expect(first.status == .ok)
                #expect(first.body == second.body)
                let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
                // On PostgreSQL a commit anywhere in the cluster (other tests run beside this one) retires kept answers.
                if kind == .sqlite { #expect(metrics.contains("kilde_response_cache_total{result=\"hit\"} 1")) }
                // A gzip client gets the same answer, compressed once and then kept compressed.
                let zipped = try await client.execute(uri: uri, method: .get, headers: [.acceptEncoding: "gzip"])
                let zippedAgain = try await client.execute(uri: uri, method: .get, headers: [.acceptEncoding: "gzip"])
                #expect(zipped.headers[.contentEncoding] == "gzip")
                #expect(zippedAgain.body == zipped.body)
                var compressed = zipped.body
                #expect(try compressed.decompress(with: .gzip()) == first.body)
                if kind == .sqlite {
                    let after = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
                    #expect(after.contains("kilde_response_cache_total{result=\"hit\"} 2"))
                }
                // CSV is a different answer to the same URI.
                let csv = try await client.execute(uri: uri, method: .get, headers: [.accept: "text/csv"])
                #expect(String(buffer: csv.body).hasPrefix("cat_code,"))

                await env.state.setRevised(true)
                _ = try await env.pipeline.run(dataset: "ssb-12058")
                let fresh = Self.values(try ServerHarness.json(try await client.execute(uri: uri, method: .get)))
                #expect(fresh != Self.values(try ServerHarness.json(first)))
                #expect(fresh.values.reduce(0, +) == after.values.reduce(0, +))
            }
        }
    }

    @Test("kept answers are bounded by bytes, oldest out first, and a new token retires them all")
    func boundedOldestFirst() {
        func payload(_ n: Int) -> Payload { Payload(bytes: ByteBuffer(repeating: 0x61, count: n), contentType: "text/plain") }
        // Each entry costs its body plus its key: 100 + 1 bytes.
        let cache = ResponseCache(capacity: 250)
        cache.keep(payload(100), for: "a", token: "t1")
        cache.keep(payload(100), for: "b", token: "t1")
        #expect(cache.payload(for: "a", token: "t1") != nil)
        cache.keep(payload(100), for: "c", token: "t1")
        #expect(cache.payload(for: "a", token: "t1") == nil, "the oldest went to make room")
        #expect(cache.payload(for: "b", token: "t1")?.bytes.readableBytes == 100)
        #expect(cache.payload(for: "c", token: "t1")?.bytes.readableBytes == 100)
        #expect(cache.payload(for: "c", token: "t2") == nil, "kept under another token")
        cache.keep(payload(300), for: "big", token: "t1")
        #expect(cache.payload(for: "big", token: "t1") == nil, "larger than the whole cache: not kept")
        #expect(cache.payload(for: "c", token: "t1") != nil, "and nothing evicted for it")
        cache.keep(payload(10), for: "d", token: "t2")
        #expect(cache.payload(for: "b", token: "t1") == nil && cache.payload(for: "b", token: "t2") == nil, "a new token retires everything")
        #expect(cache.payload(for: "d", token: "t2") != nil)
    }

    @Test("requests asking for the change token at once share one read, and none gets a read that began before it asked",
          .timeLimit(.minutes(1)))
    func sharedTokenReadsAreFresh() async throws {
        // A stand-in store: commits bump a version; a token read sees the version it began at and takes a while.
        let store = VersionedStore()
        let shared = SharedFreshRead { try await store.readToken() }
        let callers = 200
        try await withThrowingTaskGroup { group in
            for _ in 0..<callers {
                group.addTask {
                    let committed = store.commit()
                    let token = try await shared.value()
                    #expect(token >= committed, "a token from a read that began before this caller's commit")
                }
            }
            try await group.waitForAll()
        }
        #expect(store.reads < callers / 2, "\(store.reads) reads for \(callers) callers: concurrent callers share reads")
    }

    @Test("cancelling the caller that leads a shared token read does not fail the callers sharing it", .timeLimit(.minutes(1)))
    func sharedTokenReadOutlivesItsLeader() async throws {
        let store = VersionedStore()
        store.delay = .milliseconds(200)
        let shared = SharedFreshRead { try await store.readToken() }
        func waitFor(reads n: Int) async throws { while store.reads < n { try await Task.sleep(for: .milliseconds(1)) } }
        // A leads the first read; B and C ask during it, so B leads the second read and C shares it.
        let a = Task { try await shared.value() }
        try await waitFor(reads: 1)
        let b = Task { try await shared.value() }
        try await Task.sleep(for: .milliseconds(20))
        let c = Task { try await shared.value() }
        try await waitFor(reads: 2)
        b.cancel()
        #expect(try await c.value == 0)
        _ = try await a.value
        #expect(store.reads == 2)
    }

    @Test("a failed token read fails its callers and the next read is tried again", .timeLimit(.minutes(1)))
    func sharedTokenReadErrors() async throws {
        let store = VersionedStore()
        store.failing = true
        let shared = SharedFreshRead { try await store.readToken() }
        await #expect(throws: StoreError.self) { try await shared.value() }
        store.failing = false
        store.commit()
        #expect(try await shared.value() == 1, "reading carries on after an error")
    }
}

/// A change token that commits bump, read slowly enough that reads overlap with callers' commits.
private final class VersionedStore: @unchecked Sendable {
    private let lock = NSLock()
    private var version = 0
    private var readCount = 0
    private var fails = false
    private var pause: Duration = .milliseconds(2)

    var reads: Int { lock.withLock { readCount } }
    var failing: Bool {
        get { lock.withLock { fails } }
        set { lock.withLock { fails = newValue } }
    }

    var delay: Duration {
        get { lock.withLock { pause } }
        set { lock.withLock { pause = newValue } }
    }

    @discardableResult
    func commit() -> Int { lock.withLock { version += 1; return version } }

    func readToken() async throws -> Int {
        let (seen, fail) = lock.withLock { readCount += 1; return (version, fails) }
        try await Task.sleep(for: delay)
        if fail { throw StoreError(.connection, "the store is down") }
        return seen
    }
}
