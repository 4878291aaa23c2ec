import Foundation
import KildeCore
import KildeSimulator
import KildeSources
import KildeUpstream
import Testing

/// The simulated BRASK data, read through the page parser: the same fires whatever the grain, revisions that move
/// only the days they name, filters that partition, and the simulator's request counts.
@Suite("BRASK simulator data", .serialized)
struct BRASKSimulatorDataTests {
    /// Per row label, the sum of a pivot's body cells (empty ones count nothing).
    static func rowTotals(_ p: BRASKPivot) -> [String: Double] {
        Dictionary(uniqueKeysWithValues: zip(p.rowLabels, p.values.map { $0.compactMap { $0 }.reduce(0, +) }))
    }

    static func merge(_ a: [String: Double], _ b: [String: Double]) -> [String: Double] { a.merging(b, uniquingKeysWith: +) }

    @Test(arguments: ["1", "2"])
    func daysSumToMonthsAndMonthsToTheYear(_ metric: String) async throws {
        try await BRASKBrowser.with { browser in
            let form = try await browser.form()
            let base = ["lbAar": ["2024"], "rblVerdi": [metric]]
            let year = try await browser.pivot(form, base.merging(["ddlKolonne": ["ar"]]) { $1 })
            let months = try await browser.pivot(form, base.merging(["ddlKolonne": ["maned"]]) { $1 })
            #expect(months.columnLabels.count == 12)
            var fromDays: [String: Double] = [:]
            for (i, month) in months.columnLabels.enumerated() {
                let days = try await browser.pivot(form, base.merging(["ddlKolonne": ["dag"], "lbMaaned": [String(i + 1)]]) { $1 }, columns: .days)
                // Every possible day has a number (0 included); impossible ones (Feb 30, Apr 31 …) are empty.
                let length = CivilDate.daysIn(month: i + 1, year: 2024)
                for (r, row) in days.values.enumerated() {
                    #expect(row.prefix(length).allSatisfy { $0 != nil }, "\(month) \(days.rowLabels[r])")
                    #expect(row.dropFirst(length).allSatisfy { $0 == nil }, "\(month) \(days.rowLabels[r])")
                }
                #expect(days.columnSums.dropFirst(length).allSatisfy { $0 == nil || $0 == 0 })
                // The day table's total is the month's column sum.
                #expect(days.total == months.columnSums[i], "\(month)")
                for (label, sum) in Self.rowTotals(days) {
                    #expect(months.value(row: label, column: month) == .some(sum), "\(label) \(month)")
                }
                fromDays = Self.merge(fromDays, Self.rowTotals(days))
            }
            #expect(Self.rowTotals(months) == Self.rowTotals(year))
            #expect(fromDays == Self.rowTotals(year))
            #expect(year.rowSums == year.values.map { $0.compactMap { $0 }.reduce(0, +) }, "the SUM column sums each row")
            #expect(year.total == year.rowSums.compactMap { $0 }.reduce(0, +))
            #expect(year.total == months.total)
        }
    }

    @Test func aDayTableIsTheGeneratorsFiresCounted() async throws {
        // An oracle outside the simulator's table code: count the generator's fires of each day by cause here.
        try await BRASKBrowser.with { browser in
            let brask = browser.sim.simulator.brask
            let form = try await browser.form()
            let pivot = try await browser.pivot(form, ["ddlKolonne": ["dag"], "lbAar": ["2023"], "lbMaaned": ["2"], "lbType": ["2"], "lbNaering": ["0"]],
                                                columns: .days)
            let label = Dictionary(uniqueKeysWithValues: BRASKVocabulary.causes.map { ($0.value, $0.label) })
            var expected: [String: Double] = [:]
            for day in 1...28 {
                let date = try #require(CivilDate(year: 2023, month: 2, day: day))
                for fire in brask.fires.fires(on: date) where fire.fireType == "2" && fire.sector == "0" {
                    expected["\(label[fire.cause] ?? "?")|\(day)", default: 0] += 1
                }
            }
            var parsed: [String: Double] = [:]
            for cell in pivot.cells { if let v = cell.value, v != 0 { parsed["\(cell.row)|\(cell.column)"] = v } }
            #expect(parsed == expected)
            #expect(!expected.isEmpty)
        }
    }

