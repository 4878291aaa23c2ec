internal import CLibXML2
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading libxml2's tree through its pointers, without allocating C strings: names and text are compared and
/// copied in place. Walks are loops over parent and sibling links, never recursion, so a hostile page nested
/// thousands of levels deep cannot exhaust the stack.
enum RawTree {
    enum Visit {
        /// Go on into this element's children.
        case descend
        /// Go on with the next element, leaving this one's children out.
        case skipChildren
        /// End the walk.
        case stop
    }

    /// Visits the elements of the subtree under `root` in document order (`root` first when `includingRoot`).
    static func walk(_ root: xmlNodePtr, includingRoot: Bool, _ visit: (xmlNodePtr) throws -> Visit) rethrows {
        if includingRoot {
            switch try visit(root) {
            case .stop, .skipChildren: return
            case .descend: break
            }
        }
        var node = root.pointee.children
        while let n = node {
            var visited = Visit.skipChildren
            if n.pointee.type == XML_ELEMENT_NODE {
                visited = try visit(n)
                if visited == .stop { return }
            }
            node = next(after: n, descend: visited == .descend, within: root)
        }
    }

    /// The node after `node` in document order within `root`'s subtree: its first child when `descend` (and it has
    /// one), else its next sibling, else the next sibling of its nearest ancestor below `root` that has one.
    static func next(after node: xmlNodePtr, descend: Bool, within root: xmlNodePtr) -> xmlNodePtr? {
        if descend, let child = node.pointee.children { return child }
        var up = node
        while up.pointee.next == nil {
            guard let parent = up.pointee.parent, parent != root else { return nil }
            up = parent
        }
        return up.pointee.next
    }

    static func name(_ node: xmlNodePtr) -> String {
        guard let n = node.pointee.name else { return "" }
        return String(cString: n)
    }

    static func isElement(_ node: xmlNodePtr, named name: UnsafePointer<CChar>) -> Bool {
        guard node.pointee.type == XML_ELEMENT_NODE, let n = node.pointee.name else { return false }
        return strcmp(UnsafeRawPointer(n).assumingMemoryBound(to: CChar.self), name) == 0
    }

    /// The value of an attribute, read from its text children (the HTML parser has decoded its entities).
    static func attribute(_ node: xmlNodePtr, _ name: UnsafePointer<CChar>) -> String? {
        guard node.pointee.type == XML_ELEMENT_NODE else { return nil }
        var attr = node.pointee.properties
        while let a = attr {
            if let n = a.pointee.name, strcmp(UnsafeRawPointer(n).assumingMemoryBound(to: CChar.self), name) == 0 {
                var bytes: [UInt8] = []
                var child = a.pointee.children
                while let c = child {
                    append(c.pointee.content, to: &bytes)
                    child = c.pointee.next
                }
                return String(decoding: bytes, as: UTF8.self)
            }
            attr = a.pointee.next
        }
        return nil
    }

    /// The text of the subtree under `node`: text nodes in order, `<br>` as a line break, script and style left out.
    static func text(_ node: xmlNodePtr) -> String {
        var bytes: [UInt8] = []
        appendText(of: node, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    static func appendText(of root: xmlNodePtr, to bytes: inout [UInt8]) {
        if root.pointee.type == XML_TEXT_NODE || root.pointee.type == XML_CDATA_SECTION_NODE {
            append(root.pointee.content, to: &bytes)
            return
        }
        var node = root.pointee.children
        while let n = node {
            var descend = false
            switch n.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                append(n.pointee.content, to: &bytes)
            case XML_ELEMENT_NODE:
                if isElement(n, named: "br") {
                    bytes.append(0x0A)
                } else if !isElement(n, named: "script") && !isElement(n, named: "style") {
                    descend = true
                }
            default:
                break
            }
            node = next(after: n, descend: descend, within: root)
        }
    }

    static func append(_ content: UnsafeMutablePointer<xmlChar>?, to bytes: inout [UInt8]) {
        guard let content else { return }
        let count = strlen(UnsafeRawPointer(content).assumingMemoryBound(to: CChar.self))
        bytes.append(contentsOf: UnsafeBufferPointer(start: content, count: count))
    }
}
