/// Dense `value` array contents as read: `values` holds at most the expected count.
struct DenseValues {
    var values: [Double]
    /// The number of elements the array actually had.
    var count: Int
    /// The number of non-null elements stored (numbers and strings).
    var present: Int
    /// The number of string elements stored.
    var strings: Int
}

extension JSONScanner {
    /// Reads one `value` entry as a ``CellSlot``: a number, a string (interned in `strings`)
    /// or `null` (``CellSlot/missing``). Anything else is a `.nonNumericValue` error.
    @inline(__always)
    mutating func readCellSlot(_ strings: inout SymbolTable, at place: @autoclosure () -> String) throws(JSONStatError) -> Double {
        let c = try peek()
        if c == UInt8(ascii: "-") || Self.isDigit(c) { return try readNumber() }
        if c == UInt8(ascii: "n") {
            try expectLiteral("null")
            return CellSlot.missing
        }
        guard c == UInt8(ascii: "\"") else { throw nonNumeric(at: place()) }
        return try readStringSlot(&strings)
    }

    /// Reads a string `value` entry (the scanner is at its quote) as a ``CellSlot``, interning it.
    /// Out of line: strings are rare in `value`, and the number loops stay small.
    @inline(never)
    mutating func readStringSlot(_ strings: inout SymbolTable) throws(JSONStatError) -> Double {
        CellSlot.string(code: try internString(&strings))
    }

    /// Reads a dense `value` array (the scanner is at `[`), storing at most `expected` values.
    ///
    /// Storage for `expected` slots is allocated up front (missing cells become ``CellSlot/missing``),
    /// unless the array is empty or the remaining input is too short to hold that many
    /// elements; extra elements are validated and counted but not stored.
    mutating func readDenseValues(expected: Int, strings: inout SymbolTable) throws(JSONStatError) -> DenseValues {
        try beginArray()
        skipWhitespace()
        if pos < end && base[pos] == UInt8(ascii: "]") {
            pos &+= 1
            depth &-= 1
            return DenseValues(values: [], count: 0, present: 0, strings: 0)
        }
        // Each element takes at least two bytes ("0,"), so a longer count cannot be right.
        let capacity = expected <= (end - pos) / 2 + 1 ? expected : 0
        var cursor = DenseCursor()
        var failure: JSONStatError?
        let values = [Double](unsafeUninitializedCapacity: capacity) { buffer, initialized in
            do throws(JSONStatError) {
                do throws(JSONStatError) {
                    try fillDenseNumbers(buffer, count: &cursor.count, present: &cursor.present)
                } catch where error.code == .nonNumericValue && pos < end && base[pos] == UInt8(ascii: "\"") {
                    // The number loop stops at the first string; the general loop reads the rest.
                    try fillDenseMixed(buffer, &cursor, strings: &strings)
                }
            } catch {
                failure = error
            }
            initialized = Swift.min(cursor.count, capacity)
        }
        if let failure { throw failure }
        return DenseValues(values: values, count: cursor.count, present: cursor.present, strings: cursor.strings)
    }

    /// Progress through a dense `value` array.
    struct DenseCursor {
        /// Elements read so far.
        var count = 0
        /// Non-null elements stored so far.
        var present = 0
        /// String elements stored so far.
        var strings = 0
    }

    /// Reads numbers and nulls into `buffer` up to the closing `]`.
    ///
    /// Any other element throws `.nonNumericValue` with the scanner at that element and `count`
    /// its index, so that the caller can carry on from a string. (Keep this loop small: with one
    /// more branch, the compiler stops inlining ``readNumber()`` here, which costs about 10%.)
    private mutating func fillDenseNumbers(
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

    /// Reads the rest of a dense `value` array holding strings, numbers and nulls.
    @inline(never)
    private mutating func fillDenseMixed(
        _ buffer: UnsafeMutableBufferPointer<Double>, _ cursor: inout DenseCursor, strings: inout SymbolTable
    ) throws(JSONStatError) {
        let capacity = buffer.count
        while true {
            let v = try readCellSlot(&strings, at: "value[\(cursor.count)]")
            if cursor.count < capacity {
                buffer[cursor.count] = v
                if CellSlot.isPresent(v) { cursor.present &+= 1 }
                if v.isNaN && CellSlot.isPresent(v) { cursor.strings &+= 1 }
            }
            cursor.count &+= 1
            let d = try peek()
            if d == UInt8(ascii: ",") { pos &+= 1; continue }
            if d == UInt8(ascii: "]") { pos &+= 1; depth &-= 1; return }
            throw unexpectedByte(expected: "',' or ']' in value array")
        }
    }

    /// Reads a sparse `value` object (`{"0": 1.5, "3": null, "4": "x"}`) into ``CellSlot`` values.
    mutating func readSparseValues(strings: inout SymbolTable) throws(JSONStatError) -> (indices: [Int], values: [Double], sorted: Bool) {
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
            let v = try readCellSlot(&strings, at: "value[\"\(index)\"]")
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

    /// Reads a sparse `value` object straight into dense storage (``CellSlot/missing`` for missing
    /// cells), rejecting keys that are out of range or repeated.
    mutating func readSparseValuesDense(cellCount: Int, strings: inout SymbolTable) throws(JSONStatError) -> DenseValues {
        try beginObject()
        var values = [Double](repeating: CellSlot.missing, count: cellCount)
        var seen = [UInt64](repeating: 0, count: (cellCount + 63) / 64)
        var present = 0
        var stringCount = 0
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
            let v = try readCellSlot(&strings, at: "value[\"\(index)\"]")
            guard CellSlot.isPresent(v) else { continue }
            values[index] = v
            present &+= 1
            if v.isNaN { stringCount &+= 1 }
        }
        return DenseValues(values: values, count: cellCount, present: present, strings: stringCount)
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
            message: "\(place) is \(kind) at byte \(pos); only numbers, strings and null are allowed",
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
        return try internString(&symbols)
    }

    /// Reads a string (the scanner is at its opening quote) and returns its code in the table.
    @inline(__always)
    mutating func internString(_ symbols: inout SymbolTable) throws(JSONStatError) -> UInt32 {
        let token = try readStringToken()
        if token.decoded == nil, let code = symbols.cachedCode(base + token.start, count: token.count) {
            return code
        }
        return symbols.code(for: try string(token))
    }
}
