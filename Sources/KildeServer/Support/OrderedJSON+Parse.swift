extension OrderedJSON {
    /// Why a text is not JSON, and where.
    struct ParseError: Error, CustomStringConvertible {
        let offset: Int
        /// The text nests objects and arrays deeper than the parser was allowed to go.
        var isTooDeep = false
        var description: String { isTooDeep ? "nested too deep at byte \(offset)" : "not JSON at byte \(offset)" }
    }

    /// Parses JSON text (RFC 8259) into a tree that keeps member order and number text.
    /// - Parameter maximumDepth: the deepest nesting of objects and arrays accepted, so no input costs the stack.
    init(parsing bytes: [UInt8], maximumDepth: Int = 64) throws(ParseError) {
        var parser = Parser(bytes: bytes, maximumDepth: maximumDepth)
        self = try parser.value()
        parser.skipSpace()
        guard parser.i == bytes.count else { throw ParseError(offset: parser.i) }
    }

    /// A recursive-descent reader of one JSON text; nesting is bounded so no input costs the stack.
    private struct Parser {
        let bytes: [UInt8]
        let maximumDepth: Int
        var i = 0
        var depth = 0

        init(bytes: [UInt8], maximumDepth: Int) {
            self.bytes = bytes
            self.maximumDepth = maximumDepth
        }

        var peek: UInt8? { i < bytes.count ? bytes[i] : nil }

        mutating func skipSpace() {
            while let c = peek, c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { i += 1 }
        }

        mutating func expect(_ c: UInt8) throws(ParseError) {
            skipSpace()
            guard peek == c else { throw ParseError(offset: i) }
            i += 1
        }

        mutating func value() throws(ParseError) -> OrderedJSON {
            skipSpace()
            switch peek {
            case UInt8(ascii: "{"): return .object(try container(close: UInt8(ascii: "}")) { p throws(ParseError) in
                    p.skipSpace()
                    let key = try p.string()
                    try p.expect(UInt8(ascii: ":"))
                    return Member(key: key, value: try p.value())
                })
            case UInt8(ascii: "["): return .array(try container(close: UInt8(ascii: "]")) { p throws(ParseError) in try p.value() })
            case UInt8(ascii: "\""): return .string(try string())
            case .some(let c) where c == UInt8(ascii: "-") || Self.isDigit(c): return .number(try number())
            default:
                for (word, v) in [("true", OrderedJSON.bool(true)), ("false", .bool(false)), ("null", .null)] where bytes[i...].starts(with: word.utf8) {
                    i += word.utf8.count
                    return v
                }
                throw ParseError(offset: i)
            }
        }

        /// The elements of an array or the members of an object, from its opening bracket to `close`.
        mutating func container<T>(close: UInt8, _ element: (inout Parser) throws(ParseError) -> T) throws(ParseError) -> [T] {
            depth += 1
            guard depth <= maximumDepth else { throw ParseError(offset: i, isTooDeep: true) }
            defer { depth -= 1 }
            i += 1
            var out: [T] = []
            skipSpace()
            if peek == close { i += 1; return out }
            while true {
                out.append(try element(&self))
                skipSpace()
                if peek == UInt8(ascii: ",") { i += 1; continue }
                try expect(close)
                return out
            }
        }

        static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

        mutating func digits() throws(ParseError) {
            guard let c = peek, Self.isDigit(c) else { throw ParseError(offset: i) }
            while let c = peek, Self.isDigit(c) { i += 1 }
        }

        /// `-? int frac? exp?`, returned as written.
        mutating func number() throws(ParseError) -> String {
            let start = i
            if peek == UInt8(ascii: "-") { i += 1 }
            try digits()
            if peek == UInt8(ascii: ".") { i += 1; try digits() }
            if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
                i += 1
                if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { i += 1 }
                try digits()
            }
            return String(decoding: bytes[start..<i], as: UTF8.self)
        }

        /// A string's text with its escapes resolved.
        mutating func string() throws(ParseError) -> String {
            guard peek == UInt8(ascii: "\"") else { throw ParseError(offset: i) }
            i += 1
            var out: [UInt8] = []
            while let c = peek {
                i += 1
                switch c {
                case UInt8(ascii: "\""): return String(decoding: out, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard let e = peek else { throw ParseError(offset: i) }
                    i += 1
                    switch e {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "u"): out += try unicodeEscape()
                    default: throw ParseError(offset: i - 1)
                    }
                case 0..<0x20: throw ParseError(offset: i - 1)
                default: out.append(c)
                }
            }
            throw ParseError(offset: i)
        }

        /// The UTF-8 of a `\uXXXX` escape (after the `u`), a surrogate pair taken whole; a lone surrogate reads
        /// as U+FFFD.
        mutating func unicodeEscape() throws(ParseError) -> [UInt8] {
            var unit = try hex4()
            if (0xD800..<0xDC00).contains(unit), bytes[i...].starts(with: [UInt8(ascii: "\\"), UInt8(ascii: "u")]) {
                i += 2
                let low = try hex4()
                guard (0xDC00..<0xE000).contains(low) else { throw ParseError(offset: i - 4) }
                unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
            }
            return Array(String(Character(Unicode.Scalar(unit) ?? "\u{FFFD}")).utf8)
        }

        mutating func hex4() throws(ParseError) -> UInt32 {
            var v: UInt32 = 0
            for _ in 0..<4 {
                guard let c = peek, let d = Character(Unicode.Scalar(c)).hexDigitValue else { throw ParseError(offset: i) }
                v = v << 4 | UInt32(d)
                i += 1
            }
            return v
        }
    }
}
