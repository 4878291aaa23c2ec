import KildeHTML
import Testing

/// The streaming table reader against the tree it replaces: for any page, the rows it reads are the rows of
/// `element(id:)?.firstTable?.tableRows` in libxml2's tree of the same bytes (the oracle is the tree, not a
/// hand-written expectation).
struct HTMLTableReaderTests {
    static func fromTree(_ bytes: [UInt8], id: String) -> [[HTMLTableCell]]? {
        (try? HTMLDocument(parsing: bytes))?.element(id: id)?.firstTable?.tableRows
    }

    static func streamed(_ bytes: [UInt8], id: String) -> [[HTMLTableCell]]? {
        (try? HTMLTableReader.rows(ofTableIn: id, parsing: bytes)) ?? nil
    }

    @Test func aResultTableReadsAsFromTheTree() throws {
        let html = """
            <html><head><title>t</title></head><body><form><span id="r"><table class=resultat border=1>
            <tr><th>Årsak</th><th colspan=" 2 ">1</th><th rowspan=0>SUM</th></tr>
            <tr><td>Lyn</td><td align=right>1&nbsp;204</td><td>&#x202F;</td><td><b>1 204</b></td></tr>
            </table></span></form></body></html>
            """
        let rows = try #require(Self.streamed(Array(html.utf8), id: "r"))
        #expect(rows == Self.fromTree(Array(html.utf8), id: "r"))
        #expect(rows[0][1] == HTMLTableCell(text: "1", isHeader: true, columnSpan: 2))
        #expect(rows[1].map(\.text) == ["Lyn", "1\u{00A0}204", "\u{202F}", "1 204"])
    }

    @Test(arguments: [
        // Sections, nested tables, cells outside rows, text straight in the table.
        "<div id=r><table><caption>c</caption>x<thead><tr><th>h</thead><tbody><tr><td>a<td><table><tr><td>in</table><td>b</tbody><tfoot><tr><td>f</tfoot></table></div>",
        "<div id=r><table><td>stray</td><tr><div><td>div cell</td></div><td>ok</td></tr></table></div>",
        // Text a cell leaves out, and what it keeps.
        "<table id=r><tr><td>1<br>2<br/>3<script>var x = '<td>';</script><style>td{}</style><!-- c --><?pi x?><![CDATA[d]]>4</td></tr></table>",
        // Namespace prefixes: the tree builder names <x:td> a td; a name starting or ending with a colon stays whole.
        "<table id=r><tr><x:td>p</x:td><td>q<x:br>gone</x:br>r</td><:td>s</:td><y:>t</y:></tr><x:tr><td>u</td></x:tr></table>",
        // The id on the table itself, on a later element, twice, without a value, in upper case.
        "<table ID=r><tr><td>self</td></tr></table><table id=r><tr><td>second</td></tr></table>",
        "<p id>x</p><p id=R>no</p><div id=r>text only</div><table id=r><tr><td>later</td></tr></table>",
        // After </html>: the root takes later elements when it is the first node of the document…
        "<html><body><p>a</p></body></html><div id=r><table><tr><td>after</td></tr></table></div>",
        // …and they go beside it, outside the tree, after a doctype, a comment or a processing instruction.
        "<!DOCTYPE html><html><body></body></html><div id=r><table><tr><td>after</td></tr></table></div>",
        "<!-- c --><html><body></body></html><div id=r><table><tr><td>after</td></tr></table></div>",
        "<?xml version=\"1.0\"?><html><body></body></html><div id=r><table><tr><td>after</td></tr></table></div>",
        "<html><body><!DOCTYPE html></body></html><div id=r><table><tr><td>after</td></tr></table></div>",
        "<html id=r><body></body></html><table><tr><td>in the root</td></tr></table>",
        "<html><body><div id=r></div></body></html><table><tr><td>not in r</td></tr></table>",
        // Tag soup: unclosed cells and rows, a table closed by the end of the page, entities.
        "<table id=r border=1><tr><th>Årsak<th>2024<th>SUM<tr><td>Lyn<td>4&amp;5<td>4<tr><td>SUM<td>4<td>4",
        "<span id=r>Ingen data</span>",
        "no markup at all",
    ])
    func soupReadsAsFromTheTree(_ html: String) {
        let bytes = Array(html.utf8)
        #expect(Self.streamed(bytes, id: "r") == Self.fromTree(bytes, id: "r"), "\(html)")
    }

