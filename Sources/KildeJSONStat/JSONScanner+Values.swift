/// Dense `value` array contents as read: `values` holds at most the expected count.
struct DenseValues {
    var values: [Double]
    /// The number of elements the array actually had.
    var count: Int
    /// The number of non-null elements stored.
    var present: Int
}

extension JSONScanner {
    /// Reads a dense `value` array (the scanner is at `[`), storing at most `expected` values.
    ///
    /// Storage for `expected` doubles is allocated up front (missing cells become NaN),
    /// unless the array is empty or the remaining input is too short to hold that many
    /// elements; extra elements are validated and counted but not stored.
    mutating func readDenseValues(expected: Int) throws(JSONStatError) -> DenseValues {
        try beginArray()
        skipWhitespace()
        if pos < end && base[pos] == UInt8(ascii: "]") {
            pos &+= 1
            depth &-= 1
            return DenseValues(values: [], count: 0, present: 0)
        }
        // Each element takes at least two bytes ("0,"), so a longer count cannot be right.
        let capacity = expected <= (end - pos) / 2 + 1 ? expected : 0
        var count = 0
        var present = 0
        var failure: JSONStatError?
        let values = [Double](unsafeUninitializedCapacity: capacity) { buffer, initialized in
            do throws(JSONStatError) {
                try fillDense(buffer, count: &count, present: &present)
            } catch {
                failure = error
            }
            initialized = Swift.min(count, capacity)
        }
        if let failure { throw failure }
        return DenseValues(values: values, count: count, present: present)
    }

    private mutating func fillDense(
        _ buffer: UnsafeMutableBufferPointer<Double>, count: inout Int, present: inout Int
    ) throws(JSONStatError) {
        // Work on a local copy so the cursor can live in registers; written back on exit.
        var s = self
        defer { self = s }
        let capacity = buffer.count
        var i = 0
        var stored = 0
        defer { count = i; present = stored }
        while true {
            s.skipWhitespace()
            guard s.pos < s.end else { throw s.syntaxError("unterminated value array") }
            let c = s.base[s.pos]
            if c == UInt8(ascii: "n") {
                try s.expectLiteral("null")
                if i < capacity { buffer[i] = .nan }
            } else if c == UInt8(ascii: "-") || Self.isDigit(c) {
                let v = try s.readNumber()
                if i < capacity { buffer[i] = v; stored &+= 1 }
            } else {
                throw s.nonNumeric(at: "value[\(i)]")
            }
            i &+= 1
            s.skipWhitespace()
            guard s.pos < s.end else { throw s.syntaxError("unterminated value array") }
            let d = s.base[s.pos]
            if d == UInt8(ascii: ",") { s.pos &+= 1; continue }
            if d == UInt8(ascii: "]") { s.pos &+= 1; s.depth &-= 1; return }
            throw s.unexpectedByte(expected: "',' or ']' in value array")
        }
    }

    /// Reads a sparse `value` object (`{"0": 1.5, "3": null}`); `null` entries become NaN.
    mutating func readSparseValues() throws(JSONStatError) -> (indices: [Int], values: [Double], sorted: Bool) {
        try beginObject()
        var indices: [Int] = []
        var values: [Double] = []
        var sorted = true
        var last = -1
        var first = true
        while try nextMember(&first) {
            let index = try readIndexKey(Self.invalidSparseKey)
            if index <= last { sorted = false }
            last = index
            let c = try peek()
            let v: Double
            if c == UInt8(ascii: "n") {
                try expectLiteral("null")
                v = .nan
            } else if c == UInt8(ascii: "-") || Self.isDigit(c) {
                v = try readNumber()
            } else {
                throw nonNumeric(at: "value[\"\(index)\"]")
            }
            indices.append(index)
            values.append(v)
        }
        return (indices, values, sorted)
    }

    /// Whether a sparse object over `cellCount` cells should be scattered into dense storage:
    /// when one `Double` per cell costs at most twice the bytes of the object's text.
    static func prefersDense(cellCount: Int, textBytes: Int) -> Bool {
        cellCount <= textBytes / 4
    }

    /// Reads a sparse `value` object straight into dense storage (NaN for missing cells),
    /// rejecting keys that are out of range or repeated. Returns the values and the present count.
    mutating func readSparseValuesDense(cellCount: Int) throws(JSONStatError) -> (values: [Double], present: Int) {
        try beginObject()
        var values = [Double](repeating: .nan, count: cellCount)
        var seen = [UInt64](repeating: 0, count: (cellCount + 63) / 64)
        var present = 0
        var first = true
        while try nextMember(&first) {
            let keyOffset = pos
            let index = try readIndexKey(Self.invalidSparseKey)
            guard index < cellCount else {
                throw JSONStatError(
                    code: .sparseKeyOutOfRange,
                    message: "'value' has key \"\(index)\" but the sizes imply only \(cellCount) cells (0..<\(cellCount))",
                    offset: keyOffset)
            }
            let bit: UInt64 = 1 << UInt64(index & 63)
            guard seen[index >> 6] & bit == 0 else {
                throw JSONStatError(code: .invalidSparseKey, message: "'value' has key \"\(index)\" twice", offset: keyOffset)
            }
            seen[index >> 6] |= bit
            let c = try peek()
            if c == UInt8(ascii: "n") {
                try expectLiteral("null")
            } else if c == UInt8(ascii: "-") || Self.isDigit(c) {
                values[index] = try readNumber()
                present &+= 1
            } else {
                throw nonNumeric(at: "value[\"\(index)\"]")
            }
        }
        return (values, present)
    }

    static func invalidSparseKey(_ key: String, _ offset: Int) -> JSONStatError {
        JSONStatError(
            code: .invalidSparseKey,
            message: "value key \"\(key)\" at byte \(offset) is not a non-negative integer cell index",
            offset: offset)
    }

    func nonNumeric(at place: String) -> JSONStatError {
        var copy = self
        let kind = copy.describeNextValue()
        return JSONStatError(
            code: .nonNumericValue,
            message: "\(place) is \(kind) at byte \(pos); only numbers and null are allowed",
            offset: pos)
    }

    /// Reads a status symbol (string) or `null` (code 0), interning it.
    @inline(__always)
    mutating func readStatusCode(_ symbols: inout SymbolTable, at place: @autoclosure () -> String) throws(JSONStatError) -> UInt32 {
        let c = try peek()
        if c == UInt8(ascii: "n") {
            try expectLiteral("null")
            return 0
        }
        guard c == UInt8(ascii: "\"") else {
            throw JSONStatError(
                code: .invalidField,
                message: "\(place()) must be a string or null, found \(describeNextValue()) at byte \(pos)",
                offset: pos)
        }
        let token = try readStringToken()
        if token.decoded == nil, let code = symbols.cachedCode(base + token.start, count: token.count) {
            return code
        }
        return symbols.code(for: try string(token))
    }
}
