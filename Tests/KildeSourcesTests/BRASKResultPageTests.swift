import Foundation
import KildeSources
import Testing

@Suite("BRASK result page → pivot")
struct BRASKResultPageTests {
    typealias Pages = BRASKPages

    @Test func aPivotWithSumsApartAndEmptyCellsDistinctFromZero() throws {
        let html = Pages.result([
            ["Årsak", "2023", "2024", "SUM"],
            ["Elektrisk", "1\(Pages.nbsp)204", "0", "1\(Pages.nbsp)204"],
            ["Påsatt", "", "17", "17"],
            ["Ukjent", "3", Pages.nbsp, "3"],
            ["SUM", "1\u{202F}207", "17", "1\(Pages.nbsp)224"],
        ])
        let pivot = try BRASKResultPage.parse(Array(html.utf8))
        #expect(pivot.corner == "Årsak")
        #expect(pivot.rowLabels == ["Elektrisk", "Påsatt", "Ukjent"])
        #expect(pivot.columnLabels == ["2023", "2024"])
        #expect(pivot.values == [[1204, 0], [nil, 17], [3, nil]])
        #expect(pivot.rowSums == [1204, 17, 3])
        #expect(pivot.columnSums == [1207, 17])
        #expect(pivot.total == 1224)
        #expect(pivot.value(row: "Elektrisk", column: "2024") == .some(0), "a zero cell")
        #expect(pivot.value(row: "Påsatt", column: "2023") == .some(nil), "an empty cell is not zero")
        #expect(pivot.value(row: "Lyn", column: "2023") == nil, "no such row")
        #expect(pivot.cells.count == 6)
        #expect(pivot.cells.first == BRASKPivot.Cell(row: "Elektrisk", column: "2023", value: 1204))
    }

    @Test(arguments: [
        // The SUM row and column are found by their label wherever they stand, in any case.
        ("SUM last", [["Årsak", "a", "b", "SUM"], ["x", "1", "2", "3"], ["SUM", "1", "2", "3"]]),
        ("Sum first", [["Årsak", "Sum", "a", "b"], ["sum", "3", "1", "2"], ["x", "3", "1", "2"]]),
        ("td header", [["<b>Årsak</b>", " a ", "b\n", "<b>SUM</b>"], ["x", "1", "2", "3"], ["SUM", "1", "2", "3"]]),
    ])
    func sumsAreFoundByLabel(_ name: String, _ rows: [[String]]) throws {
        let pivot = try BRASKResultPage.parse(Array(Pages.result(rows).utf8))
        #expect(pivot.rowLabels == ["x"], "\(name)")
        #expect(pivot.columnLabels == ["a", "b"], "\(name)")
        #expect(pivot.values == [[1, 2]], "\(name)")
        #expect(pivot.total == 3, "\(name)")
    }

    @Test func thirtyOneDayColumnsWithImpossibleDaysEmpty() throws {
        // February 2023: days 29–31 do not exist, so their cells are empty, while day 5 had no fires (0).
        let days = (1...31).map(String.init)
        let elektrisk = (1...31).map { $0 > 28 ? "" : $0 == 5 ? "0" : "1" }
        let html = Pages.result([["Årsak"] + days + ["SUM"], ["Elektrisk"] + elektrisk + ["27"], ["SUM"] + elektrisk + ["27"]])
        let pivot = try BRASKResultPage.parse(Array(html.utf8), columns: .days)
        #expect(pivot.columnLabels.count == 31)
        #expect(pivot.values[0][4] == 0)
        #expect(pivot.values[0][28...].allSatisfy { $0 == nil })
        #expect(pivot.values[0].compactMap { $0 }.reduce(0, +) == pivot.rowSums[0])
    }

    @Test func tagSoupReadsTheSame() throws {
        // Unclosed cells and rows, unquoted attributes, the id on a table directly.
        let html = Pages.page(result: "<table id=ctl00_Innhold_lblResultat border=1><tr><th>Årsak<th>2024<th>SUM<tr><td>Lyn<td>4<td>4<tr><td>SUM<td>4<td>4</table>")
        let pivot = try BRASKResultPage.parse(Array(html.utf8))
        #expect(pivot.rowLabels == ["Lyn"])
        #expect(pivot.values == [[4]])
        #expect(pivot.total == 4)
    }

