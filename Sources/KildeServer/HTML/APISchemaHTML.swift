/// How the API reference shows a schema: its type (a component schema as a link to its table), its limits, and
/// its properties as table rows. Every text from the document is escaped.
enum APISchemaHTML {
    /// The anchor of a component schema's table.
    static func anchor(_ name: String) -> String { "schema-" + slug(name) }

    /// An id made only of letters, digits, `-` and `_` (operation ids and schema names may hold anything).
    static func slug(_ s: String) -> String {
        String(s.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") ? $0 : "-" })
    }

    /// The type and limits, e.g. `array<string>` with `én av: category, period`.
    static func label(_ schema: OrderedJSON) -> String {
        var notes = constraints(schema)
        if SchemaExamples.type(of: schema) == "array", let items = schema["items"] { notes += constraints(items) }
        return typeName(schema) + (notes.isEmpty ? "" : "<br><small>" + notes.joined(separator: "; ") + "</small>")
    }

    static func typeName(_ schema: OrderedJSON) -> String {
        if let ref = schema["$ref"]?.string {
            let name = String(ref.split(separator: "/").last ?? "")
            return "<a href=\"#\(anchor(name))\">\(HTML.escape(name))</a>"
        }
        switch SchemaExamples.type(of: schema) {
        case "array"?: return "array&lt;" + typeName(schema["items"] ?? .null) + "&gt;"
        case "object"? where schema["additionalProperties"]?.members.isEmpty == false:
            return "object&lt;string, " + typeName(schema["additionalProperties"] ?? .null) + "&gt;"
        case let type?:
            let all = schema["type"]?.items.compactMap(\.string) ?? []
            return HTML.escape(all.count > 1 ? all.joined(separator: " | ") : type)
        case nil: return "any"
        }
    }

    /// The limits a value must keep, as short Norwegian phrases.
    static func constraints(_ s: OrderedJSON) -> [String] {
        var out: [String] = []
        if let values = s["enum"]?.items { out.append("én av: " + values.map { code($0.text) }.joined(separator: ", ")) }
        switch (s["minimum"], s["maximum"]) {
        case let (min?, max?): out.append("\(HTML.escape(min.text))–\(HTML.escape(max.text))")
        case let (min?, nil): out.append("≥ \(HTML.escape(min.text))")
        case let (nil, max?): out.append("≤ \(HTML.escape(max.text))")
        case (nil, nil): break
        }
        if let n = s["minLength"] { out.append("minst \(HTML.escape(n.text)) tegn") }
        if let n = s["minItems"] { out.append("minst \(HTML.escape(n.text)) verdi(er)") }
        if let p = s["pattern"] { out.append("mønster " + code(p.text)) }
        if let d = s["default"] { out.append("standard " + code(d.text)) }
        return out
    }

    /// Table rows of a schema's properties; an inline object (or array of them) adds its own, named `a.b` or
    /// `a[].b`. Columns: name, type, required, description.
    static func propertyRows(_ schema: OrderedJSON, prefix: String = "", depth: Int = 0) -> String {
        guard depth < SchemaExamples.maximumDepth else { return "" }
        let required = Set(schema["required"]?.items.compactMap(\.string) ?? [])
        var rows = ""
        for p in schema["properties"]?.members ?? [] {
            let name = prefix + p.key
            rows += "<tr data-property=\"\(HTML.escape(name))\"><td>\(code(name))</td><td>\(label(p.value))</td><td>\(required.contains(p.key) ? "ja" : "nei")</td>"
                + "<td>\(prose(p.value["description"]?.string ?? ""))</td></tr>"
            if p.value["properties"] != nil {
                rows += propertyRows(p.value, prefix: name + ".", depth: depth + 1)
            } else if let items = p.value["items"], items["properties"] != nil {
                rows += propertyRows(items, prefix: name + "[].", depth: depth + 1)
            }
        }
        return rows
    }

    static func code(_ s: String) -> String { "<code>\(HTML.escape(s))</code>" }

    /// A description as HTML: escaped, with the document's `backticked` spans as code.
    static func prose(_ s: String) -> String {
        HTML.escape(s).split(separator: "`", omittingEmptySubsequences: false).enumerated()
            .map { $0.offset % 2 == 1 ? "<code>\($0.element)</code>" : String($0.element) }.joined()
    }
}
