import KildeHTML
import Testing

struct HTMLTableTests {
    @Test func rowsComeFromSectionsInDocumentOrderAndNotFromNestedTables() throws {
        let doc = try HTMLDocument(parsing: """
            <table id=t>
              <thead><tr><th>h1</th><th colspan="2">h2</th></tr></thead>
              <tbody><tr><td>a</td><td><table><tr><td>inner</td></tr></table></td><td rowspan=x>c</td></tr></tbody>
              <tfoot><tr><td>f</td></tr></tfoot>
            </table>
            """)
        let rows = try #require(doc.element(id: "t")).tableRows
        #expect(rows.count == 3)
        #expect(rows[0] == [HTMLTableCell(text: "h1", isHeader: true), HTMLTableCell(text: "h2", isHeader: true, columnSpan: 2)])
        #expect(rows[1].map(\.text) == ["a", "inner", "c"], "a nested table's text is its cell's text, not rows of this table")
        #expect(rows[1][2].rowSpan == 1, "an unparsable rowspan is 1, as a browser reads it")
        #expect(rows[2].map(\.text) == ["f"])
    }

    @Test func aTableInsideASpanIsFound() throws {
        // ASP.NET renders a Label holding a table as <span id=…><table>; the parser must keep the table reachable.
        let doc = try HTMLDocument(parsing: "<p>x</p><span id=lbl><table border=1><tr><td>1</td></tr></table></span>")
        let table = try #require(doc.element(id: "lbl")?.firstTable)
        #expect(table.tableRows.map { $0.map(\.text) } == [["1"]])
    }

    @Test func anElementThatIsNoTableHasNoRows() throws {
        let doc = try HTMLDocument(parsing: "<div id=d><tr><td>x</td></tr></div>")
        #expect(doc.element(id: "d")?.tableRows == [])
        #expect(doc.element(id: "d")?.firstTable == nil)
    }
}