    @Test func aRevisionMovesOnlyTheChosenDays() async throws {
        try await BRASKBrowser.with { browser in
            let form = try await browser.form()
            func days(_ month: Int, _ metric: String = "1") async throws -> BRASKPivot {
                try await browser.pivot(form, ["ddlKolonne": ["dag"], "lbAar": ["2024"], "lbMaaned": [String(month)], "rblVerdi": [metric]], columns: .days)
            }
            func years() async throws -> BRASKPivot { try await browser.pivot(form, ["lbAar": ["2023", "2024"]]) }
            let (janBefore, febBefore, marBefore, yearsBefore, krBefore) = (try await days(1), try await days(2), try await days(3), try await years(), try await days(1, "2"))
            try await browser.control("/_sim/brask/revise?days=2024-01-15,2024-02-29&delta=4")
            let (janAfter, febAfter, marAfter, yearsAfter, krAfter) = (try await days(1), try await days(2), try await days(3), try await years(), try await days(1, "2"))
            func changedDays(_ a: BRASKPivot, _ b: BRASKPivot) -> Set<String> {
                Set(a.columnLabels.indices.filter { a.columnSums[$0] != b.columnSums[$0] }.map { a.columnLabels[$0] })
            }
            #expect(changedDays(janBefore, janAfter) == ["15"])
            #expect(changedDays(febBefore, febAfter) == ["29"])
            #expect(marBefore == marAfter)
            #expect(janAfter.columnSums[14].map { $0 - (janBefore.columnSums[14] ?? 0) } == 4)
            #expect(changedDays(krBefore, krAfter) == ["15"], "the damage of the added fires lands on the same day")
            #expect(yearsAfter.columnSums[0] == yearsBefore.columnSums[0], "2023 is untouched")
            #expect(yearsAfter.columnSums[1].map { $0 - (yearsBefore.columnSums[1] ?? 0) } == 8)
            // Fewer fires, then back to the original.
            try await browser.control("/_sim/brask/revise?days=2024-01-15&delta=-3")
            #expect(try await days(1).columnSums[14].map { $0 - (janBefore.columnSums[14] ?? 0) } == -3)
            try await browser.control("/_sim/brask/revise?clear=true")
            #expect(try await days(1) == janBefore)
        }
    }

    @Test func reviseRefusesImpossibleDays() async throws {
        try await BRASKBrowser.with { browser in
            for query in ["days=2024-02-30&delta=1", "days=2024-01-01&delta=x", "delta=1", "days=2024-01-01&delta=999999"] {
                let error = await #expect(throws: UpstreamError.self) { try await browser.control("/_sim/brask/revise?\(query)") }
                #expect(error?.status == 400, "\(query)")
            }
        }
    }

    @Test func filtersPartitionTheFires() async throws {
        try await BRASKBrowser.with { browser in
            let form = try await browser.form()
            let all = try await browser.pivot(form, ["lbAar": ["2022"], "ddlRad": ["naering"], "ddlKolonne": ["type"]])
            #expect(all.rowLabels.count == 23, "every næring has fires in a year")
            #expect(all.columnLabels == ["Varm", "Kald"])
            let warm = try await browser.pivot(form, ["lbAar": ["2022"], "lbType": ["1"]])
            let cold = try await browser.pivot(form, ["lbAar": ["2022"], "lbType": ["2"]])
            #expect(all.total == (try #require(warm.total)) + (try #require(cold.total)))
            let beboelse = try await browser.pivot(form, ["lbAar": ["2022"], "lbNaering": ["0"]])
            let warmHomes = try #require(all.value(row: "Beboelse", column: "Varm") ?? nil)
            let coldHomes = try #require(all.value(row: "Beboelse", column: "Kald") ?? nil)
            #expect(beboelse.total == warmHomes + coldHomes)
        }
    }

    @Test func requestsAreCountedAndFaultsApplyToPosts() async throws {
        try await BRASKBrowser.with { browser in
            let state = browser.sim.simulator.state
            let form = try await browser.form()
            _ = try await browser.pivot(form, ["lbAar": ["2024"]])
            _ = try await browser.fetcher.fetch(UpstreamRequest(method: "POST", url: browser.sim.baseURL + "/_sim/fault?spec=503"))
            let failed = await #expect(throws: UpstreamError.self) { try await browser.pivot(form, ["lbAar": ["2024"]]) }
            #expect(failed?.status == 503)
            _ = try await browser.fetcher.fetch(UpstreamRequest(method: "POST", url: browser.sim.baseURL + "/_sim/fault?spec=renamed"))
            let renamed = await #expect(throws: BRASKPageError.self) { try await browser.pivot(form, ["lbAar": ["2024"]]) }
            #expect(renamed?.code == .noResult)
            #expect(await state.dataRequests["brask"] == 3)
            #expect(await state.metadataRequests == 1, "the form GET")
            let stats = try await browser.fetcher.fetch(UpstreamRequest(url: browser.sim.baseURL + "/_sim/brask/stats"))
            #expect(String(decoding: stats.body, as: UTF8.self) == #"{"form_pages":1,"results":2,"rejected":0,"no_data":0}"#,
                    "the 503 never reached the form; the renamed page is a result")
        }
    }
}
