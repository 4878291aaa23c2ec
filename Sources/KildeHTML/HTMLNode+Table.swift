internal import CLibXML2

/// One cell of an HTML table row, as text.
public struct HTMLTableCell: Sendable, Hashable {
    /// The cell's text (``HTMLNode/text``), not trimmed.
    public var text: String
    /// A `th` rather than a `td`.
    public var isHeader: Bool
    /// The `colspan`, at least 1.
    public var columnSpan: Int
    /// The `rowspan`, at least 1.
    public var rowSpan: Int

    public init(text: String, isHeader: Bool = false, columnSpan: Int = 1, rowSpan: Int = 1) {
        self.text = text
        self.isHeader = isHeader
        self.columnSpan = columnSpan
        self.rowSpan = rowSpan
    }

    /// A span attribute as a browser reads it: a missing, unparsable or non-positive one is 1, a huge one capped.
    static func span(_ text: String?) -> Int {
        guard let text, let n = Int(text.trimmingASCIISpaces), n >= 1 else { return 1 }
        return min(n, 1000)
    }
}

extension HTMLNode {
    /// The rows of this `table`, in document order: its `tr` children and those of its `thead`, `tbody` and
    /// `tfoot`, each as its `td` and `th` cells. Rows of tables nested inside a cell are not rows of this table.
    /// Spans are reported, not expanded. Empty for an element that is not a table.
    public var tableRows: [[HTMLTableCell]] {
        guard RawTree.isElement(pointer, named: "table") else { return [] }
        var rows: [[HTMLTableCell]] = []
        var child = pointer.pointee.children
        while let c = child {
            if RawTree.isElement(c, named: "tr") {
                rows.append(Self.cells(of: c))
            } else if RawTree.isElement(c, named: "tbody") || RawTree.isElement(c, named: "thead") || RawTree.isElement(c, named: "tfoot") {
                var row = c.pointee.children
                while let r = row {
                    if RawTree.isElement(r, named: "tr") { rows.append(Self.cells(of: r)) }
                    row = r.pointee.next
                }
            }
            child = c.pointee.next
        }
        return rows
    }

    /// The first `table` of this subtree (this element itself when it is one).
    public var firstTable: HTMLNode? {
        RawTree.isElement(pointer, named: "table") ? self : descendants(named: "table").first
    }

    private static func cells(of row: xmlNodePtr) -> [HTMLTableCell] {
        var cells: [HTMLTableCell] = []
        var child = row.pointee.children
        while let c = child {
            let header = RawTree.isElement(c, named: "th")
            if header || RawTree.isElement(c, named: "td") {
                cells.append(HTMLTableCell(text: RawTree.text(c), isHeader: header,
                                           columnSpan: HTMLTableCell.span(RawTree.attribute(c, "colspan")),
                                           rowSpan: HTMLTableCell.span(RawTree.attribute(c, "rowspan"))))
            }
            child = c.pointee.next
        }
        return cells
    }
}

extension String {
    /// Without leading and trailing ASCII whitespace.
    var trimmingASCIISpaces: Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\u{0C}" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else { return "" }
        return self[start...end]
    }
}
