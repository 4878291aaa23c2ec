import Foundation
import KildeHTML
import Testing

/// libxml2's HTML parser as Kilde uses it: tag soup kept, entities decoded, UTF-8 preserved, nothing leaked.
/// (This file imports Foundation on purpose: a module seeing both Foundation and libxml2 is what the shim's
/// `#undef LIBXML_ICU_ENABLED` keeps building.)
struct HTMLDocumentTests {
    @Test func tagSoupKeepsUnclosedCellsAndUnquotedAttributes() throws {
        // What Foundation's XMLDocument loses on Linux (PLATFORM.md): unquoted attributes and unclosed cells.
        let doc = try HTMLDocument(parsing: "<table id=t border=1><tr><td>a<td>b<tr><td>c<td>d</table>")
        let table = try #require(doc.element(id: "t"))
        #expect(table.attribute("border") == "1")
        #expect(table.tableRows.map { $0.map(\.text) } == [["a", "b"], ["c", "d"]])
    }

    @Test func entitiesAndUTF8AreDecoded() throws {
        let doc = try HTMLDocument(parsing: "<p id=p>&Aring;rsak &amp; kilde: 1&nbsp;234 – Bjørnøya &#x202F;</p>")
        #expect(doc.element(id: "p")?.text == "Årsak & kilde: 1\u{00A0}234 – Bjørnøya \u{202F}")
    }

    @Test(arguments: [
        ("ISO-8859-1", [0x3C, 0x70, 0x3E, 0xC5, 0x72, 0x73, 0x61, 0x6B, 0x3C, 0x2F, 0x70, 0x3E] as [UInt8], "Årsak"),
        ("UTF-8", Array("<p>Årsak</p>".utf8), "Årsak"),
    ])
    func theCallerNamesTheEncoding(_ encoding: String, _ bytes: [UInt8], _ text: String) throws {
        let doc = try HTMLDocument(parsing: bytes, encoding: encoding)
        #expect(doc.elements(named: "p").first?.text == text)
    }

    @Test func aMetaCharsetDecidesWhenNoEncodingIsGiven() throws {
        let bytes: [UInt8] = Array("<html><head><meta charset=\"windows-1252\"></head><body><p>".utf8) + [0xC5] + Array("rsak</p>".utf8)
        let doc = try HTMLDocument(parsing: bytes, encoding: nil)
        #expect(doc.elements(named: "p").first?.text == "Årsak")
    }

    @Test(arguments: ["", "   ", "<!-- only a comment -->"])
    func nothingToParseIsAnError(_ text: String) throws {
        let error = #expect(throws: HTMLError.self) { try HTMLDocument(parsing: Array(text.utf8)) }
        #expect(error?.code == .empty)
    }

    @Test func anUnknownEncodingIsAnErrorNotAGuess() throws {
        let error = #expect(throws: HTMLError.self) { try HTMLDocument(parsing: Array("<p>x</p>".utf8), encoding: "no-such-charset") }
        #expect(error?.code == .unknownEncoding)
    }

    @Test func idsAreFoundInDocumentOrderAndNamesAreLowerCase() throws {
        let doc = try HTMLDocument(parsing: "<DIV ID=x><SPAN id=x>second</SPAN></DIV><p id=y>y</p>")
        let x = try #require(doc.element(id: "x"))
        #expect(x.name == "div")
        #expect(x.children.map(\.name) == ["span"])
        #expect(doc.element(id: "nope") == nil)
        #expect(doc.element(id: "y")?.ancestor(named: "body")?.name == "body")
    }

    @Test func textLeavesScriptsOutAndBreaksLines() throws {
        let doc = try HTMLDocument(parsing: "<td id=c>1<br>2<script>var x = 3;</script><style>p{}</style><b>4</b></td>")
        #expect(doc.element(id: "c")?.text == "1\n24")
    }

    @Test func aNodeKeepsItsDocumentAlive() throws {
        func cell() throws -> HTMLNode? {
            try HTMLDocument(parsing: "<table><tr><td id=c>kept</td></tr></table>").element(id: "c")
        }
        let node = try #require(try cell())
        #expect(node.text == "kept")
    }

    @Test(arguments: [(200, true), (20_000, false)])
    func deepNestingIsBoundedNotACrash(_ depth: Int, _ kept: Bool) throws {
        // libxml2's HTML parser stops nesting at 256 levels (what is deeper is dropped in recover mode), and Kilde's
        // walks are loops, not recursion: a hostile page 20,000 elements deep is read, not a crash.
        let html = "<div id=top>" + String(repeating: "<span>", count: depth) + "deep" + String(repeating: "</span>", count: depth) + "</div>"
        let doc = try HTMLDocument(parsing: html)
        let top = try #require(doc.element(id: "top"))
        #expect(top.text.hasSuffix("deep") == kept)
        let spans = top.descendants(named: "span").count
        #expect(kept ? spans == depth : spans < 256, "\(spans) levels kept")
    }

    @Test func parsingManyDocumentsConcurrentlyIsSafe() async throws {
        // libxml2's global set-up runs once; parses on several threads do not share a tree.
        let counts = try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<16 {
                group.addTask {
                    let rows = (0..<50).map { "<tr><td>\($0)</td><td>\(i)</td></tr>" }.joined()
                    return try HTMLDocument(parsing: "<table id=t>\(rows)</table>").element(id: "t")?.tableRows.count ?? -1
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(counts == Array(repeating: 50, count: 16))
    }
}
