import KildeCore

/// A JSON value that keeps object members in document order and numbers as written. The API reference lists
/// paths, parameters and properties in the order the OpenAPI document's authors chose, which Foundation's decoders
/// (dictionaries) lose, and shows limits such as `9223372036854775807` exactly, which a `Double` would round.
indirect enum OrderedJSON: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number's text as the document writes it.
    case number(String)
    case string(String)
    case array([OrderedJSON])
    case object([Member])

    /// One member of an object.
    struct Member: Sendable, Equatable {
        let key: String
        let value: OrderedJSON
    }

    /// The member `key` of an object; `nil` for a missing member or a value that is not an object.
    subscript(key: String) -> OrderedJSON? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// An object's members in order; empty for any other value.
    var members: [Member] {
        if case .object(let m) = self { return m }
        return []
    }

    /// An array's items; empty for any other value.
    var items: [OrderedJSON] {
        if case .array(let a) = self { return a }
        return []
    }

    var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    var bool: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The value as a person reads it in a table or a query: strings bare, anything else as compact JSON.
    var text: String {
        switch self {
        case .string(let s): s
        case .number(let n): n
        case .bool(let b): b ? "true" : "false"
        case .null: "null"
        case .array(let a): "[" + a.map(\.compact).joined(separator: ",") + "]"
        case .object(let m): "{" + m.map { CanonicalJSON.string($0.key) + ":" + $0.value.compact }.joined(separator: ",") + "}"
        }
    }

    /// Compact JSON text.
    var compact: String {
        if case .string(let s) = self { return CanonicalJSON.string(s) }
        return text
    }

    /// JSON text indented by two spaces a level, as the examples are shown.
    func pretty(indent: Int = 0) -> String {
        let inner = String(repeating: "  ", count: indent + 1), outer = String(repeating: "  ", count: indent)
        switch self {
        case .array(let a) where !a.isEmpty:
            return "[\n" + a.map { inner + $0.pretty(indent: indent + 1) }.joined(separator: ",\n") + "\n" + outer + "]"
        case .object(let m) where !m.isEmpty:
            return "{\n" + m.map { inner + CanonicalJSON.string($0.key) + ": " + $0.value.pretty(indent: indent + 1) }.joined(separator: ",\n") + "\n" + outer + "}"
        default:
            return compact
        }
    }
}
