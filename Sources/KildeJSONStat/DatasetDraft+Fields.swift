extension DatasetDraft {
    static func invalid(_ s: inout JSONScanner, _ what: String, must requirement: String) -> JSONStatError {
        JSONStatError(
            code: .invalidField,
            message: "'\(what)' must be \(requirement), found \(s.describeNextValue()) at byte \(s.pos)",
            offset: s.pos)
    }

    /// Reads a string or `null`.
    static func readText(_ s: inout JSONScanner, what: String) throws(JSONStatError) -> String? {
        let c = try s.peek()
        if c == UInt8(ascii: "\"") { return try s.readString() }
        if c == UInt8(ascii: "n") { try s.expectLiteral("null"); return nil }
        throw invalid(&s, what, must: "a string")
    }

    /// Reads an array of strings.
    static func readStringArray(_ s: inout JSONScanner, what: String) throws(JSONStatError) -> [String] {
        guard try s.peek() == UInt8(ascii: "[") else { throw invalid(&s, what, must: "an array of strings") }
        try s.beginArray()
        var result: [String] = []
        var first = true
        while try s.nextElement(&first) {
            guard try s.peek() == UInt8(ascii: "\"") else { throw invalid(&s, "\(what)[\(result.count)]", must: "a string") }
            result.append(try s.readString())
        }
        return result
    }

    /// Reads an array of non-negative integers.
    static func readSizes(_ s: inout JSONScanner, what: String) throws(JSONStatError) -> [Int] {
        guard try s.peek() == UInt8(ascii: "[") else { throw invalid(&s, what, must: "an array of non-negative integers") }
        try s.beginArray()
        var result: [Int] = []
        var first = true
        while try s.nextElement(&first) {
            let c = try s.peek()
            let offset = s.pos
            guard JSONScanner.isDigit(c), let size = try s.readNonNegativeInteger() else {
                s.pos = offset
                throw invalid(&s, "\(what)[\(result.count)]", must: "a non-negative integer")
            }
            result.append(size)
        }
        return result
    }

    /// Reads a `role` object: role name → array of dimension ids.
    static func readRoles(_ s: inout JSONScanner) throws(JSONStatError) -> [(role: String, ids: [String])]? {
        if try s.consumeNull() { return nil }
        guard try s.peek() == UInt8(ascii: "{") else { throw invalid(&s, "role", must: "an object") }
        try s.beginObject()
        var roles: [(role: String, ids: [String])] = []
        var first = true
        while try s.nextMember(&first) {
            let role = try s.string(s.readKey())
            if try s.consumeNull() { continue }
            roles.append((role, try readStringArray(&s, what: "role.\(role)")))
        }
        return roles
    }

    /// Reads a collection's `link` object and returns the objects in its `item` array.
    static func readLinkItems(_ s: inout JSONScanner) throws(JSONStatError) -> [DatasetDraft] {
        guard try s.peek() == UInt8(ascii: "{") else { throw invalid(&s, "link", must: "an object") }
        try s.beginObject()
        var items: [DatasetDraft] = []
        var first = true
        while try s.nextMember(&first) {
            let key = try s.readKey()
            guard s.key(key, is: "item") else {
                try s.skipValue()
                continue
            }
            guard try s.peek() == UInt8(ascii: "[") else { throw invalid(&s, "link.item", must: "an array") }
            try s.beginArray()
            var firstItem = true
            while try s.nextElement(&firstItem) {
                guard try s.peek() == UInt8(ascii: "{") else {
                    throw invalid(&s, "link.item[\(items.count)]", must: "an object")
                }
                do throws(JSONStatError) {
                    items.append(try DatasetDraft.parse(&s, topLevel: false))
                } catch {
                    throw error.inDataset("collection item \(items.count)")
                }
            }
        }
        return items
    }
}
