import Foundation
import HummingbirdTesting
import KildeCore
import KildeSimulator
@testable import KildeStore
import Testing

/// `kilde reconcile` and `GET /v1/reconcile` on every enabled store, after real ingests from the simulator: the
/// stored atoms of each slice against the upstream's own totals recorded in `source_totals`.
@Suite("Reconcile", .serialized)
struct ReconcileTests {
    /// The BRIS Police's developed fires (one mission type: the all-buildings slice and the 8 building groups) and SSB 12058.
    static func ingest(_ env: TestEnvironment) async throws -> (police: Int64, slices: Int) {
        let police = try await env.pipeline.run(dataset: "bris-police-arsak", selection: SliceSelection(filters: [.fireType: [20102]]))
        #expect(police.status == .complete && police.slices.count == 9)
        let ssb = try await env.pipeline.run(dataset: "ssb-12058")
        #expect(ssb.status == .complete)
        return (police.runID, police.slices.count + ssb.slices.count)
    }

    static let residential = Slice(dataset: "bris-police-arsak", dimCode: 1, filters: [.fireType: [20102], .buildingType: [20201]])
    static let allBuildings = Slice(dataset: "bris-police-arsak", dimCode: 1, filters: [.fireType: [20102]])

    /// Moves one stored atom of `slice` (category and year of its first stored row) by `delta`, in SQL behind the
    /// store's back. - Returns: the year moved and the upstream's recorded total for it.
    static func tamper(_ env: TestEnvironment, _ slice: Slice, delta: Double) async throws -> (year: Int, recorded: Double) {
        let db = try #require((env.store as? any SQLFactStore)?.database)
        let cells = try await env.storedCells(slice)
        let (key, _) = try #require(cells.sorted { $0.key < $1.key }.first)
        let parts = key.split(separator: "|")
        let cat = try #require(Int(parts[0])), year = try #require(Int(parts[1]))
        let building = slice.filters[.buildingType].map { "= \($0[0])" } ?? "IS NULL"
        try await db.execute("""
            UPDATE fact_yearly SET value = value + ? WHERE source_id = 2 AND dim_code = 1 AND cat_code = ? AND year = ?
              AND fire_type_code = 20102 AND building_type_code \(building) AND region_code IS NULL AND building_age_code IS NULL
            """, [.double(delta), .int(cat), .int(year)])
        let recorded = try #require(try await env.sourceTotals(slice)[year])
        return (year, recorded)
    }

