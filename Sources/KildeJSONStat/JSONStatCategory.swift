/// One category of a JSON-stat dimension.
public struct JSONStatCategory: Sendable, Hashable {
    /// The category id (a key of the dimension's `category.index`).
    public var id: String
    /// The category label; the id itself when the document gives no label.
    public var label: String
    /// The unit of measure, for categories of a metric dimension that declare one.
    public var unit: JSONStatUnit? {
        get { unitBox?.unit }
        set { unitBox = newValue.map(UnitBox.init) }
    }

    /// Units are rare (metric categories only) and 48 bytes wide: kept out of line, a category
    /// takes 40 bytes instead of 80, which matters for dimensions of 100,000 categories.
    private var unitBox: UnitBox?

    /// Creates a category. `label` defaults to the id.
    public init(id: String, label: String? = nil, unit: JSONStatUnit? = nil) {
        self.id = id
        self.label = label ?? id
        self.unitBox = unit.map(UnitBox.init)
    }

    public static func == (a: JSONStatCategory, b: JSONStatCategory) -> Bool {
        a.id == b.id && a.label == b.label && a.unit == b.unit
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(label)
        hasher.combine(unit)
    }
}

/// An immutable, shared unit.
private final class UnitBox: Sendable {
    let unit: JSONStatUnit

    init(_ unit: JSONStatUnit) {
        self.unit = unit
    }
}

/// The unit of a metric category (`category.unit.<id>`).
///
/// Only the JSON-stat 2.0 members `decimals`, `label` and `symbol` are kept;
/// others (`position`, 1.x `base`, `type`, `multiplier`, …) are skipped.
public struct JSONStatUnit: Sendable, Hashable {
    /// Number of decimals to show, when given.
    public var decimals: Int?
    /// The unit's label, e.g. `"Miles de personas"`.
    public var label: String?
    /// The unit's symbol, e.g. `"%"` or `"kr"`.
    public var symbol: String?
    /// PxWeb's word for the unit (`base`, outside the JSON-stat standard), e.g. `"prosent"` or `"antal"`.
    public var base: String?

    /// Creates a unit.
    public init(decimals: Int? = nil, label: String? = nil, symbol: String? = nil, base: String? = nil) {
        self.decimals = decimals
        self.label = label
        self.symbol = symbol
        self.base = base
    }
}
