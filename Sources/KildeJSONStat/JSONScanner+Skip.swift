extension JSONScanner {
    /// Skips any JSON value, validating its syntax (UTF-8 inside skipped strings is not checked).
    mutating func skipValue() throws(JSONStatError) {
        switch try peek() {
        case UInt8(ascii: "{"):
            try beginObject()
            var first = true
            while try nextMember(&first) {
                _ = try readKey()
                try skipValue()
            }
        case UInt8(ascii: "["):
            try beginArray()
            var first = true
            while try nextElement(&first) {
                try skipValue()
            }
        case UInt8(ascii: "\""):
            try skipString()
        case UInt8(ascii: "t"):
            try expectLiteral("true")
        case UInt8(ascii: "f"):
            try expectLiteral("false")
        case UInt8(ascii: "n"):
            try expectLiteral("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            try skipNumber()
        default:
            throw unexpectedByte(expected: "a value")
        }
    }

    /// Skips an array or object by bracket matching only, without validating its contents.
    ///
    /// Used to find the end of a `value` array that appears before the dataset's
    /// sizes are known; the contents are parsed (and validated) afterwards from
    /// the recorded offset.
    mutating func skipStructurally() throws(JSONStatError) {
        let start = pos
        var p = pos
        var nesting = 0
        while p < end {
            let c = base[p]
            p &+= 1
            switch c {
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                nesting &+= 1
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                nesting &-= 1
                if nesting == 0 { pos = p; return }
            case UInt8(ascii: "\""):
                while p < end {
                    let s = base[p]
                    p &+= 1
                    if s == UInt8(ascii: "\"") { break }
                    if s == UInt8(ascii: "\\") { p &+= 1 }
                }
            default:
                continue
            }
        }
        throw syntaxError("unterminated array or object starting at byte \(start)", at: end)
    }
}
