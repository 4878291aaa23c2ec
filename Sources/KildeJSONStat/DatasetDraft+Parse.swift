extension DatasetDraft {
    /// Reads an object (the scanner is at `{`) into a draft.
    ///
    /// - Parameter topLevel: When `true`, unknown members holding objects are read
    ///   as possible 1.x bundle datasets (``candidates``); otherwise they are skipped.
    static func parse(_ s: inout JSONScanner, topLevel: Bool) throws(JSONStatError) -> DatasetDraft {
        _ = try s.peek()
        var d = DatasetDraft(offset: s.pos)
        try s.beginObject()
        var first = true
        while try s.nextMember(&first) {
            let key = try s.readKey()
            _ = try s.peek()
            let memberStart = s.pos
            let depth = s.depth
            do throws(JSONStatError) {
                try d.readMember(key, &s, topLevel: topLevel)
            } catch {
                // A JSON-stat problem in one member is reported only if the object turns out
                // to be a dataset; syntax errors abort at once.
                if error.code.isSyntax { throw error }
                if d.firstError == nil { d.firstError = error }
                s.pos = memberStart
                s.depth = depth
                try s.skipValue()
            }
        }
        return d
    }

    /// Reads one member's value according to its key.
    private mutating func readMember(_ key: JSONScanner.Key, _ s: inout JSONScanner, topLevel: Bool) throws(JSONStatError) {
        if s.key(key, is: "value") {
            hasValueMember = true
            try readValues(&s)
        } else if s.key(key, is: "status") {
            try readStatuses(&s)
        } else if s.key(key, is: "dimension") {
            try readDimensions(&s)
        } else if s.key(key, is: "id") {
            ids = try Self.readStringArray(&s, what: "id")
        } else if s.key(key, is: "size") {
            sizes = try Self.readSizes(&s, what: "size")
        } else if s.key(key, is: "role") {
            roles = try Self.readRoles(&s)
        } else if s.key(key, is: "class") {
            classValue = try Self.readText(&s, what: "class")
        } else if s.key(key, is: "version") {
            version = try Self.readText(&s, what: "version")
        } else if s.key(key, is: "label") {
            label = try Self.readText(&s, what: "label")
        } else if s.key(key, is: "source") {
            source = try Self.readText(&s, what: "source")
        } else if s.key(key, is: "updated") {
            updated = try Self.readText(&s, what: "updated")
        } else if s.key(key, is: "link") {
            if classValue == "collection" {
                items = try Self.readLinkItems(&s)
            } else {
                linkOffset = s.pos
                try s.skipValue()
            }
        } else if s.key(key, is: "category") {
            try s.skipValue()  // a `class: dimension` document's categories
        } else if topLevel, try s.peek() == UInt8(ascii: "{") {
            try readCandidate(&s, name: s.string(key))
        } else {
            try s.skipValue()
        }
    }

    /// Reads an unknown top-level object member as a possible 1.x bundle dataset.
    private mutating func readCandidate(_ s: inout JSONScanner, name: String) throws(JSONStatError) {
        let start = s.pos
        candidates.append(Candidate(name: name, offset: start, draft: try DatasetDraft.parse(&s, topLevel: false)))
    }

    private mutating func readValues(_ s: inout JSONScanner) throws(JSONStatError) {
        let c = try s.peek()
        valuesOffset = s.pos
        if c == UInt8(ascii: "[") {
            if let cellCount = knownCellCount {
                values = .dense(try s.readDenseValues(expected: cellCount, strings: &valueStrings))
            } else {
                values = .deferred(offset: s.pos)
                try s.skipStructurally()
            }
        } else if c == UInt8(ascii: "{") {
            if let cellCount = knownCellCount {
                if JSONScanner.prefersDense(cellCount: cellCount, textBytes: s.end - s.pos) {
                    values = .scattered(try s.readSparseValuesDense(cellCount: cellCount, strings: &valueStrings))
                } else {
                    let sparse = try s.readSparseValues(strings: &valueStrings)
                    values = .sparse(indices: sparse.indices, values: sparse.values, sorted: sparse.sorted)
                }
            } else {
                let start = s.pos
                try s.skipStructurally()
                values = .deferredSparse(offset: start, length: s.pos - start)
            }
        } else {
            throw JSONStatError(
                code: .invalidField,
                message: "'value' must be an array or an object, found \(s.describeNextValue()) at byte \(s.pos)",
                offset: s.pos)
        }
    }

    private mutating func readStatuses(_ s: inout JSONScanner) throws(JSONStatError) {
        let c = try s.peek()
        statusOffset = s.pos
        switch c {
        case UInt8(ascii: "\""):
            statuses = .uniform(try s.readString())
        case UInt8(ascii: "n"):
            try s.expectLiteral("null")
        case UInt8(ascii: "["):
            try s.beginArray()
            var codes: [UInt32] = []
            var first = true
            while try s.nextElement(&first) {
                codes.append(try s.readStatusCode(&statusSymbols, at: "status[\(codes.count)]"))
            }
            statuses = .array(codes: codes)
        case UInt8(ascii: "{"):
            try s.beginObject()
            var indices: [Int] = []
            var codes: [UInt32] = []
            var sorted = true
            var first = true
            while try s.nextMember(&first) {
                let index = try s.readIndexKey { key, offset in
                    JSONStatError(
                        code: .invalidStatusKey,
                        message: "status key \"\(key)\" at byte \(offset) is not a non-negative integer cell index",
                        offset: offset)
                }
                let code = try s.readStatusCode(&statusSymbols, at: "status[\"\(index)\"]")
                if code == 0 { continue }
                if let last = indices.last, index <= last { sorted = false }
                indices.append(index)
                codes.append(code)
            }
            statuses = .object(indices: indices, codes: codes, sorted: sorted)
        default:
            throw JSONStatError(
                code: .invalidField,
                message: "'status' must be a string, an array or an object, found \(s.describeNextValue()) at byte \(s.pos)",
                offset: s.pos)
        }
    }

    private mutating func readDimensions(_ s: inout JSONScanner) throws(JSONStatError) {
        hasDimension = true
        guard try s.peek() == UInt8(ascii: "{") else {
            throw JSONStatError(
                code: .invalidField,
                message: "'dimension' must be an object, found \(s.describeNextValue()) at byte \(s.pos)",
                offset: s.pos)
        }
        try s.beginObject()
        var first = true
        while try s.nextMember(&first) {
            let key = try s.readKey()
            let c = try s.peek()
            if c == UInt8(ascii: "[") && s.key(key, is: "id") {
                innerIDs = try Self.readStringArray(&s, what: "dimension.id")
            } else if c == UInt8(ascii: "[") && s.key(key, is: "size") {
                innerSizes = try Self.readSizes(&s, what: "dimension.size")
            } else if s.key(key, is: "role") {
                // 1.x role map, or a dimension named "role": decided once `id` is known.
                innerRoleOffset = s.pos
                try s.skipValue()
            } else {
                let id = try s.string(key)
                guard c == UInt8(ascii: "{") else {
                    throw JSONStatError(
                        code: .invalidField,
                        message: "dimension '\(id)' must be an object, found \(s.describeNextValue()) at byte \(s.pos)",
                        offset: s.pos, dimension: id)
                }
                dimensions.append((id, try DimensionDraft.parse(&s, id: id)))
            }
        }
    }
}
