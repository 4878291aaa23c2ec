/// Checks a JSON request body before it is decoded: it must be one object whose keys, at every depth, are unique,
/// and whose top-level keys are all known. JSON leaves duplicate keys undefined (decoders take the first or the last),
/// so a body that names a field twice, or misspells one, is refused naming it rather than read one way or another.
/// Keys are compared as the decoder reads them (`"d\u0061taset"` is `dataset`), and nesting is bounded, so a body
/// of 64 KiB of `[` costs a refusal, not the stack.
struct StrictJSON {
    /// Why a body was refused.
    enum Problem: Error, Equatable {
        case malformed(at: Int)
        case duplicate(key: String)
        case unknown(key: String)
        case tooDeep(at: Int)
    }

    /// The deepest nesting of objects and arrays a body may have; the admin body needs 3.
    static let maximumDepth = 32

    private let bytes: [UInt8]
    private var i = 0
    private var depth = 0

    /// - Parameter allowed: the top-level keys the body may have.
    static func check(_ bytes: [UInt8], allowed: Set<String>) throws(Problem) {
        var p = StrictJSON(bytes: bytes)
        p.skipSpace()
        guard p.peek == UInt8(ascii: "{") else { throw .malformed(at: p.i) }
        let keys = try p.object()
        p.skipSpace()
        guard p.i == bytes.count else { throw .malformed(at: p.i) }
        if let unknown = keys.first(where: { !allowed.contains($0) }) { throw .unknown(key: unknown) }
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private var peek: UInt8? { i < bytes.count ? bytes[i] : nil }

    private mutating func skipSpace() {
        while let c = peek, c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { i += 1 }
    }

    private mutating func expect(_ c: UInt8) throws(Problem) {
        skipSpace()
        guard peek == c else { throw .malformed(at: i) }
        i += 1
    }

    /// Enters an object or array at `i`.
    private mutating func enter() throws(Problem) {
        depth += 1
        guard depth <= Self.maximumDepth else { throw .tooDeep(at: i) }
        i += 1
    }

    /// An object's keys, in order; every key unique.
    private mutating func object() throws(Problem) -> [String] {
        skipSpace()
        guard peek == UInt8(ascii: "{") else { throw .malformed(at: i) }
        try enter()
        defer { depth -= 1 }
        var keys: [String] = []
        var seen: Set<String> = []
        skipSpace()
        if peek == UInt8(ascii: "}") { i += 1; return keys }
        while true {
            skipSpace()
            let key = try string()
            guard seen.insert(key).inserted else { throw .duplicate(key: key) }
            keys.append(key)
            try expect(UInt8(ascii: ":"))
            try value()
            skipSpace()
            if peek == UInt8(ascii: ",") { i += 1; continue }
            try expect(UInt8(ascii: "}"))
            return keys
        }
    }

    private mutating func value() throws(Problem) {
        skipSpace()
        switch peek {
        case UInt8(ascii: "{"): _ = try object()
        case UInt8(ascii: "["):
            try enter()
            defer { depth -= 1 }
            skipSpace()
            if peek == UInt8(ascii: "]") { i += 1; return }
            while true {
                try value()
                skipSpace()
                if peek == UInt8(ascii: ",") { i += 1; continue }
                try expect(UInt8(ascii: "]"))
                return
            }
        case UInt8(ascii: "\""): _ = try string()
        case .some(let c) where c == UInt8(ascii: "-") || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")):
            // A number's exact form is the decoder's to check; here it only has to end.
            while let d = peek, d == UInt8(ascii: "-") || d == UInt8(ascii: "+") || d == UInt8(ascii: ".") || d == UInt8(ascii: "e") || d == UInt8(ascii: "E")
                || (d >= UInt8(ascii: "0") && d <= UInt8(ascii: "9")) { i += 1 }
        default:
            for word in ["true", "false", "null"] where bytes[i...].starts(with: word.utf8) {
                i += word.utf8.count
                return
            }
            throw .malformed(at: i)
        }
    }

    /// A string's text with its escapes resolved, as a decoder reads it.
    private mutating func string() throws(Problem) -> String {
        guard peek == UInt8(ascii: "\"") else { throw .malformed(at: i) }
        i += 1
        var out: [UInt8] = []
        while let c = peek {
            i += 1
            switch c {
            case UInt8(ascii: "\""): return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard let e = peek else { throw .malformed(at: i) }
                i += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"): out += try unicodeEscape()
                default: throw .malformed(at: i - 1)
                }
            case 0..<0x20: throw .malformed(at: i - 1)
            default: out.append(c)
            }
        }
        throw .malformed(at: i)
    }

    /// The UTF-8 of a `\uXXXX` escape (after the `u`), a surrogate pair taken whole; a lone surrogate reads as
    /// U+FFFD, as Foundation's decoder does not accept it either.
    private mutating func unicodeEscape() throws(Problem) -> [UInt8] {
        var unit = try hex4()
        if (0xD800..<0xDC00).contains(unit), bytes[i...].starts(with: [UInt8(ascii: "\\"), UInt8(ascii: "u")]) {
            i += 2
            let low = try hex4()
            guard (0xDC00..<0xE000).contains(low) else { throw .malformed(at: i - 4) }
            unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
        }
        let scalar = Unicode.Scalar(unit) ?? "\u{FFFD}"
        return Array(String(Character(scalar)).utf8)
    }

    private mutating func hex4() throws(Problem) -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard let c = peek, let d = Character(Unicode.Scalar(c)).hexDigitValue else { throw .malformed(at: i) }
            v = v << 4 | UInt32(d)
            i += 1
        }
        return v
    }
}
