internal import CLibXML2

/// ``HTMLTableReader``'s state while libxml2's HTML parser reports a page: the rows of the table that
/// ``HTMLDocument/element(id:)``, ``HTMLNode/firstTable`` and ``HTMLNode/tableRows`` would find in the tree of the
/// same page, read from the parser's events without building that tree.
///
/// The parser emits the same events whether or not a tree is built (the one check that looks at the tree, for
/// ignorable blanks, changes nothing when blanks are kept, as they are). So the tree is mirrored in a few counters,
/// following libxml2's tree builder (SAX2.c) where it does more than append a child to the open element:
/// - it halts the whole parse at an element deeper than `xmlParserMaxDepth`, keeping what it has built;
/// - an element that starts when no element is open (after the root closed, as at `</html><p>`) goes into the root
///   when the root is the document's first node, and beside it (outside the tree searched from the root) when a
///   doctype, comment or processing instruction came first;
/// - it names an element without its namespace prefix (`x:td` is a `td`).
struct TableStream {
    /// The `id` of the element whose first table is read.
    let id: String
    let context: htmlParserCtxtPtr
    /// The tree builder's depth limit (`xmlParserMaxDepth`).
    let maxDepth: Int

    /// Open elements, as the tree builder's node stack counts them.
    private var depth = 0
    private var firstNode = FirstNode.none
    private var hasDoctype = false
    private var rootSeen = false
    /// The root has closed: later elements placed into it sit one level deeper than `depth` says.
    private var rootClosed = false
    /// An element placed beside the root is open: it and everything inside it are not in the searched tree.
    private var hidden = false

    private var phase = Phase.seekingElement
    /// Levels (depth in the mirrored tree) of the open result element, table, row, cell, and of an element whose
    /// text a cell leaves out (`br`, `script`, `style`).
    private var resultLevel = 0, tableLevel = 0
    private var rowLevel: Int?, cellLevel: Int?, skipLevel: Int?
    /// A `thead`, `tbody` or `tfoot` of the table is open: its `tr` children are rows too.
    private var sectionOpen = false
    private var rows: [[HTMLTableCell]] = []
    /// The open row's cells, and the open cell (its text is in `text` until it closes).
    private var row: [HTMLTableCell] = []
    private var cell = HTMLTableCell(text: "")
    /// The open cell's text so far, as UTF-8.
    private var text: [UInt8] = []

    private enum FirstNode { case none, root, other }
    private enum Phase { case seekingElement, seekingTable, inTable, finished }

    init(id: String, context: htmlParserCtxtPtr, maxDepth: Int) {
        self.id = id
        self.context = context
        self.maxDepth = maxDepth
    }

    /// The table's rows once the parse is over; `nil` when no element has the `id` or it holds no table.
    mutating func finish() -> [[HTMLTableCell]]? {
        if cellLevel != nil { closeCell() }
        if rowLevel != nil { closeRow() }
        return tableLevel > 0 ? rows : nil
    }

    mutating func start(_ name: UnsafePointer<xmlChar>, _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) {
        if phase == .finished { return }
        guard depth <= maxDepth else { return stop() }
        depth += 1
        if hidden { return }
        if depth == 1 {
            if !rootSeen {
                rootSeen = true
                if firstNode == .none { firstNode = .root }
            } else if firstNode != .root {
                hidden = true
                return
            }
        }
        let level = depth + (rootClosed ? 1 : 0)
        switch phase {
        case .seekingElement:
            guard Self.attribute("id", in: attributes) == id else { return }
            resultLevel = level
            phase = .seekingTable
            if Self.named(name, "table") { openTable(at: level) }
        case .seekingTable:
            if Self.named(name, "table") { openTable(at: level) }
        case .inTable:
            openInTable(name, attributes, at: level)
        case .finished:
            break
        }
    }

    mutating func end() {
        guard phase != .finished, depth > 0 else { return }
        defer { depth -= 1 }
        if hidden {
            hidden = depth > 1
            return
        }
        let level = depth + (rootClosed ? 1 : 0)
        if depth == 1 && !rootClosed {
            rootClosed = true
            // Later elements go into this root: it stays open in the mirrored tree.
            if firstNode == .root { return }
        }
        close(at: level)
    }

