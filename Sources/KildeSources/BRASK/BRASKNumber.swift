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
        var ascii: [UInt8] = []
        ascii.reserveCapacity(text.utf8.count)
        var sawDigit = false, sawComma = false, pendingSeparator = false
        var groupLength = 0, groups = 0
        var scalars = text.unicodeScalars[...]
        while let first = scalars.first, isSpace(first) { scalars.removeFirst() }
        while let last = scalars.last, isSpace(last) { scalars.removeLast() }
        if scalars.isEmpty { return .empty }
        if let sign = scalars.first, sign == "-" || sign == "\u{2212}" {
            ascii.append(UInt8(ascii: "-"))
            scalars.removeFirst()
        }
        for s in scalars {
            switch s {
            case "0"..."9":
                ascii.append(UInt8(s.value))
                sawDigit = true
                if !sawComma {
                    if pendingSeparator {
                        // A new group starts: the one before it must have been whole.
                        if groups > 0 && groupLength != 3 { return .invalid }
                        groups += 1
                        groupLength = 0
                        pendingSeparator = false
                    }
                    groupLength += 1
                }
            case ",":
                guard sawDigit, !sawComma, !pendingSeparator, groups == 0 || groupLength == 3 else { return .invalid }
                sawComma = true
                ascii.append(UInt8(ascii: "."))
            default:
                guard isSpace(s), sawDigit, !sawComma, !pendingSeparator, groups == 0 ? groupLength <= 3 : groupLength == 3 else { return .invalid }
                pendingSeparator = true
            }
        }
        guard sawDigit, !pendingSeparator, ascii.last != UInt8(ascii: "."), groups == 0 || groupLength == 3 || sawComma else { return .invalid }
        guard let value = Double(String(decoding: ascii, as: UTF8.self)), value.isFinite else { return .invalid }
        return .number(value)
    }

    /// Whitespace a cell may carry: ASCII space and controls, NBSP, narrow NBSP, figure space, thin space.
    static func isSpace(_ s: Unicode.Scalar) -> Bool {
        switch s {
        case " ", "\t", "\n", "\r", "\u{0C}", "\u{00A0}", "\u{202F}", "\u{2007}", "\u{2009}": true
        default: false
        }
    }
}
