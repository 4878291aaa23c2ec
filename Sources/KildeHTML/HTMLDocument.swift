internal import CLibXML2

/// A parsed HTML document, read with libxml2's HTML parser (`htmlReadMemory` in recover mode, no network, no
/// error or warning output), as a browser would read tag soup: unclosed cells and unquoted attributes are kept,
/// entities are decoded and text is UTF-8.
///
/// The tree is freed when the last reference to the document (or to a node of it, which keeps its document alive)
/// goes away. The type is not `Sendable`: it wraps a C tree; parse, read what you need into values, and pass those on.
public final class HTMLDocument {
    let pointer: htmlDocPtr

    /// Parses `bytes` as HTML.
    /// - Parameters:
    ///   - bytes: the document, as received.
    ///   - encoding: the character encoding of `bytes` (e.g. from the HTTP `Content-Type`). Defaults to `"UTF-8"`;
    ///     `nil` lets libxml2 decide from a byte-order mark or a `<meta charset>`, and fall back to ISO-8859-1.
    /// - Throws: ``HTMLError`` when there is nothing to parse, the input is larger than 2 GiB, or `encoding` is unknown.
    public convenience init(parsing bytes: some Collection<UInt8>, encoding: String? = "UTF-8") throws(HTMLError) {
        switch LibXML.withInput(bytes, encoding: encoding, { Self.parse($0, count: $1, encoding: encoding) }) {
        case .success(let doc): self.init(pointer: doc)
        case .failure(let error): throw error
        }
    }

    /// Parses a string as HTML (its UTF-8 bytes).
    public convenience init(parsing text: String) throws(HTMLError) {
        try self.init(parsing: Array(text.utf8), encoding: "UTF-8")
    }

    private init(pointer: htmlDocPtr) {
        self.pointer = pointer
    }

    deinit {
        xmlFreeDoc(pointer)
    }

    private static func parse(_ base: UnsafePointer<CChar>, count: Int32, encoding: String?) -> Result<htmlDocPtr, HTMLError> {
        let doc: htmlDocPtr? = if let encoding {
            encoding.withCString { htmlReadMemory(base, count, nil, $0, LibXML.options) }
        } else {
            htmlReadMemory(base, count, nil, nil, LibXML.options)
        }
        guard let doc else { return .failure(HTMLError(.empty, "libxml2 found no document in \(count) bytes")) }
        guard xmlDocGetRootElement(doc) != nil else {
            xmlFreeDoc(doc)
            return .failure(HTMLError(.empty, "libxml2 found no element in \(count) bytes"))
        }
        return .success(doc)
    }

    /// The root element (`html`; libxml2 adds it when the markup leaves it out).
    public var root: HTMLNode? {
        xmlDocGetRootElement(pointer).map { HTMLNode(document: self, pointer: $0) }
    }

    /// The first element, in document order, whose `id` attribute is `id`.
    public func element(id: String) -> HTMLNode? {
        root?.first { $0.attribute("id") == id }
    }

    /// Every element named `name` (lower case, as the HTML parser stores names), in document order.
    public func elements(named name: String) -> [HTMLNode] {
        root?.descendants(named: name, includingSelf: true) ?? []
    }
}
