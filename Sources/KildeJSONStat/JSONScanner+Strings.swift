extension JSONScanner {
    /// A string token: either a span of the input (no escapes) or its decoded bytes.
    struct Key {
        /// Offset of the first byte after the opening quote.
        var start: Int
        /// Number of raw bytes between the quotes.
        var count: Int
        /// The unescaped UTF-8 bytes, when the token contained escapes.
        var decoded: [UInt8]?
    }

    /// Whether the token equals an ASCII literal, without allocating.
    @inline(__always)
    func key(_ key: Key, is literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        let p = literal.utf8Start
        if let decoded = key.decoded {
            guard decoded.count == n else { return false }
            for i in 0..<n where decoded[i] != p[i] { return false }
            return true
        }
        guard key.count == n else { return false }
        let s = base + key.start
        for i in 0..<n where s[i] != p[i] { return false }
        return true
    }

    /// Materialises a token as a `String`, validating its UTF-8.
    func string(_ key: Key) throws(JSONStatError) -> String {
        let result: String?
        if let decoded = key.decoded {
            result = String(validating: decoded, as: UTF8.self)
        } else {
            result = String(validating: UnsafeBufferPointer(start: base + key.start, count: key.count), as: UTF8.self)
        }
        guard let result else { throw syntaxError("invalid UTF-8 in string", at: key.start) }
        return result
    }

    /// Reads a JSON string value.
    mutating func readString() throws(JSONStatError) -> String {
        guard try peek() == UInt8(ascii: "\"") else { throw unexpectedByte(expected: "a string") }
        return try string(readStringToken())
    }

    /// Reads a string or `null` (returned as `nil`).
    mutating func readOptionalString() throws(JSONStatError) -> String? {
        if try consumeNull() { return nil }
        return try readString()
    }

    /// Reads a string token; the scanner must be at the opening quote.
    mutating func readStringToken() throws(JSONStatError) -> Key {
        pos &+= 1
        let start = pos
        var p = pos
        while p < end {
            let c = base[p]
            if c == UInt8(ascii: "\"") {
                pos = p &+ 1
                return Key(start: start, count: p &- start, decoded: nil)
            }
            if c == UInt8(ascii: "\\") { break }
            if c < 0x20 { throw syntaxError("unescaped control character in string", at: p) }
            p &+= 1
        }
        guard p < end else { throw syntaxError("unterminated string", at: end) }
        // Slow path: the string has escapes.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(p - start + 16)
        bytes.append(contentsOf: UnsafeBufferPointer(start: base + start, count: p - start))
        pos = p
        while true {
            guard pos < end else { throw syntaxError("unterminated string", at: end) }
            let c = base[pos]
            if c == UInt8(ascii: "\"") {
                let count = pos - start
                pos &+= 1
                return Key(start: start, count: count, decoded: bytes)
            }
            if c < 0x20 { throw syntaxError("unescaped control character in string") }
            if c != UInt8(ascii: "\\") {
                bytes.append(c)
                pos &+= 1
                continue
            }
            try readEscape(into: &bytes)
        }
    }

    /// Decodes one escape sequence (the scanner is at the backslash).
    private mutating func readEscape(into bytes: inout [UInt8]) throws(JSONStatError) {
        let escapeStart = pos
        pos &+= 1
        guard pos < end else { throw syntaxError("unterminated escape", at: end) }
        let e = base[pos]
        pos &+= 1
        switch e {
        case UInt8(ascii: "\""): bytes.append(0x22)
        case UInt8(ascii: "\\"): bytes.append(0x5C)
        case UInt8(ascii: "/"): bytes.append(0x2F)
        case UInt8(ascii: "b"): bytes.append(0x08)
        case UInt8(ascii: "f"): bytes.append(0x0C)
        case UInt8(ascii: "n"): bytes.append(0x0A)
        case UInt8(ascii: "r"): bytes.append(0x0D)
        case UInt8(ascii: "t"): bytes.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try readHex4()
            if scalar >= 0xD800 && scalar <= 0xDBFF {
                // A high surrogate must be followed by an escaped low surrogate.
                guard pos + 1 < end, base[pos] == UInt8(ascii: "\\"), base[pos + 1] == UInt8(ascii: "u") else {
                    throw syntaxError("unpaired UTF-16 surrogate \\u\(String(scalar, radix: 16, uppercase: true))", at: escapeStart)
                }
                pos &+= 2
                let low = try readHex4()
                guard low >= 0xDC00 && low <= 0xDFFF else {
                    throw syntaxError("high surrogate not followed by a low surrogate", at: escapeStart)
                }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if scalar >= 0xDC00 && scalar <= 0xDFFF {
                throw syntaxError("unpaired UTF-16 surrogate \\u\(String(scalar, radix: 16, uppercase: true))", at: escapeStart)
            }
            Self.appendUTF8(scalar, to: &bytes)
        default:
            throw syntaxError("invalid escape '\\\(Character(Unicode.Scalar(e)))'", at: escapeStart)
        }
    }

    /// Appends the UTF-8 encoding of a Unicode scalar value (surrogates already excluded).
    private static func appendUTF8(_ scalar: UInt32, to bytes: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            bytes.append(UInt8(scalar))
        case 0x80..<0x800:
            bytes.append(UInt8(0xC0 | (scalar >> 6)))
            bytes.append(UInt8(0x80 | (scalar & 0x3F)))
        case 0x800..<0x10000:
            bytes.append(UInt8(0xE0 | (scalar >> 12)))
            bytes.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            bytes.append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            bytes.append(UInt8(0xF0 | (scalar >> 18)))
            bytes.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            bytes.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            bytes.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }

    private mutating func readHex4() throws(JSONStatError) -> UInt32 {
        guard pos + 4 <= end else { throw syntaxError("truncated \\u escape", at: end) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let c = base[pos]
            let digit: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw syntaxError("invalid hex digit in \\u escape")
            }
            value = value << 4 | digit
            pos &+= 1
        }
        return value
    }

    /// Skips a string (at its opening quote), validating escapes but not building it.
    mutating func skipString() throws(JSONStatError) {
        pos &+= 1
        while pos < end {
            let c = base[pos]
            if c == UInt8(ascii: "\"") { pos &+= 1; return }
            if c < 0x20 { throw syntaxError("unescaped control character in string") }
            if c == UInt8(ascii: "\\") {
                var scratch: [UInt8] = []
                try readEscape(into: &scratch)
            } else {
                pos &+= 1
            }
        }
        throw syntaxError("unterminated string", at: end)
    }
}