    mutating func characters(_ bytes: UnsafePointer<xmlChar>, count: Int) {
        guard cellLevel != nil, skipLevel == nil else { return }
        text.append(contentsOf: UnsafeBufferPointer(start: bytes, count: count))
    }

    /// A comment or processing instruction: when no element is open it is a node of the document itself.
    mutating func otherNode() {
        if depth == 0 && firstNode == .none { firstNode = .other }
    }

    /// A doctype: the tree builder makes the first one the document's first node, wherever it stands.
    mutating func doctype() {
        guard !hasDoctype else { return }
        hasDoctype = true
        firstNode = .other
    }

    private mutating func openTable(at level: Int) {
        tableLevel = level
        phase = .inTable
    }

    private mutating func openInTable(_ name: UnsafePointer<xmlChar>, _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?,
                                      at level: Int) {
        if cellLevel != nil {
            guard skipLevel == nil else { return }
            if Self.named(name, "br") {
                text.append(0x0A)
                skipLevel = level
            } else if Self.named(name, "script") || Self.named(name, "style") {
                skipLevel = level
            }
        } else if let row = rowLevel {
            let header = Self.named(name, "th")
            guard level == row + 1, header || Self.named(name, "td") else { return }
            cell = HTMLTableCell(text: "", isHeader: header, columnSpan: HTMLTableCell.span(Self.attribute("colspan", in: attributes)),
                                 rowSpan: HTMLTableCell.span(Self.attribute("rowspan", in: attributes)))
            cellLevel = level
            text.removeAll(keepingCapacity: true)
        } else if level == tableLevel + 1 || (sectionOpen && level == tableLevel + 2) {
            if Self.named(name, "tr") {
                rowLevel = level
            } else if level == tableLevel + 1 {
                sectionOpen = Self.named(name, "tbody") || Self.named(name, "thead") || Self.named(name, "tfoot")
            }
        }
    }

    private mutating func close(at level: Int) {
        switch phase {
        case .seekingTable where level == resultLevel:
            stop()
        case .inTable:
            if level == skipLevel { skipLevel = nil }
            if level == cellLevel { closeCell() }
            if level == rowLevel { closeRow() }
            if level == tableLevel + 1 { sectionOpen = false }
            if level == tableLevel { stop() }
        default:
            break
        }
    }

    private mutating func closeCell() {
        cell.text = String(decoding: text, as: UTF8.self)
        row.append(cell)
        cellLevel = nil
        skipLevel = nil
    }

    private mutating func closeRow() {
        rows.append(row)
        row.removeAll(keepingCapacity: true)
        rowLevel = nil
    }

    /// Ends the parse: the table is read, the result element closed without one, or the tree builder would halt.
    /// What the tree would have built by then is kept (``finish()``).
    private mutating func stop() {
        phase = .finished
        xmlStopParser(context)
    }

    /// Whether an element's name, without a namespace prefix as the tree builder splits it (xmlSplitQName: at the
    /// first colon, unless the name starts or ends with it), is `wanted`.
    static func named(_ name: UnsafePointer<xmlChar>, _ wanted: StaticString) -> Bool {
        var i = 0
        while name[i] != 0 && name[i] != UInt8(ascii: ":") { i += 1 }
        return equal(i > 0 && name[i] != 0 && name[i + 1] != 0 ? name + i + 1 : name, wanted)
    }

    /// The value of attribute `wanted` in the parser's (name, value) list, as the tree stores it: `""` for an
    /// attribute written without a value.
    static func attribute(_ wanted: StaticString, in attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) -> String? {
        guard let attributes else { return nil }
        var i = 0
        while let name = attributes[i] {
            if equal(name, wanted) { return attributes[i + 1].map { String(cString: $0) } ?? "" }
            i += 2
        }
        return nil
    }

    /// Whether the NUL-terminated `text` is `wanted`.
    private static func equal(_ text: UnsafePointer<xmlChar>, _ wanted: StaticString) -> Bool {
        let count = wanted.utf8CodeUnitCount
        for j in 0..<count where text[j] != wanted.utf8Start[j] { return false }
        return text[count] == 0
    }
}
