/// A dimension object as read from the document, before validation.
struct DimensionDraft {
    enum Index {
        /// No `index`: categories come from `label` keys in document order.
        case absent
        /// `index` as an array of ids.
        case ids([String])
        /// `index` as an object id → position.
        case positions([(id: String, position: Int)])
    }

    var offset: Int
    var label: String?
    var hasCategory = false
    var index: Index = .absent
    var labels: [(id: String, label: String)] = []
    var units: [(id: String, unit: JSONStatUnit)] = []
    /// Parent id → child ids (validated, not exposed).
    var children: [(parent: String, children: [String])] = []
    /// Keys of `category.note` and `category.coordinates` (validated, not exposed).
    var referencedKeys: [(member: String, id: String)] = []

    /// Reads a dimension object (the scanner is at `{`).
    static func parse(_ s: inout JSONScanner, id: String) throws(JSONStatError) -> DimensionDraft {
        var d = DimensionDraft(offset: s.pos)
        do throws(JSONStatError) {
            try s.beginObject()
            var first = true
            while try s.nextMember(&first) {
                let key = try s.readKey()
                if s.key(key, is: "label") {
                    d.label = try DatasetDraft.readText(&s, what: "label")
                } else if s.key(key, is: "category") {
                    d.hasCategory = true
                    try d.readCategory(&s)
                } else {
                    try s.skipValue()
                }
            }
        } catch {
            var located = error
            if located.dimension == nil && !error.code.isSyntax {
                located.dimension = id
                located.message = "dimension '\(id)': \(error.message)"
            }
            throw located
        }
        return d
    }

    private mutating func readCategory(_ s: inout JSONScanner) throws(JSONStatError) {
        guard try s.peek() == UInt8(ascii: "{") else { throw DatasetDraft.invalid(&s, "category", must: "an object") }
        try s.beginObject()
        var first = true
        while try s.nextMember(&first) {
            let key = try s.readKey()
            if s.key(key, is: "index") {
                try readIndex(&s)
            } else if s.key(key, is: "label") {
                try Self.forEachMember(&s, what: "category.label") { (s, id) throws(JSONStatError) in
                    guard let text = try DatasetDraft.readText(&s, what: "category.label.\(id)") else { return }
                    labels.append((id, text))
                }
            } else if s.key(key, is: "unit") {
                try Self.forEachMember(&s, what: "category.unit") { (s, id) throws(JSONStatError) in
                    if try s.consumeNull() { return }
                    units.append((id, try Self.readUnit(&s, id: id)))
                }
            } else if s.key(key, is: "child") {
                try Self.forEachMember(&s, what: "category.child") { (s, id) throws(JSONStatError) in
                    children.append((id, try DatasetDraft.readStringArray(&s, what: "category.child.\(id)")))
                }
            } else if s.key(key, is: "note") || s.key(key, is: "coordinates") {
                let member = try s.string(key)
                try Self.forEachMember(&s, what: "category.\(member)") { (s, id) throws(JSONStatError) in
                    referencedKeys.append((member, id))
                    try s.skipValue()
                }
            } else {
                try s.skipValue()
            }
        }
    }

    private mutating func readIndex(_ s: inout JSONScanner) throws(JSONStatError) {
        let c = try s.peek()
        if c == UInt8(ascii: "[") {
            index = .ids(try DatasetDraft.readStringArray(&s, what: "category.index"))
            return
        }
        var positions: [(id: String, position: Int)] = []
        try Self.forEachMember(&s, what: "category.index") { (s, id) throws(JSONStatError) in
            let offset = s.pos
            guard try JSONScanner.isDigit(s.peek()), let position = try s.readNonNegativeInteger() else {
                s.pos = offset
                throw JSONStatError(
                    code: .invalidIndex,
                    message: "category '\(id)' has index position \(s.describeNextValue()) at byte \(offset); positions must be integers in 0..<n",
                    offset: offset)
            }
            positions.append((id, position))
        }
        index = .positions(positions)
    }

    private static func readUnit(_ s: inout JSONScanner, id: String) throws(JSONStatError) -> JSONStatUnit {
        var unit = JSONStatUnit()
        try forEachMember(&s, what: "category.unit.\(id)") { (s, member) throws(JSONStatError) in
            switch member {
            case "decimals":
                if try s.consumeNull() { return }
                let offset = s.pos
                guard try JSONScanner.isDigit(s.peek()), let decimals = try s.readNonNegativeInteger() else {
                    s.pos = offset
                    throw DatasetDraft.invalid(&s, "category.unit.\(id).decimals", must: "a non-negative integer")
                }
                unit.decimals = decimals
            case "label": unit.label = try DatasetDraft.readText(&s, what: "category.unit.\(id).label")
            case "symbol": unit.symbol = try DatasetDraft.readText(&s, what: "category.unit.\(id).symbol")
            case "base": unit.base = try DatasetDraft.readText(&s, what: "category.unit.\(id).base")
            default: try s.skipValue()
            }
        }
        return unit
    }

    /// Iterates the members of an object (or does nothing for `null`), passing each key as a `String`.
    static func forEachMember(
        _ s: inout JSONScanner, what: String, _ body: (inout JSONScanner, String) throws(JSONStatError) -> Void
    ) throws(JSONStatError) {
        if try s.consumeNull() { return }
        guard try s.peek() == UInt8(ascii: "{") else { throw DatasetDraft.invalid(&s, what, must: "an object") }
        try s.beginObject()
        var first = true
        while try s.nextMember(&first) {
            let key = try s.string(s.readKey())
            try body(&s, key)
        }
    }
}
