/// The content of a cell that is not missing: a number or, as JSON-stat 2.0 allows, a string.
///
/// ```swift
/// switch dataset.cellValue(at: 0) {
/// case .number(let v)?: print(v)
/// case .string(let s)?: print("text: \(s)")
/// case nil: print("missing")
/// }
/// ```
public enum JSONStatValue: Sendable, Hashable {
    /// A JSON number, as the nearest `Double`. Numbers beyond the `Double` range (such as
    /// `1e400`) are `±infinity`: check `isFinite` before storing one.
    case number(Double)
    /// A JSON string, unescaped.
    case string(String)

    /// The number, or `nil` for a string.
    public var number: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    /// The string, or `nil` for a number.
    public var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }
}
