import Foundation
import KildeCatalog
import KildeCore
import KildeIngest
import KildeSimulator
@testable import KildeStore
import Testing

/// BRIS (Police, fire brigades, DSB) from the simulator over loopback, on every enabled store: the expected numbers are
/// the simulator's generator's, never read back through the adapter.
@Suite("BRIS ingest", .serialized)
struct BRISIngestTests {
    static let yearly = ["bris-police-arsak", "bris-police-arnested", "bris-brigade-arsak", "bris-dsb-arsak"]

    @Test("each yearly dataset stores exactly the upstream's cells and records its totals", arguments: StoreKind.enabled, yearly)
    func yearlyDatasets(_ kind: StoreKind, _ dataset: String) async throws {
        try await TestEnvironment.with(kind) { env in
            let result = try await env.pipeline.run(dataset: dataset)
            #expect(result.status == .complete, "\(result.failed.map { $0.error?.description ?? "" })")
            #expect(result.slices.count == (dataset.hasPrefix("bris-police") ? 36 : dataset == "bris-brigade-arsak" ? 4 : 3))
            for s in result.slices {
                let upstream = try env.brisCells(s.slice, revised: false)
                #expect(!upstream.isEmpty)
                #expect(try await env.storedCells(s.slice) == upstream, "slice \(s.slice.label)")
                #expect(s.counters.added == upstream.count)
                #expect(s.upstreamRequests == 1)
                #expect(s.skippedUnmapped == 0 && s.warnings.isEmpty)
                let sum = upstream.values.reduce(0, +)
                #expect(s.apiTotal == sum, "the simulator's declared total is its buckets' sum")
                // source_totals: the grand total (year 0) and one row per year with missions, as the upstream said.
                var expected: [Int: Double] = [0: sum]
                for (key, v) in upstream { expected[Int(key.split(separator: "|")[1]) ?? -1, default: 0] += v }
                #expect(try await env.sourceTotals(s.slice) == expected, "slice \(s.slice.label)")
            }
            let counts = try await env.store.tableCounts()
            #expect(counts["raw_artifacts"] == result.slices.count, "one answer per slice; BRIS has no metadata to prepare")
            #expect(try await env.store.dataKind() == .demo)
            let stats = await env.state.dataRequests
            let source = try #require(env.registry.source(id: try env.dataset(dataset).sourceID))
            #expect(stats == [source.key: result.slices.count], "one POST per slice, counted under the reporter")
        }
    }