    @Test("clean ingests reconcile; a fact changed behind the store's back is exactly that slice and year, in the CLI and the API",
          arguments: StoreKind.enabled)
    func reconcile(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            let (runID, slices) = try await Self.ingest(env)
            let clean = try await env.store.reconcile(ReconcileScope())
            #expect(clean.mismatchCount == 0 && clean.mismatches.isEmpty && clean.unreadableSlices.isEmpty)
            #expect(clean.slicesChecked == slices, "every ingested slice has recorded totals")
            #expect(clean.datasets.map(\.dataset) == ["bris-police-arsak", "ssb-12058"])
            #expect(clean.datasets.first?.slicesChecked == 9)

            // The all-buildings slice holds NULL-as-ALL totals of the building axis; its children are the groups'
            // slices. Summed together (any building type) they exceed what the upstream said for the total, so a
            // reconciliation that did so would report a mismatch on a clean store.
            let totalRecorded = try await env.sourceTotals(Self.allBuildings)[0] ?? 0
            let ds = try env.dataset("bris-police-arsak")
            let everything = try await env.store.queryFacts(FactQuery(sourceID: ds.sourceID, dimCode: ds.dimCode, filters: [.fireType: [20102]],
                                                                      anyAxes: [.buildingType])).compactMap(\.value).reduce(0, +)
            #expect(totalRecorded > 0 && everything > totalRecorded)
            #expect(try await env.storedSum(Self.allBuildings) == totalRecorded)

            // One residential atom moves by +7: only the residential slice disagrees, in that year, by -7; the
            // all-buildings slice above it still adds up.
            let (year, recorded) = try await Self.tamper(env, Self.residential, delta: 7)
            let report = try await env.store.reconcile(ReconcileScope())
            #expect(report.slicesChecked == slices && report.mismatchCount == 1)
            let m = try #require(report.mismatches.first)
            #expect(m.dataset == "bris-police-arsak" && m.source == "bris-police" && m.sliceKey == Self.residential.stateKey)
            #expect(m.slice == Self.residential.label)
            #expect(m.periods == [PeriodGap(period: String(year), upstream: recorded, stored: recorded + 7)])
            #expect(m.periods.first?.gap == -7 && m.gap == -7)
            #expect(m.runId == runID && !m.seenAt.isEmpty)
            #expect(report.datasets.first { $0.dataset == "bris-police-arsak" }?.mismatches == 1)
            #expect(try await env.store.reconcile(ReconcileScope(dataset: "ssb-12058")).mismatchCount == 0)

            // The CLI: the same report, exit 1 on a mismatch (cron), 0 on a clean scope.
            let found = try await CLIProcess.run(["reconcile", "--store", env.storeSpec, "--format", "json"])
            #expect(found.status == 1, "\(found.stderr)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(found.stdout.utf8)) as? [String: Any])
            #expect(json["mismatchCount"] as? Int == 1 && json["slicesChecked"] as? Int == slices)
            let periods = ((json["mismatches"] as? [[String: Any]])?.first?["periods"] as? [[String: Any]]) ?? []
            #expect(periods.count == 1 && periods.first?["period"] as? String == String(year) && periods.first?["gap"] as? Double == -7)
            let table = try await CLIProcess.run(["reconcile", "--store", env.storeSpec])
            #expect(table.status == 1)
            #expect(table.stdout.contains("\(slices) slices checked, 1 mismatch"), "\(table.stdout)")
            #expect(table.stdout.contains(Self.residential.label) && table.stdout.contains(" -7 "))
            let ssbOnly = try await CLIProcess.run(["reconcile", "--store", env.storeSpec, "--source", "ssb"])
            #expect(ssbOnly.status == 0 && ssbOnly.stdout.contains("slices checked, 0 mismatches"), "\(ssbOnly.stdout)\(ssbOnly.stderr)")
            let unknown = try await CLIProcess.run(["reconcile", "--store", env.storeSpec, "--dataset", "nope"])
            #expect(unknown.status == 2)

            // The API: the same answer as JSON; bad parameters are problems naming the parameter.
            try await ServerHarness.test(env) { client in
                let all = try ServerHarness.json(try await client.execute(uri: "/v1/reconcile", method: .get))
                #expect(all["mismatchCount"] as? Int == 1 && all["slicesChecked"] as? Int == slices)
                let mm = try #require((all["mismatches"] as? [[String: Any]])?.first)
                #expect(mm["sliceKey"] as? String == Self.residential.stateKey && mm["runId"] as? Int == Int(runID))
                let ssb = try ServerHarness.json(try await client.execute(uri: "/v1/reconcile?source=ssb&dataset=ssb-12058", method: .get))
                #expect(ssb["mismatchCount"] as? Int == 0 && (ssb["slicesChecked"] as? Int ?? 0) == slices - 9)
                for (uri, parameter) in [("/v1/reconcile?source=nope", "source"), ("/v1/reconcile?dataset=nope", "dataset"),
                                         ("/v1/reconcile?source=ssb&dataset=bris-police-arsak", "dataset"), ("/v1/reconcile?slice=1", "slice")] {
                    let r = try await client.execute(uri: uri, method: .get)
                    #expect(r.status == .badRequest && r.headers[.contentType] == "application/problem+json", "\(uri)")
                    #expect(try ServerHarness.json(r)["parameter"] as? String == parameter, "\(uri)")
                }
            }

            // A NULL-as-ALL total moved instead: its own slice is reported, not its children's.
            let (totalYear, totalRecordedYear) = try await Self.tamper(env, Self.allBuildings, delta: -3)
            let both = try await env.store.reconcile(ReconcileScope(dataset: "bris-police-arsak"))
            #expect(both.mismatchCount == 2 && both.slicesChecked == 9)
            let total = try #require(both.mismatches.first { $0.sliceKey == Self.allBuildings.stateKey })
            #expect(total.periods == [PeriodGap(period: String(totalYear), upstream: totalRecordedYear, stored: totalRecordedYear - 3)])
        }
    }

    @Test("a failed slice's recorded totals are reported with the whole gap", arguments: StoreKind.enabled)
    func failedSlice(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            await env.state.inject(.missingAnswerRenamed, times: 1)
            let result = try await env.pipeline.run(dataset: "bris-brigade-arsak")
            #expect(result.slices.map(\.outcome) == [.failed, .written, .written, .written])
            let failed = try #require(result.slices.first).slice
            let report = try await env.store.reconcile(ReconcileScope(sourceID: try env.dataset("bris-brigade-arsak").sourceID))
            #expect(report.slicesChecked == 4 && report.mismatchCount == 1)
            let m = try #require(report.mismatches.first)
            #expect(m.sliceKey == failed.stateKey && m.storedTotal == 0 && m.runId == result.runID)
            // Nothing of the failed slice was written: every year the upstream reported is missing whole.
            var upstream: [String: Double] = [:]
            for (key, v) in try env.brisCells(failed, revised: false) { upstream[String(key.split(separator: "|")[1]), default: 0] += v }
            #expect(Dictionary(uniqueKeysWithValues: m.periods.map { ($0.period, $0.gap) }) == upstream)
        }
    }

    @Test("a slice's canonical JSON reads back as the slice")
    func canonicalJSONRoundTrip() throws {
        let slices = [
            Self.residential, Self.allBuildings,
            Slice(dataset: "x", dimCode: 5, metric: .valueKr, filters: [.region: [3, 1, 2], .buildingAge: [9]], years: YearWindow(first: 2015, last: 2024)),
            Slice(dataset: "d\"q", dimCode: 1, filters: [:], years: nil, table: .daily),
        ]
        for s in slices { #expect(Slice(canonicalJSON: s.canonicalJSON) == s, "\(s.canonicalJSON)") }
        #expect(Slice(canonicalJSON: "{\"dataset\":\"x\"}") == nil)
        #expect(Slice(canonicalJSON: "sha256:abc") == nil)
    }
}