    @Test(arguments: 245...260)
    func theTreeBuildersDepthLimitHaltsTheStreamToo(_ depth: Int) {
        // libxml2's tree builder halts the parse at an element deeper than 256 levels, keeping what it has built.
        let html = String(repeating: "<div>", count: depth) + "<table id=r><tr><td>a</td><td>b<span>c</span></td></tr></table>"
        #expect(Self.streamed(Array(html.utf8), id: "r") == Self.fromTree(Array(html.utf8), id: "r"), "depth \(depth)")
    }

    @Test func mutatedPagesReadAsFromTheTree() {
        // A small fixed-seed fuzz: pieces of tables, ids and soup spliced into a page; the tree is the oracle.
        let pieces = ["<table>", "</table>", "<tr>", "</tr>", "<td>", "</td>", "<th colspan=2>", "<tbody>", "</tbody>", "<thead>",
                      "<div id=r>", "<span id=r>", "</span>", "</div>", "<br>", "<script>x</script>", "<x:td>", "</html>", "<html>",
                      "<!DOCTYPE html>", "<!-- c -->", "<?p?>", "<body>", "</body>", "<p>", " ", "1&nbsp;2", "\u{00A0}", "<b>", "</b>",
                      "<select><option>o", "<table id=r>", "<caption>", "<col>", "<form>", "</form>", "<td rowspan=3>"]
        let seed = Array("<html><body><div id=r><table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table></div></body></html>".utf8)
        var random = SplitMix(state: 12)
        for round in 0..<400 {
            var bytes = seed
            for _ in 0..<(1 + random.next(4)) {
                let at = random.next(bytes.count + 1)
                if random.next(4) == 0 {
                    bytes.removeSubrange(at..<min(bytes.count, at + random.next(12)))
                } else {
                    bytes.insert(contentsOf: Array(pieces[random.next(pieces.count)].utf8), at: at)
                }
            }
            let streamed = Self.streamed(bytes, id: "r"), tree = Self.fromTree(bytes, id: "r")
            #expect(streamed == tree, "round \(round): \(String(decoding: bytes, as: UTF8.self))")
            if streamed != tree { return }
        }
    }

    @Test func aPageTooLargeToStreamExactlyIsReadFromTheTree() {
        // Above 2.5 MB a text node could reach libxml2's tree limit, which only a tree parse stops at.
        let padding = String(repeating: "lorem ipsum ", count: 220_000)
        let page = Array("<p>\(padding)</p><div id=r><table><tr><td>1</td></tr></table></div>".utf8)
        #expect(page.count > 2_500_000)
        #expect(Self.streamed(page, id: "r") == [[HTMLTableCell(text: "1")]])
        #expect((try? HTMLTableReader.rows(ofTableIn: "r", parsing: Array(padding.utf8).map { _ in UInt8(ascii: " ") })) == .some(nil),
                "a page without elements has no table")
    }

    @Test func inputErrorsAreTheDocumentsErrors() {
        let empty = #expect(throws: HTMLError.self) { try HTMLTableReader.rows(ofTableIn: "r", parsing: [UInt8]()) }
        #expect(empty?.code == .empty)
        let encoding = #expect(throws: HTMLError.self) { try HTMLTableReader.rows(ofTableIn: "r", parsing: Array("<p>".utf8), encoding: "no-such") }
        #expect(encoding?.code == .unknownEncoding)
    }

    /// SplitMix64: a small deterministic generator, so a failing round can be replayed.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }

        /// A number in `0..<bound`.
        mutating func next(_ bound: Int) -> Int { Int.random(in: 0..<bound, using: &self) }
    }

    @Test func theCallerNamesTheEncoding() throws {
        let latin1: [UInt8] = Array("<table id=r><tr><td>".utf8) + [0xC5] + Array("rsak</td></tr></table>".utf8)
        #expect(try HTMLTableReader.rows(ofTableIn: "r", parsing: latin1, encoding: "ISO-8859-1")?.first?.first?.text == "Årsak")
    }
}
