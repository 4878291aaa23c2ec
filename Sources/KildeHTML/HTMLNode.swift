internal import CLibXML2

/// An element of an ``HTMLDocument``. It keeps its document alive, so it stays valid as long as it is held.
///
/// Element and attribute names are lower case, as libxml2's HTML parser stores them.
public struct HTMLNode {
    /// The document the element belongs to.
    public let document: HTMLDocument
    let pointer: xmlNodePtr

    init(document: HTMLDocument, pointer: xmlNodePtr) {
        self.document = document
        self.pointer = pointer
    }

    /// The element's name, e.g. `table`.
    public var name: String { RawTree.name(pointer) }

    /// The value of the attribute `name`, with entities decoded; `nil` when the element has no such attribute.
    /// An attribute written without a value (`<option selected>`) has the value `""`.
    public func attribute(_ name: String) -> String? {
        name.withCString { RawTree.attribute(pointer, $0) }
    }

    /// The element children, in order (text and comments left out).
    public var children: [HTMLNode] {
        var out: [HTMLNode] = []
        var child = pointer.pointee.children
        while let c = child {
            if c.pointee.type == XML_ELEMENT_NODE { out.append(HTMLNode(document: document, pointer: c)) }
            child = c.pointee.next
        }
        return out
    }

    /// The text inside the element, entities decoded, as a browser's `textContent` but with `<br>` as a line break
    /// and without the contents of `script` and `style`. Not trimmed.
    public var text: String { RawTree.text(pointer) }

    /// The first element of this subtree, in document order (this element first), that `predicate` accepts.
    public func first(where predicate: (HTMLNode) throws -> Bool) rethrows -> HTMLNode? {
        var found: HTMLNode?
        try RawTree.walk(pointer, includingRoot: true) { p in
            let node = HTMLNode(document: document, pointer: p)
            if try predicate(node) {
                found = node
                return .stop
            }
            return .descend
        }
        return found
    }

    /// Every element of this subtree named `name`, in document order.
    /// - Parameter includingSelf: whether this element itself is a candidate. Defaults to `false`.
    public func descendants(named name: String, includingSelf: Bool = false) -> [HTMLNode] {
        var out: [HTMLNode] = []
        name.withCString { wanted in
            RawTree.walk(pointer, includingRoot: includingSelf) { p in
                if RawTree.isElement(p, named: wanted) { out.append(HTMLNode(document: document, pointer: p)) }
                return .descend
            }
        }
        return out
    }

    /// The nearest enclosing element named `name`, if any.
    public func ancestor(named name: String) -> HTMLNode? {
        name.withCString { wanted in
            var parent = pointer.pointee.parent
            while let p = parent {
                if RawTree.isElement(p, named: wanted) { return HTMLNode(document: document, pointer: p) }
                parent = p.pointee.parent
            }
            return nil
        }
    }
}