    /// SPEC §3 / issue 12's acceptance: the slice whose rows miss the `Ikke besvart` bucket fails whole, naming the
    /// source, the slice and the missing missions; the others are written; the run reports every slice.
    @Test("a slice missing its Ikke besvart row hard-fails, the others succeed", arguments: StoreKind.enabled)
    func missingIkkeBesvartFailsThatSlice(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            await env.state.inject(.missingAnswerRenamed, times: 1)
            let result = try await env.pipeline.run(dataset: "bris-brigade-arsak")
            #expect(result.status == .error)
            #expect(result.slices.map(\.outcome) == [.failed, .written, .written, .written])
            let failed = try #require(result.slices.first)
            let error = try #require(failed.error)
            let missing = try env.brisMissingAnswers(failed.slice)
            #expect(error.code == .totalMismatch)
            #expect(error.description.contains("BRIS-BRIGADE"))
            #expect(error.description.contains(failed.slice.label))
            #expect(error.description.contains("\(JSONNumber.format(missing.values.reduce(0, +))) missing"), "\(error)")
            #expect(error.description.contains("skipped bucket '-99'"))
            #expect((error.underlying as? ReconciliationGap)?.byYear == missing)
            #expect(try await env.storedCells(failed.slice).isEmpty, "nothing of the failed slice is written")
            // The upstream's totals are kept beside the failure: the gap stays visible.
            // (The fault only renamed the key: the upstream's total still holds the missing answers, as the cells do.)
            let upstream = try env.brisCells(failed.slice, revised: false).values.reduce(0, +)
            #expect(try await env.sourceTotals(failed.slice)[0] == upstream)
            for s in result.slices.dropFirst() {
                #expect(try await env.storedCells(s.slice) == env.brisCells(s.slice, revised: false))
            }
            let run = try #require(try await env.store.run(id: result.runID))
            #expect(run.status == .error)
            #expect(run.slicesDone == 4)
            #expect(run.errorMessage?.contains("slice 0: bris-brigade-arsak") == true, "\(run.errorMessage ?? "")")
            let db = try #require((env.store as? any SQLFactStore)?.database)
            let states = try await db.execute("SELECT status FROM extraction_state ORDER BY slice_key")
            #expect(states.compactMap { $0.string("status") }.sorted() == ["failed", "success", "success", "success"])
        }
    }

    /// The same gap from the catalogue's side: without the row every slice with missing answers fails, naming them.
    @Test("a catalogue without the Ikke besvart row fails every slice with missing answers", arguments: StoreKind.enabled)
    func catalogueWithoutIkkeBesvart(_ kind: StoreKind) async throws {
        let drop: (Catalog) throws -> Catalog = { c in
            var c = c
            c.categories.removeAll { $0.sourceID == 4 && $0.dimCode == 1 && $0.nativeName == "Ikke besvart" }
            return c
        }
        try await TestEnvironment.with(kind, catalog: drop) { env in
            let result = try await env.pipeline.run(dataset: "bris-dsb-arsak")
            #expect(result.slices.count == 3)
            for s in result.slices {
                let missing = try env.brisMissingAnswers(s.slice)
                #expect(s.outcome == .failed)
                #expect(s.error?.code == .totalMismatch)
                #expect((s.error?.underlying as? ReconciliationGap)?.byYear == missing)
                #expect(s.error?.description.contains("has native_api_code '-1' (the missing-answer row, 'Ikke besvart')") == true)
            }
            #expect(try await env.store.tableCounts()["fact_yearly"] == 0)
        }
    }

    @Test("a re-run with nothing changed writes nothing, one store round trip per slice", arguments: StoreKind.enabled)
    func rerunWritesNothing(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            let first = try await env.pipeline.run(dataset: "bris-brigade-arsak")
            #expect(first.counters.added > 0)
            let written = env.store.statistics.rowsWritten
            let trips = env.store.statistics.sliceRoundTrips
            let second = try await env.pipeline.run(dataset: "bris-brigade-arsak")
            #expect(second.status == .complete)
            #expect(second.slices.allSatisfy { $0.outcome == .unchanged && $0.decision == .skip })
            #expect(second.counters.upserted == 0 && second.counters.skippedIdentical == first.counters.added)
            #expect(env.store.statistics.rowsWritten == written)
            #expect(env.store.statistics.sliceRoundTrips - trips == second.slices.count)
        }
    }

    /// The revise knob raises chosen days of the last year: the re-run writes exactly the year rows they move.
    @Test("revised days: exactly the moved rows are written", arguments: StoreKind.enabled)
    func reviseWritesExactlyTheMovedRows(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            _ = try await env.pipeline.run(dataset: "bris-dsb-arsak")
            await env.state.setRevised(true)
            let second = try await env.pipeline.run(dataset: "bris-dsb-arsak")
            #expect(second.status == .complete)
            var moved = 0
            for s in second.slices {
                let old = try env.brisCells(s.slice, revised: false), new = try env.brisCells(s.slice, revised: true)
                let changed = Set(old.keys).union(new.keys).filter { old[$0] != new[$0] }
                #expect(s.counters.updated + s.counters.added == changed.count, "slice \(s.slice.label)")
                #expect(s.decision == (changed.isEmpty ? .skip : .writeYears([BRISGenerator.years.upperBound])))
                #expect(try await env.storedCells(s.slice) == new)
                moved += changed.count
            }
            #expect(moved > 0, "the knob moves some rows")
            #expect(second.counters.upserted == moved, "and nothing else is written")
        }
    }

    /// Brigade and DSB answer years only: a daily dataset of theirs is a typed error before anything is asked; if the
    /// catalogue claimed otherwise, the restricted endpoint's 403 fails each slice, not retried.
    @Test("daily data from the restricted endpoint: a typed error, and the 403 behind it", arguments: StoreKind.enabled)
    func restrictedDaily(_ kind: StoreKind) async throws {
        let daily = DatasetDefinition(key: "bris-brigade-arsak-daily", sourceID: 3, adapter: "bris", tableID: "269", title: "test", dimCode: 1,
                                      schedule: "0 5 * * *", freshnessMonths: 1, isDefault: false, options: ["question": "269"], grain: .day)
        try await TestEnvironment.with(kind, catalog: { c in var c = c; c.datasets.append(daily); return c }) { env in
            let error = await #expect(throws: IngestError.self) { try await env.pipeline.run(dataset: daily.key) }
            #expect(error?.code == .grainNotSupported)
            #expect(error?.description.contains("source 'bris-brigade' serves yearly data only") == true)
            #expect(await env.state.dataRequests.isEmpty, "refused before any request")
        }
        let claimsDaily: (Catalog) throws -> Catalog = { c in
            var c = c
            c.datasets.append(daily)
            if let i = c.sources.firstIndex(where: { $0.key == "bris-brigade" }) { c.sources[i].supportsSubyear = true }
            return c
        }
        try await TestEnvironment.with(kind, catalog: claimsDaily) { env in
            let result = try await env.pipeline.run(dataset: daily.key)
            #expect(result.status == .error)
            #expect(result.slices.count == 4)
            for s in result.slices {
                #expect(s.outcome == .failed)
                #expect(s.error?.code == .upstream)
                #expect(s.error?.description.contains("403") == true && s.error?.description.contains("only YEAR") == true, "\(s.error?.description ?? "")")
                #expect(s.error?.description.contains("after 1 attempt") == true, "a 403 is not retried")
            }
            #expect(await env.state.dataRequests == ["bris-brigade": 8], "per slice the chained yearly table, then the first month's days")
            #expect(try await env.store.tableCounts()["fact_daily"] == 0)
        }
    }

    /// BRIS Police daily (DAY histogram → fact_daily) through the daily gates: the first run chains the yearly table
    /// in (fact_yearly was empty) and fans out over its years; a re-run asks BRIS nothing; after BRIS revises days
    /// and the yearly ingest has seen it, only the revised days are written.
    @Test("Police daily: days stored, a re-run writes nothing, revised days written exactly", arguments: StoreKind.enabled)
    func policeDaily(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            let first = try await env.pipeline.run(dataset: "bris-police-arsak-daily")
            #expect(first.status == .complete, "\(first.failed.map { $0.error?.description ?? "" })")
            #expect(first.slices.allSatisfy { $0.slice.table == .daily })
            for s in first.slices {
                #expect(try await env.storedCells(s.slice) == env.brisCells(s.slice, revised: false), "slice \(s.slice.label)")
            }
            #expect(try await env.store.tableCounts()["fact_yearly"] ?? 0 > 0, "the yearly tables were chained in")
            let written = env.store.statistics.rowsWritten
            let again = try await env.pipeline.run(dataset: "bris-police-arsak-daily")
            #expect(again.slices.allSatisfy { $0.outcome == .unchanged && $0.upstreamRequests == 0 })
            #expect(env.store.statistics.rowsWritten == written)
            await env.state.setRevised(true)
            let yearly = first.slices.map { s in
                Slice(dataset: "bris-police-arsak", dimCode: s.slice.dimCode, filters: s.slice.filters, years: s.slice.years)
            }
            _ = try await env.pipeline.run(dataset: "bris-police-arsak", slices: yearly)
            let revised = try await env.pipeline.run(dataset: "bris-police-arsak-daily")
            for s in revised.slices {
                let old = try env.brisCells(s.slice, revised: false), new = try env.brisCells(s.slice, revised: true)
                let changed = Set(old.keys).union(new.keys).filter { old[$0] != new[$0] }
                #expect(!changed.isEmpty)
                #expect(s.counters.updated + s.counters.added == changed.count, "slice \(s.slice.label)")
                #expect(try await env.storedCells(s.slice) == new)
            }
        }
    }
}
