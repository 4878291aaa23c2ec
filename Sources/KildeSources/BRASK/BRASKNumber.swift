/// Numbers as BRASK prints them: Norwegian format, digits grouped by three with a (non-breaking, narrow
/// non-breaking, figure or plain) space, a decimal comma, a leading minus (`-` or `−`).
public enum BRASKNumber {
    /// What a cell holds.
    public enum Cell: Sendable, Hashable {
        /// Nothing (only whitespace): no value, which is not zero.
        case empty
        case number(Double)
        /// Text that is neither.
        case invalid
    }

    /// Reads one cell's text, e.g. `"12 345"` (NBSP) → 12345, `"1 234,5"` → 1234.5, `"0"` → 0, `"\u{00A0}"` → empty.
    ///
    /// Grouping is strict (groups after the first have three digits) and a `.` is refused: `1.234` could be a
    /// thousand or a decimal, and a misread number is worse than a failed slice.
    public static func parse(_ text: some StringProtocol) -> Cell {
        // A result page has hundreds of cells: they are read from their UTF-8 in place, without a copy.
        text.utf8.withContiguousStorageIfAvailable(parse) ?? Array(text.utf8).withUnsafeBufferPointer(parse)
    }

    /// Whitespace a cell may carry: ASCII space and controls, NBSP, narrow NBSP, figure space, thin space.
    static func isSpace(_ s: Unicode.Scalar) -> Bool {
        switch s {
        case " ", "\t", "\n", "\r", "\u{0C}", "\u{00A0}", "\u{202F}", "\u{2007}", "\u{2009}": true
        default: false
        }
    }

    /// ``parse(_:)`` over valid UTF-8. Every character other than a digit, `,`, a space of ``isSpace(_:)`` or a leading
    /// minus makes the cell invalid, so those few encodings are matched and nothing else needs decoding.
    private static func parse(_ utf8: UnsafeBufferPointer<UInt8>) -> Cell {
        var start = 0, end = utf8.count
        while start < end, let width = spaceWidth(utf8, at: start) { start += width }
        while end > start, let width = spaceWidth(utf8, endingAt: end) { end -= width }
        if start == end { return .empty }
        let minus = utf8[start] == UInt8(ascii: "-") ? 1 : isMinusSign(utf8, at: start) ? 3 : 0
        let negative = minus > 0
        let digitsStart = start + minus

        var mantissa: UInt64 = 0, fractionDigits = 0, overflow = false
        var sawDigit = false, sawComma = false, pendingSeparator = false, endsWithComma = false
        var groupLength = 0, groups = 0
        var i = digitsStart
        while i < end {
            let byte = utf8[i]
            endsWithComma = false
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let (times10, o1) = mantissa.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
                mantissa = sum
                overflow = overflow || o1 || o2
                sawDigit = true
                if sawComma {
                    fractionDigits += 1
                } else {
                    if pendingSeparator {
                        // A new group starts: the one before it must have been whole.
                        if groups > 0 && groupLength != 3 { return .invalid }
                        groups += 1
                        groupLength = 0
                        pendingSeparator = false
                    }
                    groupLength += 1
                }
                i += 1
            case UInt8(ascii: ","):
                guard sawDigit, !sawComma, !pendingSeparator, groups == 0 || groupLength == 3 else { return .invalid }
                sawComma = true
                endsWithComma = true
                i += 1
            default:
                guard let width = spaceWidth(utf8, at: i), sawDigit, !sawComma, !pendingSeparator,
                      groups == 0 ? groupLength <= 3 : groupLength == 3 else { return .invalid }
                pendingSeparator = true
                i += width
            }
        }
        guard sawDigit, !pendingSeparator, !endsWithComma, groups == 0 || groupLength == 3 || sawComma else { return .invalid }
        // Both operands exact, the quotient is the correctly rounded value, as Double(String) gives it; longer
        // numbers go through Double(String).
        if !overflow, mantissa <= 1 << 53, fractionDigits < powersOfTen.count {
            let value = Double(mantissa) / powersOfTen[fractionDigits]
            return .number(negative ? -value : value)
        }
        var ascii = negative ? "-" : ""
        for byte in utf8[digitsStart..<end] {
            if byte == UInt8(ascii: ",") {
                ascii += "."
            } else if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                ascii.unicodeScalars.append(Unicode.Scalar(byte))
            }
        }
        guard let value = Double(ascii), value.isFinite else { return .invalid }
        return .number(value)
    }

    /// 10⁰ … 10²², every one exact in a Double.
    private static let powersOfTen: [Double] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14,
                                                1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22]

    /// The length in bytes of the ``isSpace(_:)`` character starting at `i`, if one does.
    private static func spaceWidth(_ utf8: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        switch utf8[i] {
        case 0x20, 0x09, 0x0A, 0x0D, 0x0C:
            return 1
        case 0xC2:  // U+00A0
            return i + 1 < utf8.count && utf8[i + 1] == 0xA0 ? 2 : nil
        case 0xE2:  // U+202F, U+2007, U+2009
            guard i + 2 < utf8.count, utf8[i + 1] == 0x80 else { return nil }
            return utf8[i + 2] == 0xAF || utf8[i + 2] == 0x87 || utf8[i + 2] == 0x89 ? 3 : nil
        default:
            return nil
        }
    }

    /// The length in bytes of the ``isSpace(_:)`` character ending just before `end`, if one does.
    private static func spaceWidth(_ utf8: UnsafeBufferPointer<UInt8>, endingAt end: Int) -> Int? {
        if spaceWidth(utf8, at: end - 1) == 1 { return 1 }
        if end >= 2, spaceWidth(utf8, at: end - 2) == 2 { return 2 }
        if end >= 3, spaceWidth(utf8, at: end - 3) == 3 { return 3 }
        return nil
    }

    /// Whether `−` (U+2212) starts at `i`.
    private static func isMinusSign(_ utf8: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        i + 2 < utf8.count && utf8[i] == 0xE2 && utf8[i + 1] == 0x88 && utf8[i + 2] == 0x92
    }
}
