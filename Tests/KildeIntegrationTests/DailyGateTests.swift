import Foundation
import KildeCore
import KildeIngest
import KildeSimulator
import KildeStore
import Testing

/// The four daily gates of SPEC §4 for both daily sources, on both stores, against the simulator: counted store
/// round trips, upstream requests and rows written.
@Suite("Daily four-tier gates")
struct DailyGateTests {
    static let window = YearWindow(first: 2016, last: 2025)

    /// One daily source as the tests drive it.
    struct Source: Sendable, CustomStringConvertible {
        var daily: String
        var yearly: String
        var filters: [FilterAxis: [Int]]
        /// Requests of one session before its first data request (BRASK's form page).
        var sessionRequests: Int

        var description: String { daily }

        func slice(_ table: FactTable, years: YearWindow? = DailyGateTests.window) -> Slice {
            Slice(dataset: table == .daily ? daily : yearly, dimCode: 1, metric: .value, filters: filters, years: years, table: table)
        }

        static let brask = Source(daily: "brask-arsak-daily", yearly: "brask-arsak",
                                  filters: [.fireType: [10101], .buildingType: [10201], .buildingAge: [10310]], sessionRequests: 1)
        static let bris = Source(daily: "bris-police-arsak-daily", yearly: "bris-police-arsak", filters: [.fireType: [20102]], sessionRequests: 0)
    }

    static let cases: [(StoreKind, Source)] = StoreKind.enabled.flatMap { k in [(k, Source.brask), (k, Source.bris)] }

    /// What the simulator holds for a slice, computed from its generator.
    static func cells(_ env: TestEnvironment, _ source: Source, _ slice: Slice) async throws -> [String: Double] {
        if source.daily.hasPrefix("brask") { return try env.braskCells(slice, revisions: await env.sim.simulator.brask.state.revisions) }
        return try env.brisCells(slice, revised: false, moved: await env.state.brisRevisions)
    }

    /// Requests the simulator has served, data and metadata (BRASK's form pages count as metadata).
    static func served(_ env: TestEnvironment) async -> Int {
        await env.state.dataRequests.values.reduce(0, +) + env.state.metadataRequests
    }

    static func phaseDetail(_ env: TestEnvironment, _ runID: Int64) async throws -> [String: Any] {
        let run = try #require(try await env.store.run(id: runID))
        let text = try #require(run.phaseDetail)
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// Cold: the yearly table is chained in first (fact_yearly was empty), then one day request per month of the
    /// years it names. Stable: the next run costs one store round trip, no upstream request, no write.
    @Test("cold fan-out after the yearly auto-chain; then a stable 10-year slice is 1 round trip, 0 requests, 0 writes",
          arguments: cases)
    func coldThenStable(_ kind: StoreKind, _ source: Source) async throws {
        try await TestEnvironment.with(kind) { env in
            let slice = source.slice(.daily)
            let first = try await env.pipeline.run(dataset: source.daily, slices: [slice])
            #expect(first.status == .complete, "\(first.failed.map { $0.error?.description ?? "" })")
            let s = try #require(first.slices.first)
            #expect(s.upstreamRequests == source.sessionRequests + 1 + 120, "the yearly table, then 12 months × 10 years")
            #expect(try await env.storedCells(slice) == Self.cells(env, source, slice))
            let yearly = source.slice(.yearly)
            #expect(try await env.storedCells(yearly) == Self.cells(env, source, yearly), "the chained yearly facts, under \(source.yearly)")
            let done = try await Self.phaseDetail(env, first.runID)
            #expect(done["kind"] as? String == (source.daily.hasPrefix("brask") ? "brask_daily_fanout" : "bris_police_daily_fanout"))
            #expect(done["phase"] as? String == "done" && done["done"] as? Int == 120 && done["total"] as? Int == 120, "\(done)")

            let trips = env.store.statistics.sliceRoundTrips, written = env.store.statistics.rowsWritten, served = await Self.served(env)
            let again = try await env.pipeline.run(dataset: source.daily, slices: [slice])
            #expect(again.status == .complete)
            #expect(again.slices.map(\.outcome) == [.unchanged])
            #expect(env.store.statistics.sliceRoundTrips - trips == 1, "one store round trip")
            #expect(await Self.served(env) == served, "no upstream request")
            #expect(again.slices.first?.upstreamRequests == 0)
            #expect(env.store.statistics.rowsWritten == written, "no write")
        }
    }

    /// Two days of one month move upstream; the yearly ingest sees the year drift first. The daily run then asks
    /// for that year's months (tier 2) and that one month's days (tier 3), and writes only the days that moved.
    @Test("one changed month: at most 2 data requests, only the moved days written", arguments: cases)
    func oneChangedMonth(_ kind: StoreKind, _ source: Source) async throws {
        try await TestEnvironment.with(kind) { env in
            let slice = source.slice(.daily)
            _ = try await env.pipeline.run(dataset: source.daily, slices: [slice])
            let before = try await Self.cells(env, source, slice)
            let moved = [CivilDate(year: 2024, month: 3, day: 5), CivilDate(year: 2024, month: 3, day: 20)].compactMap { $0 }
            if source.daily.hasPrefix("brask") {
                // BRASK's fires are spread over 598 filter combinations: enough of them that some land in this slice.
                await env.sim.simulator.brask.state.revise(moved, by: 900)
            } else {
                await env.state.reviseBRIS(moved, by: 2)
            }
            let after = try await Self.cells(env, source, slice)
            let changed = Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }
            #expect(!changed.isEmpty && changed.allSatisfy { $0.contains("2024-03-") })
            let yearly = try await env.pipeline.run(dataset: source.yearly, slices: [source.slice(.yearly)])
            #expect(yearly.slices.first?.outcome == .written)

            let written = env.store.statistics.rowsWritten
            let run = try await env.pipeline.run(dataset: source.daily, slices: [slice])
            let s = try #require(run.slices.first)
            #expect(run.status == .complete, "\(run.failed.map { $0.error?.description ?? "" })")
            #expect(s.upstreamRequests == source.sessionRequests + 2, "2024 by month, then 2024-03's days")
            #expect(s.counters.added + s.counters.updated == changed.count)
            #expect(s.counters.deleted == 0)
            #expect(env.store.statistics.rowsWritten - written == changed.count, "only the moved days")
            #expect(try await env.storedCells(slice) == after)
        }
    }

