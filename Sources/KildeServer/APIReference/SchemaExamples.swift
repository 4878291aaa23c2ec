/// Examples for the API reference: the document's own (`example`, `examples`, `default`, `const`, `enum`) where it
/// gives one, else a value shaped like the schema, so every operation shows a request and an answer.
struct SchemaExamples: Sendable {
    /// The whole document, for local `$ref`s (`#/components/schemas/Facts`).
    let document: OrderedJSON

    /// How deep `$ref`s and nested schemas are followed: a schema that contains itself ends in `null` rather than
    /// recursing forever.
    static let maximumDepth = 12

    /// `node` with a local `$ref` followed (the target of the target too); any other node as it is.
    func resolved(_ node: OrderedJSON) -> OrderedJSON {
        var node = node
        for _ in 0..<Self.maximumDepth {
            guard let ref = node["$ref"]?.string, let target = target(ref) else { return node }
            node = target
        }
        return node
    }

    /// The node a local JSON pointer (`#/a/b`, with `~1` for `/` and `~0` for `~`) names, or `nil`.
    func target(_ ref: String) -> OrderedJSON? {
        guard ref.hasPrefix("#/") else { return nil }
        var node: OrderedJSON? = document
        for token in ref.dropFirst(2).split(separator: "/", omittingEmptySubsequences: false) {
            node = node?[token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")]
        }
        return node
    }

    /// The example the schema states (`example`, the first of `examples`; after `$ref`), or `nil`.
    func stated(_ schema: OrderedJSON) -> OrderedJSON? {
        let s = resolved(schema)
        return s["example"] ?? s["examples"]?.items.first
    }

    /// The example the schema itself gives: a stated one, else its default, constant or first allowed value.
    func given(_ schema: OrderedJSON) -> OrderedJSON? {
        let s = resolved(schema)
        return stated(s) ?? s["default"] ?? s["const"] ?? s["enum"]?.items.first
    }

    /// An example of `schema`: the one it gives, else one built from its type, properties and items.
    func example(_ schema: OrderedJSON, depth: Int = 0) -> OrderedJSON {
        guard depth < Self.maximumDepth else { return .null }
        let s = resolved(schema)
        if let given = given(s) { return given }
        switch Self.type(of: s) {
        case "object":
            var members = s["properties"]?.members.map { OrderedJSON.Member(key: $0.key, value: example($0.value, depth: depth + 1)) } ?? []
            if case .object = s["additionalProperties"], let extra = s["additionalProperties"] {
                members.append(.init(key: "key", value: example(extra, depth: depth + 1)))
            }
            return .object(members)
        case "array": return .array([example(s["items"] ?? .null, depth: depth + 1)])
        case "string": return .string("string")
        case "integer": return .number(s["minimum"].map(\.text) ?? "0")
        case "number": return .number(s["minimum"].map(\.text) ?? "0.5")
        case "boolean": return .bool(true)
        default: return .null
        }
    }

    /// The schema's type (the first that is not `null` when it lists several); `object` when it has properties.
    static func type(of schema: OrderedJSON) -> String? {
        switch schema["type"] {
        case .string(let t)?: return t
        case .array(let ts)?: return ts.compactMap(\.string).first { $0 != "null" } ?? "null"
        default: return schema["properties"] == nil ? nil : "object"
        }
    }
}
