extension JSONScanner {
    /// Exact powers of ten representable as `Double` (10^0 … 10^22).
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    @inline(__always)
    static func isDigit(_ c: UInt8) -> Bool { c &- UInt8(ascii: "0") < 10 }

    /// Reads a JSON number as the nearest `Double`.
    ///
    /// Integers and decimals with at most 19 significant digits whose mantissa
    /// fits in 53 bits and whose decimal exponent is within ±22 take an exact
    /// fast path (one correctly rounded multiplication or division of two exact
    /// doubles). Everything else goes through `Double(String)`, so the result is
    /// always bit-identical to `Double(text)`.
    @inline(__always)
    mutating func readNumber() throws(JSONStatError) -> Double {
        let start = pos
        var p = pos
        var negative = false
        if p < end && base[p] == UInt8(ascii: "-") { negative = true; p &+= 1 }
        guard p < end else { pos = p; throw syntaxError("truncated number") }
        var mantissa: UInt64 = 0
        var digits = 0          // significant digits accumulated in `mantissa`
        var exponent = 0        // decimal exponent applied to `mantissa`
        var exact = true        // false once a significant digit could not be kept
        let first = base[p]
        if first == UInt8(ascii: "0") {
            p &+= 1
        } else if Self.isDigit(first) {
            while p < end {
                let d = base[p] &- UInt8(ascii: "0")
                guard d < 10 else { break }
                if digits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(d)
                    digits &+= 1
                } else {
                    exponent &+= 1
                    exact = false
                }
                p &+= 1
            }
        } else {
            pos = p
            throw syntaxError("invalid number")
        }
        if p < end && base[p] == UInt8(ascii: ".") {
            p &+= 1
            guard p < end, Self.isDigit(base[p]) else { pos = p; throw syntaxError("expected a digit after '.'") }
            while p < end {
                let d = base[p] &- UInt8(ascii: "0")
                guard d < 10 else { break }
                if mantissa == 0 && d == 0 {
                    exponent &-= 1
                } else if digits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(d)
                    digits &+= 1
                    exponent &-= 1
                } else {
                    exact = false
                }
                p &+= 1
            }
        }
        if p < end && (base[p] | 0x20) == UInt8(ascii: "e") {
            p &+= 1
            var expNegative = false
            if p < end && (base[p] == UInt8(ascii: "+") || base[p] == UInt8(ascii: "-")) {
                expNegative = base[p] == UInt8(ascii: "-")
                p &+= 1
            }
            guard p < end, Self.isDigit(base[p]) else { pos = p; throw syntaxError("expected a digit in exponent") }
            var e = 0
            while p < end {
                let d = base[p] &- UInt8(ascii: "0")
                guard d < 10 else { break }
                if e < 100_000 { e = e &* 10 &+ Int(d) }
                p &+= 1
            }
            exponent &+= expNegative ? -e : e
        }
        pos = p
        if exact && mantissa <= (1 << 53) && exponent >= -22 && exponent <= 22 {
            var value = Double(mantissa)
            if exponent < 0 {
                value /= Self.powersOfTen[-exponent]
            } else if exponent > 0 {
                value *= Self.powersOfTen[exponent]
            }
            return negative ? -value : value
        }
        if mantissa == 0 && exact { return negative ? -0.0 : 0.0 }
        return try slowNumber(from: start, to: p)
    }

    /// Converts number text with the standard library's correctly rounded parser.
    @inline(never)
    private func slowNumber(from start: Int, to stop: Int) throws(JSONStatError) -> Double {
        let text = String(decoding: UnsafeBufferPointer(start: base + start, count: stop - start), as: UTF8.self)
        guard let value = Double(text) else { throw syntaxError("unparseable number '\(text)'", at: start) }
        return value
    }

    /// Skips a number, validating its grammar.
    mutating func skipNumber() throws(JSONStatError) {
        _ = try readNumber()
    }

    /// Reads a JSON number that must be a plain non-negative integer literal (no fraction or exponent).
    /// Returns `nil`, after consuming the number, when it is not one or does not fit in `Int`.
    mutating func readNonNegativeInteger() throws(JSONStatError) -> Int? {
        let start = pos
        var p = pos
        var value = 0
        var overflow = false
        while p < end, Self.isDigit(base[p]) {
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int(base[p] &- UInt8(ascii: "0")))
            overflow = overflow || o1 || o2
            value = a
            p &+= 1
        }
        let isPlain = p > start && (p == start + 1 || base[start] != UInt8(ascii: "0"))
        if isPlain && !overflow && (p >= end || !Self.isNumberContinuation(base[p])) {
            pos = p
            return value
        }
        pos = start
        _ = try readNumber()
        return nil
    }

    @inline(__always)
    private static func isNumberContinuation(_ c: UInt8) -> Bool {
        c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") || isDigit(c)
    }

    /// Parses a string token as a canonical non-negative decimal integer (`"0"`, `"17"`; not `"017"`, `"-1"`, `"1.0"`).
    func integerKey(_ key: Key) -> Int? {
        let count = key.decoded?.count ?? key.count
        guard count > 0, count <= 18 else { return nil }
        var value = 0
        if let decoded = key.decoded {
            if count > 1 && decoded[0] == UInt8(ascii: "0") { return nil }
            for c in decoded {
                guard Self.isDigit(c) else { return nil }
                value = value &* 10 &+ Int(c &- UInt8(ascii: "0"))
            }
            return value
        }
        let s = base + key.start
        if count > 1 && s[0] == UInt8(ascii: "0") { return nil }
        for i in 0..<count {
            let d = s[i] &- UInt8(ascii: "0")
            guard d < 10 else { return nil }
            value = value &* 10 &+ Int(d)
        }
        return value
    }

    /// Reads an object key that must be a cell index (`"0"`, `"17"`) and the `:` after it.
    ///
    /// Plain digit keys are read in one pass without building a token; anything else goes
    /// through the general string reader and, if it is not a canonical integer, `invalid`
    /// receives the key text and its offset to build the error.
    @inline(__always)
    mutating func readIndexKey(
        _ invalid: (_ key: String, _ offset: Int) -> JSONStatError
    ) throws(JSONStatError) -> Int {
        guard try peek() == UInt8(ascii: "\"") else { throw unexpectedByte(expected: "a string key") }
        let keyOffset = pos
        var p = pos &+ 1
        var value = 0
        while p < end {
            let d = base[p] &- UInt8(ascii: "0")
            guard d < 10 else { break }
            value = value &* 10 &+ Int(d)
            p &+= 1
        }
        let digits = p &- pos &- 1
        if p < end, base[p] == UInt8(ascii: "\""), digits > 0, digits <= 18,
           digits == 1 || base[pos &+ 1] != UInt8(ascii: "0") {
            pos = p &+ 1
            guard try peek() == UInt8(ascii: ":") else { throw unexpectedByte(expected: "':'") }
            pos &+= 1
            return value
        }
        let key = try readKey()
        guard let index = integerKey(key) else { throw invalid((try? string(key)) ?? "?", keyOffset) }
        return index
    }
}