    /// A window reaching past the upstream's years: the cold fan-out asks only the years the yearly table has, so
    /// BRASK's HTTP 500 for a year without data is never met.
    @Test("the cold fan-out never asks for a year without data", arguments: cases)
    func coldFanOutSkipsEmptyYears(_ kind: StoreKind, _ source: Source) async throws {
        try await TestEnvironment.with(kind) { env in
            let slice = source.slice(.daily, years: YearWindow(first: 2013, last: 2025))
            let result = try await env.pipeline.run(dataset: source.daily, slices: [slice])
            #expect(result.status == .complete, "\(result.failed.map { $0.error?.description ?? "" })")
            let years = source.daily.hasPrefix("brask") ? 11 : 10
            #expect(result.slices.first?.upstreamRequests == source.sessionRequests + 1 + 12 * years)
            #expect(await env.sim.simulator.brask.state.counts.noData == 0)
            #expect(try await env.storedCells(slice) == Self.cells(env, source, slice))
        }
    }

    /// An upstream error in the fan-out fails the slice naming the month, and the run keeps the fan-out's
    /// phase_detail with that cursor; nothing of the slice is written.
    @Test("a failing month is named in the error and kept as the phase_detail cursor", arguments: StoreKind.enabled)
    func failingCursorKept(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            let slice = Source.brask.slice(.daily)
            // The yearly table and two months pass; the third month's post is answered 500.
            await env.state.inject(.pass, times: 3)
            await env.state.inject(.status(500, retryAfter: nil))
            let result = try await env.pipeline.run(dataset: Source.brask.daily, slices: [slice])
            #expect(result.status == .error)
            let error = try #require(result.slices.first?.error)
            #expect(error.description.contains("BRASK POST 500 (2016-03)"), "\(error)")
            let run = try #require(try await env.store.run(id: result.runID))
            #expect(run.errorMessage?.contains("BRASK POST 500 (2016-03)") == true)
            let detail = try await Self.phaseDetail(env, result.runID)
            #expect(detail["kind"] as? String == "brask_daily_fanout")
            #expect(detail["phase"] as? String == "tier3_daily_fetch")
            #expect(detail["cursor"] as? [String: Int] == ["year": 2016, "month": 3], "\(detail)")
            #expect(detail["done"] as? Int == 2 && detail["total"] as? Int == 120)
            #expect(try await env.storedCells(slice).isEmpty)
        }
    }
}
