internal import CLibXML2

/// Reads one table of an HTML page as libxml2's HTML parser reports it (its SAX events), without building the
/// page's tree: the same parser, options and encoding as ``HTMLDocument``, and the same rows, at a fraction of the
/// cost (a tree allocates, links and frees a node for every element, attribute and text of the page).
public enum HTMLTableReader {
    /// The rows of the first table at or inside the first element, in document order, whose `id` is `id`: what
    /// `HTMLDocument(parsing: bytes, encoding: encoding).element(id: id)?.firstTable?.tableRows` gives.
    /// - Parameters:
    ///   - id: the `id` of the element holding the table (or of the table itself).
    ///   - bytes: the page, as received.
    ///   - encoding: as for ``HTMLDocument/init(parsing:encoding:)``. Defaults to `"UTF-8"`.
    /// - Returns: the rows, as ``HTMLNode/tableRows``; `nil` when no element has the `id` or it holds no table (parse
    ///   an ``HTMLDocument`` to see what the page holds instead).
    /// - Throws: ``HTMLError`` when there is nothing to parse, the input is larger than 2 GiB, or `encoding` is unknown.
    public static func rows(ofTableIn id: String, parsing bytes: some Collection<UInt8>,
                            encoding: String? = "UTF-8") throws(HTMLError) -> [[HTMLTableCell]]? {
        // The tree builder stops a text node at XML_MAX_TEXT_LENGTH bytes and halts the parse there; a stream has no
        // such limit. Text is at most 4 bytes of UTF-8 per input byte (a character reference, or a byte of a legacy
        // encoding), so below this size no text node can reach it; above it, the tree is the reference.
        guard bytes.count <= Int(XML_MAX_TEXT_LENGTH) / 4 else {
            do throws(HTMLError) {
                return try HTMLDocument(parsing: bytes, encoding: encoding).element(id: id)?.firstTable?.tableRows
            } catch where error.code == .empty {
                return nil  // a page without elements has no table
            }
        }
        let result = LibXML.withInput(bytes, encoding: encoding) { base, count in
            Result<[[HTMLTableCell]]?, HTMLError>.success(stream(base, count: count, encoding: encoding, id: id))
        }
        return try result.get()
    }

    private static func stream(_ base: UnsafePointer<CChar>, count: Int32, encoding: String?, id: String) -> [[HTMLTableCell]]? {
        guard let context = htmlNewParserCtxt() else { return nil }
        defer { htmlFreeParserCtxt(context) }
        context.pointee.sax.pointee = handler()
        var state = TableStream(id: id, context: context, maxDepth: Int(kilde_xmlParserMaxDepth()))
        withUnsafeMutablePointer(to: &state) { state in
            context.pointee.userData = UnsafeMutableRawPointer(state)
            // htmlCtxtReadMemory keeps the handler and its user data, and parses as htmlReadMemory does.
            let doc = if let encoding {
                encoding.withCString { htmlCtxtReadMemory(context, base, count, nil, $0, LibXML.options) }
            } else {
                htmlCtxtReadMemory(context, base, count, nil, nil, LibXML.options)
            }
            // The handler starts no document, so there is no tree; free one should libxml2 ever return it.
            if let doc { xmlFreeDoc(doc) }
        }
        return state.finish()
    }

    /// The events the reader follows. Blanks the parser finds ignorable are left out, as the tree builder leaves
    /// them out; errors and warnings are not reported (the options say so).
    private static func handler() -> htmlSAXHandler {
        var sax = htmlSAXHandler()
        sax.startElement = { state, name, attributes in
            guard let name else { return }
            TableStream.update(state) { $0.start(name, attributes) }
        }
        sax.endElement = { state, _ in TableStream.update(state) { $0.end() } }
        sax.characters = { state, bytes, count in
            guard let bytes else { return }
            TableStream.update(state) { $0.characters(bytes, count: Int(count)) }
        }
        sax.cdataBlock = sax.characters
        sax.comment = { state, _ in TableStream.update(state) { $0.otherNode() } }
        sax.processingInstruction = { state, _, _ in TableStream.update(state) { $0.otherNode() } }
        sax.internalSubset = { state, _, _, _ in TableStream.update(state) { $0.doctype() } }
        return sax
    }
}

extension TableStream {
    /// Applies `change` to the state behind a SAX callback's user data (set by ``HTMLTableReader`` for one parse).
    static func update(_ userData: UnsafeMutableRawPointer?, _ change: (inout TableStream) -> Void) {
        guard let state = userData?.assumingMemoryBound(to: TableStream.self) else { return }
        change(&state.pointee)
    }
}
