import Foundation
import KildeCore
import KildeIngest
import KildeSimulator
@testable import KildeStore
import Testing

/// BRASK from the simulated WebForms page over loopback, on every enabled store: the expected numbers are the
/// simulator's generator's (``TestEnvironment/braskCells(_:)``), never read back through the adapter or the pages.
@Suite("BRASK ingest", .serialized)
struct BRASKIngestTests {
    /// Varm fires in Beboelse, in two bygningsalder brackets: 2 × 2 slices (value, then value_kr).
    static let yearly = SliceSelection(filters: [.fireType: [10101], .buildingType: [10201], .buildingAge: [10305, 10313]])

    @Test("yearly: value then value_kr store the generator's cells, both metrics on the same rows", arguments: StoreKind.enabled)
    func yearlyBothMetrics(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            let result = try await env.pipeline.run(dataset: "brask-arsak", selection: Self.yearly)
            #expect(result.status == .complete, "\(result.failed.map { $0.error?.description ?? "" })")
            #expect(result.slices.map(\.slice.metric) == [.value, .value, .valueKr, .valueKr])
            for s in result.slices {
                let upstream = try env.braskCells(s.slice)
                #expect(!upstream.isEmpty)
                #expect(s.counters.added + s.counters.updated == upstream.count, "slice \(s.slice.label)")
                #expect(s.upstreamRequests == (s.index == 0 ? 2 : 1), "the run's one GET of the form, then a POST per slice")
                #expect(s.apiTotal == upstream.values.reduce(0, +), "SUM × SUM is the generator's total")
                #expect(s.skippedUnmapped == 0 && s.warnings.isEmpty)
            }
            #expect(await env.sim.simulator.brask.state.counts.formPages == 1, "one form session for the run's four slices")
            for (countSlice, damageSlice) in zip(result.slices.prefix(2), result.slices.suffix(2)) {
                let counts = try env.braskCells(countSlice.slice), damage = try env.braskCells(damageSlice.slice)
                let stored = try await env.storedMetrics(countSlice.slice)
                #expect(Set(stored.keys) == Set(counts.keys))
                #expect(stored.mapValues { $0.value } == counts.mapValues { Optional($0) }, "value as counted")
                #expect(stored.mapValues { $0.valueKr } == damage.mapValues { Optional($0) }, "value_kr in thousands of NOK, as delivered")
            }
            // The value_kr pass updated the rows the value pass added, without clearing their counts.
            #expect(result.slices.suffix(2).allSatisfy { $0.counters.added == 0 && $0.counters.updated > 0 })
            #expect(try await env.store.dataKind() == .demo)
        }
    }

    @Test("yearly: a re-run with nothing changed writes nothing", arguments: StoreKind.enabled)
    func rerunWritesNothing(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            let first = try await env.pipeline.run(dataset: "brask-arsak", selection: Self.yearly)
            #expect(first.status == .complete)
            let written = env.store.statistics.rowsWritten
            let second = try await env.pipeline.run(dataset: "brask-arsak", selection: Self.yearly)
            #expect(second.status == .complete)
            #expect(second.slices.allSatisfy { $0.outcome == .unchanged && $0.decision == .skip })
            #expect(second.counters.upserted == 0)
            #expect(env.store.statistics.rowsWritten == written)
        }
    }

    @Test("bygningsalder as its own dimension 6: the marginal distribution", arguments: StoreKind.enabled)
    func buildingAgeMarginal(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            let selection = SliceSelection(filters: [.fireType: [10102], .buildingType: [10201]], metric: .value)
            let result = try await env.pipeline.run(dataset: "brask-bygningsalder", selection: selection)
            #expect(result.status == .complete, "\(result.failed.map { $0.error?.description ?? "" })")
            let s = try #require(result.slices.first)
            #expect(result.slices.count == 1 && s.slice.filters[.buildingAge] == nil && s.slice.dimCode == 6)
            let upstream = try env.braskCells(s.slice)
            #expect(try await env.storedMetrics(s.slice).mapValues { $0.value } == upstream.mapValues { Optional($0) })
            #expect(Set(upstream.keys.compactMap { Int($0.split(separator: "|")[0]) }).count == 13, "every bracket is a category")
        }
    }

    /// One post per month of the window, 31 day columns each: impossible days are never stored, zero days neither.
    @Test("daily: one post per month stores the generator's days, value and value_kr", arguments: StoreKind.enabled)
    func daily(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            let selection = SliceSelection(filters: [.fireType: [10101], .buildingType: [10201], .buildingAge: [10310]],
                                           years: YearWindow(first: 2024, last: 2024))
            let result = try await env.pipeline.run(dataset: "brask-arsak-daily", selection: selection)
            #expect(result.status == .complete, "\(result.failed.map { $0.error?.description ?? "" })")
            #expect(result.slices.count == 2)
            let counts = try env.braskCells(result.slices[0].slice), damage = try env.braskCells(result.slices[1].slice)
            let stored = try await env.storedMetrics(result.slices[0].slice)
            #expect(stored.mapValues { $0.value } == counts.mapValues { Optional($0) })
            #expect(stored.mapValues { $0.valueKr } == damage.mapValues { Optional($0) })
            #expect(stored.keys.contains { $0.hasSuffix("2024-02-29") } || !counts.keys.contains { $0.hasSuffix("2024-02-29") })
            let simCounts = await env.sim.simulator.brask.state.counts
            #expect(result.slices.map(\.upstreamRequests) == [14, 13],
                    "the run's one form, each pass's yearly table (fact_yearly had neither metric), then twelve months: \(simCounts)")
            #expect(simCounts.formPages == 1)
            let again = try await env.pipeline.run(dataset: "brask-arsak-daily", selection: selection)
            #expect(again.slices.allSatisfy { $0.outcome == .unchanged }, "a re-run writes nothing")
        }
    }

    /// The application recycles after every accepted post, so every later post of a slice meets a stale
    /// __VIEWSTATE: each is answered by ASP.NET's error page, a fresh form, and the same post again.
    @Test("a stale __VIEWSTATE gets a fresh form and the run still succeeds", arguments: StoreKind.enabled)
    func staleViewState(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            await env.sim.simulator.brask.state.rotate(every: 1)
            let selection = SliceSelection(filters: [.fireType: [10101], .buildingType: [10201], .buildingAge: [10310]],
                                           years: YearWindow(first: 2023, last: 2023), metric: .value)
            let result = try await env.pipeline.run(dataset: "brask-arsak-daily", selection: selection)
            #expect(result.status == .complete, "\(result.failed.map { $0.error?.description ?? "" })")
            let s = try #require(result.slices.first)
            let counts = await env.sim.simulator.brask.state.counts
            #expect(counts.rejected == 12, "every post after the first (the chained yearly table) met a stale state once")
            #expect(s.upstreamRequests == 1 + 13 + 2 * 12)
            #expect(try await env.storedMetrics(s.slice).mapValues { $0.value } == env.braskCells(s.slice).mapValues { Optional($0) })
        }
    }

    /// BRASK answers a year without data with HTTP 500: a yearly slice that asks for one fails naming the cursor,
    /// without retries, and writes nothing; the other slices are written. A daily slice never asks for it: its
    /// fan-out covers only the years the yearly table has (see ``DailyGateTests``), so a window without data is
    /// unchanged after the yearly table.
    @Test("a year without data is a typed error naming the cursor; the other slices succeed", arguments: StoreKind.enabled)
    func yearWithoutData(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            let filters: [FilterAxis: [Int]] = [.fireType: [10102], .buildingType: [10201], .buildingAge: [10313]]
            let empty = Slice(dataset: "brask-arsak", dimCode: 1, filters: filters, years: YearWindow(first: 2026, last: 2026))
            let full = Slice(dataset: "brask-arsak", dimCode: 1, filters: filters, years: YearWindow(first: 2025, last: 2025))
            let result = try await env.pipeline.run(dataset: "brask-arsak", slices: [empty, full])
            #expect(result.status == .error)
            #expect(result.slices.map(\.outcome) == [.failed, .written])
            let error = try #require(result.slices[0].error)
            #expect(error.code == .upstream)
            #expect(error.description.contains("BRASK POST 500 (2026)"), "\(error)")
            #expect(result.slices[0].upstreamRequests == 2, "the 500 is an answer, not retried")
            #expect(try await env.storedMetrics(empty).isEmpty)
            #expect(try await env.storedMetrics(full).mapValues { $0.value } == env.braskCells(full).mapValues { Optional($0) })
            let run = try #require(try await env.store.run(id: result.runID))
            #expect(run.errorMessage?.contains("BRASK POST 500 (2026)") == true, "\(run.errorMessage ?? "")")
            #expect(await env.sim.simulator.brask.state.counts.noData == 1)

            let daily = Slice(dataset: "brask-arsak-daily", dimCode: 1, filters: filters, years: YearWindow(first: 2026, last: 2026), table: .daily)
            let noData = try await env.pipeline.run(dataset: "brask-arsak-daily", slices: [daily])
            #expect(noData.status == .complete)
            #expect(noData.slices.first?.outcome == .unchanged)
            #expect(noData.slices.first?.warnings.contains { $0.contains("no year of 2026 has data") } == true, "\(noData.slices.first?.warnings ?? [])")
            #expect(noData.slices.first?.upstreamRequests == 2, "the form and the yearly table; no month of 2026")
            #expect(await env.sim.simulator.brask.state.counts.noData == 1)
        }
    }
}
