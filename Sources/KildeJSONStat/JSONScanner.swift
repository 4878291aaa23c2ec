/// A cursor over the bytes of one JSON document (RFC 8259), used by the JSON-stat decoder.
///
/// The scanner never copies the input. It reads structure (objects, arrays,
/// keys), strings, numbers and literals, and can skip any value while still
/// validating it. All errors carry the byte offset where they were found.
struct JSONScanner {
    /// The first byte of the document.
    let base: UnsafePointer<UInt8>
    /// The number of bytes in the document.
    let end: Int
    /// The offset of the next byte to read.
    var pos: Int
    /// The current object/array nesting depth.
    var depth = 0

    /// The deepest nesting accepted; JSON-stat needs about 8 levels.
    static let maxDepth = 512

    init(base: UnsafePointer<UInt8>, count: Int, position: Int = 0) {
        self.base = base
        self.end = count
        self.pos = position
    }

    // MARK: Errors

    func syntaxError(_ message: String, at offset: Int? = nil) -> JSONStatError {
        let where_ = offset ?? pos
        if where_ >= end {
            return JSONStatError(code: .truncated, message: "unexpected end of input at byte \(end) (\(message))", offset: end)
        }
        return JSONStatError(code: .malformedJSON, message: "\(message) at byte \(where_)", offset: where_)
    }

    func unexpectedByte(expected: String) -> JSONStatError {
        guard pos < end else { return syntaxError("expected \(expected)") }
        return syntaxError("expected \(expected), found \(Self.describe(base[pos]))")
    }

    static func describe(_ byte: UInt8) -> String {
        if byte >= 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x\(String(byte, radix: 16))"
    }

    // MARK: Whitespace and peeking

    @inline(__always)
    mutating func skipWhitespace() {
        var p = pos
        while p < end {
            let c = base[p]
            // ' ' 0x20, '\t' 0x09, '\n' 0x0A, '\r' 0x0D
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { p &+= 1 } else { break }
        }
        pos = p
    }

    /// Skips whitespace and returns the next byte without consuming it.
    @inline(__always)
    mutating func peek() throws(JSONStatError) -> UInt8 {
        skipWhitespace()
        guard pos < end else { throw syntaxError("expected a value") }
        return base[pos]
    }

    var isAtEnd: Bool { pos >= end }

    // MARK: Objects and arrays

    /// Consumes `{` (after whitespace).
    mutating func beginObject() throws(JSONStatError) {
        guard try peek() == UInt8(ascii: "{") else { throw unexpectedByte(expected: "'{'") }
        pos &+= 1
        depth &+= 1
        if depth > Self.maxDepth {
            throw JSONStatError(code: .nestingTooDeep, message: "nesting deeper than \(Self.maxDepth) at byte \(pos - 1)", offset: pos - 1)
        }
    }

    /// Consumes `[` (after whitespace).
    mutating func beginArray() throws(JSONStatError) {
        guard try peek() == UInt8(ascii: "[") else { throw unexpectedByte(expected: "'['") }
        pos &+= 1
        depth &+= 1
        if depth > Self.maxDepth {
            throw JSONStatError(code: .nestingTooDeep, message: "nesting deeper than \(Self.maxDepth) at byte \(pos - 1)", offset: pos - 1)
        }
    }

    /// Advances to the next member of an object; returns `false` after consuming the closing `}`.
    /// When it returns `true` the scanner is at the member's key.
    @inline(__always)
    mutating func nextMember(_ first: inout Bool) throws(JSONStatError) -> Bool {
        let c = try peek()
        if first {
            first = false
            if c == UInt8(ascii: "}") { pos &+= 1; depth &-= 1; return false }
            return true
        }
        if c == UInt8(ascii: ",") { pos &+= 1; return true }
        if c == UInt8(ascii: "}") { pos &+= 1; depth &-= 1; return false }
        throw unexpectedByte(expected: "',' or '}'")
    }

    /// Advances to the next element of an array; returns `false` after consuming the closing `]`.
    @inline(__always)
    mutating func nextElement(_ first: inout Bool) throws(JSONStatError) -> Bool {
        let c = try peek()
        if first {
            first = false
            if c == UInt8(ascii: "]") { pos &+= 1; depth &-= 1; return false }
            return true
        }
        if c == UInt8(ascii: ",") { pos &+= 1; return true }
        if c == UInt8(ascii: "]") { pos &+= 1; depth &-= 1; return false }
        throw unexpectedByte(expected: "',' or ']'")
    }

    /// Reads an object key and the `:` after it.
    mutating func readKey() throws(JSONStatError) -> Key {
        guard try peek() == UInt8(ascii: "\"") else { throw unexpectedByte(expected: "a string key") }
        let key = try readStringToken()
        guard try peek() == UInt8(ascii: ":") else { throw unexpectedByte(expected: "':'") }
        pos &+= 1
        return key
    }

    // MARK: Literals

    /// Consumes `null` if it is next; returns whether it did.
    @inline(__always)
    mutating func consumeNull() throws(JSONStatError) -> Bool {
        guard try peek() == UInt8(ascii: "n") else { return false }
        try expectLiteral("null")
        return true
    }

    mutating func expectLiteral(_ literal: StaticString) throws(JSONStatError) {
        let n = literal.utf8CodeUnitCount
        let p = literal.utf8Start
        guard pos + n <= end else { throw syntaxError("expected '\(literal)'", at: end) }
        for i in 0..<n where base[pos + i] != p[i] {
            throw syntaxError("invalid literal, expected '\(literal)'")
        }
        pos += n
    }

    /// The kind of the next value, for error messages.
    mutating func describeNextValue() -> String {
        guard let c = try? peek() else { return "nothing" }
        switch c {
        case UInt8(ascii: "\""): return "a string"
        case UInt8(ascii: "{"): return "an object"
        case UInt8(ascii: "["): return "an array"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return "a boolean"
        case UInt8(ascii: "n"): return "null"
        default: return "a number"
        }
    }
}
