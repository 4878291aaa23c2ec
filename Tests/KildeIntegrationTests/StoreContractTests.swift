import Foundation
import KildeCore
@testable import KildeStore
import Testing

/// The data contract (SPEC §2) enforced by the store itself, not only by Swift code.
@Suite("Store contract", .serialized)
struct StoreContractTests {
    static func ref(_ slice: Slice) -> SliceRef { SliceRef(runID: nil, sourceID: 5, dataset: slice.dataset, slice: slice) }

    static func commit(_ env: TestEnvironment, _ facts: [Fact], metric: Metric = .value) async throws {
        let slice = Slice(dataset: "ssb-12058", dimCode: 5)
        try await env.store.commitSlice(SliceCommit(ref: ref(slice), metric: metric, upserts: facts, deletes: [], clears: [],
                                                    upstream: SliceTotals(facts: facts, metric: metric), transformedRowCount: facts.count,
                                                    fetchedAt: Timestamp.now()))
    }

    static func key(region: Int? = nil, buildingType: Int? = nil, cat: Int = 502, dim: Int = 5) -> FactKey {
        FactKey(sourceID: 5, dimCode: dim, catCode: cat, period: .year(2023), buildingType: buildingType, region: region)
    }

    struct Rejected: Sendable, CustomTestStringConvertible {
        var name: String
        var fact: Fact
        var testDescription: String { name }
    }

    @Test("the store rejects rows that break the contract", arguments: StoreKind.enabled, [
        Rejected(name: "wrong-axis filter id (a building_type filter in region_code)", fact: Fact(key: key(region: 64), value: 1)),
        Rejected(name: "filter on a dimension it does not apply to", fact: Fact(key: key(buildingType: 64, cat: 10001, dim: 100), value: 1)),
        Rejected(name: "filter id that does not exist", fact: Fact(key: key(region: 99_999_999), value: 1)),
        Rejected(name: "native-only category", fact: Fact(key: key(cat: 701, dim: 7), value: 1)),
        Rejected(name: "negative count", fact: Fact(key: key(), value: -3)),
        Rejected(name: "no metric at all", fact: Fact(key: key())),
        Rejected(name: "unknown category", fact: Fact(key: key(cat: 599), value: 1)),
    ])
    func rejects(_ kind: StoreKind, _ c: Rejected) async throws {
        try await TestEnvironment.with(kind) { env in
            try await Self.commit(env, [Fact(key: Self.key(region: 50301), value: 5)])
            let error = await #expect(throws: StoreError.self) { try await Self.commit(env, [Fact(key: Self.key(region: 53101), value: 2), c.fact]) }
            #expect(error?.code == .constraint, "\(String(describing: error))")
            // The whole slice transaction rolled back: the good row of the failed batch is not there either.
            let rows = try await env.store.queryFacts(FactQuery(sourceID: 5, dimCode: 5, anyAxes: Set(FilterAxis.allCases)))
            #expect(rows.map(\.regionCode) == ["0301"])
        }
    }

    @Test("a duplicate NULL-axis row is impossible", arguments: StoreKind.enabled)
    func nullAxesAreNotDistinct(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            let db = try #require(env.store as? any SQLFactStore).database
            let insert = "INSERT INTO fact_yearly (source_id, dim_code, cat_code, year, value, ingested_at) VALUES (5, 5, 502, 2023, 1, ?)"
            try await db.execute(insert, [.text(Timestamp.now())])
            let error = await #expect(throws: StoreError.self) { try await db.execute(insert, [.text(Timestamp.now())]) }
            #expect(error?.code == .constraint)
            // The upsert path targets the same key and updates instead of duplicating.
            try await Self.commit(env, [Fact(key: Self.key(), value: 4)])
            try await Self.commit(env, [Fact(key: Self.key(), value: 4)])
            let rows = try await env.store.queryFacts(FactQuery(sourceID: 5, dimCode: 5))
            #expect(rows.count == 1)
            #expect(rows.first?.value == 4)
        }
    }

    @Test("a value-only write never clears value_kr, and the reverse", arguments: StoreKind.enabled)
    func twoPassWrite(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            try await Self.commit(env, [Fact(key: Self.key(region: 50301), value: 7)], metric: .value)
            try await Self.commit(env, [Fact(key: Self.key(region: 50301), valueKr: 285)], metric: .valueKr)
            let row = try #require(try await env.store.queryFacts(FactQuery(sourceID: 5, dimCode: 5, anyAxes: [.region])).first)
            #expect(row.value == 7)
            #expect(row.valueKr == 285)
        }
    }

    @Test("one active run per slice hash; a dead owner's run is retired", arguments: StoreKind.enabled)
    func activeRunUniqueness(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            let config = "{\"dataset\":\"ssb-12058\",\"slices\":[]}"
            let request = RunRequest(sourceKey: "ssb", dataset: "ssb-12058", sliceConfig: config, slicesTotal: 1, years: nil,
                                     owner: RunOwner.current, startedAt: Timestamp.now())
            let first = try await env.store.startRun(request)
            let error = await #expect(throws: StoreError.self) { try await env.store.startRun(request) }
            #expect(error?.code == .activeRun(first))
            #expect(error?.message.contains("run \(first)") == true)
            // Another slice set is independent.
            var other = request
            other.sliceConfig = "{\"dataset\":\"ssb-08764\",\"slices\":[]}"
            _ = try await env.store.startRun(other)
            // A finished run frees the slice.
            try await env.store.finishRun(id: first, status: .complete, progress: RunProgress(slicesDone: 1, counters: .init(), at: Timestamp.now()), error: nil)
            let second = try await env.store.startRun(request)
            // A run whose process is gone does not block the slice forever.
            var dead = request
            dead.owner = "\(RunOwner.hostName):2147483646"
            dead.sliceConfig = "{\"dataset\":\"dead\"}"
            let abandoned = try await env.store.startRun(dead)
            let replacement = try await env.store.startRun(dead)
            #expect(replacement != abandoned)
            #expect(try await env.store.run(id: abandoned)?.status == .error)
            #expect(try await env.store.run(id: abandoned)?.errorMessage?.contains("abandoned") == true)
            #expect(second != first)
        }
    }

    @Test("migrations are recorded and safe to re-run", arguments: StoreKind.enabled)
    func migrationsIdempotent(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            let again = try await env.store.migrate(catalog: env.registry.catalog)
            #expect(again.applied.isEmpty)
            #expect(again.alreadyApplied >= 4)
            let counts = try await env.store.tableCounts()
            #expect(counts["filters"] == env.registry.catalog.filters.count)
            #expect(counts["categories"] == env.registry.catalog.categories.count)
        }
    }

    @Test("demo and real data never share a store", arguments: StoreKind.enabled)
    func dataKindIsClaimedOnce(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            try await env.store.claimDataKind(.demo)
            try await env.store.claimDataKind(.demo)
            let error = await #expect(throws: StoreError.self) { try await env.store.claimDataKind(.real) }
            #expect(error?.code == .dataKindMismatch)
        }
    }
}