    @Test(arguments: [
        ("no result element", Pages.page(result: "<p>Velg verdier og trykk Vis tabell</p>"), BRASKPageError.Code.noResult, "ctl00_Innhold_lblResultat"),
        ("ASP.NET error", Pages.aspNetError, .serverError, "Validation of viewstate MAC failed."),
        ("message only", Pages.page(result: "<span id=\"ctl00_Innhold_lblResultat\">Ingen data for valgt periode</span>"), .noTable, "Ingen data"),
        ("empty table", Pages.page(result: "<span id=\"ctl00_Innhold_lblResultat\"><table></table></span>"), .unexpectedHeader, "no rows"),
        ("corner only", Pages.result([["Årsak"], ["SUM"]]), .unexpectedHeader, "1 cell"),
        ("repeated column", Pages.result([["Årsak", "a", "a", "SUM"], ["SUM", "1", "1", "2"]]), .unexpectedHeader, "repeats"),
        ("empty column label", Pages.result([["Årsak", "a", " ", "SUM"], ["SUM", "1", "1", "2"]]), .unexpectedHeader, "column 2"),
        ("no SUM column", Pages.result([["Årsak", "a", "b"], ["SUM", "1", "2"]]), .missingSum, "0 SUM columns"),
        ("two SUM columns", Pages.result([["Årsak", "SUM", "a", "SUM"], ["SUM", "1", "1", "1"]]), .missingSum, "2 SUM columns"),
        ("no SUM row", Pages.result([["Årsak", "a", "SUM"], ["x", "1", "1"]]), .missingSum, "no SUM row"),
        ("two SUM rows", Pages.result([["Årsak", "a", "SUM"], ["SUM", "1", "1"], ["SUM", "1", "1"]]), .missingSum, "more than one"),
        ("ragged row", Pages.result([["Årsak", "a", "SUM"], ["Lyn", "1"], ["SUM", "1", "1"]]), .unexpectedRow, "row 'Lyn' has 2 cells"),
        ("repeated row", Pages.result([["Årsak", "a", "SUM"], ["Lyn", "1", "1"], ["Lyn", "1", "1"], ["SUM", "2", "2"]]), .unexpectedRow, "twice"),
        ("unlabelled row", Pages.result([["Årsak", "a", "SUM"], ["", "1", "1"], ["SUM", "1", "1"]]), .unexpectedRow, "no label"),
        ("bad number", Pages.result([["Årsak", "a", "SUM"], ["Lyn", "1.5", "1"], ["SUM", "1", "1"]]), .badNumber, "row 'Lyn', column 'a': '1.5'"),
        ("bad SUM", Pages.result([["Årsak", "a", "SUM"], ["Lyn", "1", "1"], ["SUM", "1", "x"]]), .badNumber, "row 'SUM', column 'SUM'"),
        ("spanned header", Pages.result([["Årsak", "a", "SUM"], ["SUM", "1", "1"]]).replacingOccurrences(of: "<th>a</th>", with: "<th colspan=2>a</th>"),
         .unexpectedHeader, "spans 2"),
        ("not HTML", "", .notHTML, "empty"),
    ])
    func errorsNameWhatIsWrong(_ name: String, _ html: String, _ code: BRASKPageError.Code, _ detail: String) {
        let error = #expect(throws: BRASKPageError.self, "\(name)") { try BRASKResultPage.parse(Array(html.utf8)) }
        #expect(error?.code == code, "\(name): \(String(describing: error))")
        #expect(error?.message.contains(detail) == true, "\(name): '\(error?.message ?? "")' should mention '\(detail)'")
    }

    @Test(arguments: [
        (1...30).map(String.init),
        (0...30).map(String.init),
        (1...31).map { "\($0)." },
        ["Januar"],
    ])
    func dayColumnsMustBeOneToThirtyOne(_ labels: [String]) {
        let html = Pages.result([["Årsak"] + labels + ["SUM"], ["SUM"] + labels.map { _ in "0" } + ["0"]])
        let error = #expect(throws: BRASKPageError.self) { try BRASKResultPage.parse(Array(html.utf8), columns: .days) }
        #expect(error?.code == .unexpectedHeader)
        #expect((try? BRASKResultPage.parse(Array(html.utf8), columns: .any)) != nil, "any other header is fine when days are not asked for")
    }
}
