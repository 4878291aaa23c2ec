/// One decoded JSON-stat dataset: its dimensions and its cells.
///
/// Cells are addressed by a flat row-major index over the dimensions in `id`
/// order: with sizes `(A, B, C)` the cell `(a, b, c)` has flat index
/// `a·B·C + b·C + c`. Missing and suppressed cells (`null`, or absent from a
/// sparse `value` object) have no value — never `0` — and keep their status
/// symbol (such as `".."`, `":"` or `"."`) when the document gives one.
///
/// A cell may hold a string (JSON-stat 2.0 allows strings in `value`). The
/// `Double`-valued accessors (``value(at:)-(Int)``, ``forEachCell(_:)``) report such a
/// cell as `Double.nan`, so that a numeric consumer that checks `isFinite` refuses it
/// rather than storing it or mistaking it for a missing cell; read cells with
/// ``cellValue(at:)`` or ``forEachCellValue(includingMissing:_:)`` to tell strings from
/// numbers, or call ``requireNumericValues()`` to refuse them with an error naming the cell.
public struct JSONStatDataset: Sendable {
    /// The bundle key of a 1.x dataset, or `nil` (2.0 datasets and collection items).
    public var name: String?
    /// The dataset label, when given.
    public var label: String?
    /// The dataset source, when given.
    public var source: String?
    /// The raw `updated` text, not parsed (upstream sends malformed times such as `"2024-01-12T05: 52: 00Z"`).
    public var updated: String?
    /// The `version` text (`"2.0"`), or `nil` for 1.x documents without one.
    public var version: String?
    /// The dimensions, in `id` order.
    public var dimensions: [JSONStatDimension]
    /// The size of each dimension, in `id` order.
    public var sizes: [Int]
    /// The number of cells: the product of ``sizes``.
    public var cellCount: Int
    /// The number of cells that have a value (a number or a string).
    public var presentCount: Int
    /// The number of cells whose value is a string rather than a number.
    public var stringCount: Int
    /// Dimensions that `dimension` holds but `id` does not list, in document order.
    ///
    /// PxWeb leaves an eliminated variable (typically the contents variable, with one
    /// category) in `dimension` without listing it in `id` or `size`. Such a dimension is
    /// not part of any cell's coordinates: ``dimensions``, ``sizes`` and flat indices ignore it.
    /// Empty unless ``JSONStatDecodingOptions/allowsUnlistedDimensions`` is `true` (the default).
    public var unlistedDimensions: [JSONStatDimension] = []
    /// Whether the document carried `value: []` for a non-empty cube: a metadata-only
    /// response (such as PxWebApi 2 `/tables/{id}/metadata`). Every cell is then missing.
    public var isMetadataOnly: Bool

    var values: CellValues
    var statuses: CellStatuses
    /// The interned strings of string cells: a cell's ``CellSlot`` code `n` is `strings[n - 1]`.
    var strings: [String]
    let strides: [Int]

    init(
        name: String?, label: String?, source: String?, updated: String?, version: String?,
        dimensions: [JSONStatDimension], cellCount: Int, presentCount: Int, isMetadataOnly: Bool,
        values: CellValues, statuses: CellStatuses, strings: [String] = [], stringCount: Int = 0
    ) {
        self.name = name
        self.label = label
        self.source = source
        self.updated = updated
        self.version = version
        self.dimensions = dimensions
        self.sizes = dimensions.map(\.count)
        self.cellCount = cellCount
        self.presentCount = presentCount
        self.isMetadataOnly = isMetadataOnly
        self.values = values
        self.statuses = statuses
        self.strings = strings
        self.stringCount = stringCount
        self.strides = Self.strides(for: sizes)
    }

    /// Creates a dataset from per-cell values in row-major order (for tests and simulators).
    ///
    /// - Parameters:
    ///   - dimensions: The dimensions in `id` order; their category counts are the sizes.
    ///   - values: One entry per cell; `nil` marks a missing cell.
    ///   - statuses: Status symbols by flat index.
    /// - Throws: ``JSONStatError`` with `.valueCountMismatch` or `.invalidStatusKey` when the counts disagree,
    ///   `.tooManyCells` when the sizes overflow.
    public init(
        name: String? = nil, label: String? = nil, source: String? = nil, updated: String? = nil,
        dimensions: [JSONStatDimension], values: [Double?], statuses: [Int: String] = [:]
    ) throws(JSONStatError) {
        try self.init(
            name: name, label: label, source: source, updated: updated, dimensions: dimensions,
            cells: values.map { $0.map(JSONStatValue.number) }, statuses: statuses)
    }

    /// Creates a dataset from per-cell numbers or strings in row-major order (for tests and simulators).
    ///
    /// - Parameters:
    ///   - dimensions: The dimensions in `id` order; their category counts are the sizes.
    ///   - cells: One entry per cell; `nil` marks a missing cell.
    ///   - statuses: Status symbols by flat index.
    /// - Throws: ``JSONStatError`` with `.valueCountMismatch` or `.invalidStatusKey` when the counts disagree,
    ///   `.tooManyCells` when the sizes overflow.
    public init(
        name: String? = nil, label: String? = nil, source: String? = nil, updated: String? = nil,
        dimensions: [JSONStatDimension], cells: [JSONStatValue?], statuses: [Int: String] = [:]
    ) throws(JSONStatError) {
        var cellCount = 1
        for dimension in dimensions {
            let (product, overflow) = cellCount.multipliedReportingOverflow(by: dimension.count)
            guard !overflow else {
                throw JSONStatError(code: .tooManyCells, message: "the product of the sizes overflows")
            }
            cellCount = product
        }
        guard cells.count == cellCount else {
            throw JSONStatError(code: .valueCountMismatch, message: "\(cells.count) values for \(cellCount) cells")
        }
        var symbols = SymbolTable()
        var statusIndices: [Int] = []
        var codes: [UInt32] = []
        for (flat, symbol) in statuses.sorted(by: { $0.key < $1.key }) {
            guard flat >= 0 && flat < cellCount else {
                throw JSONStatError(code: .invalidStatusKey, message: "status index \(flat) outside 0..<\(cellCount)")
            }
            statusIndices.append(flat)
            codes.append(symbols.code(for: symbol))
        }
        var strings = SymbolTable()
        var stringCount = 0
        var present = 0
        var slots: [Double] = []
        slots.reserveCapacity(cellCount)
        for cell in cells {
            switch cell {
            case nil:
                slots.append(CellSlot.missing)
            case .number(let value)?:
                slots.append(value.isNaN ? CellSlot.missing : value)
                if !value.isNaN { present += 1 }
            case .string(let text)?:
                slots.append(CellSlot.string(code: strings.code(for: text)))
                stringCount += 1
                present += 1
            }
        }
        self.init(
            name: name, label: label, source: source, updated: updated, version: "2.0",
            dimensions: dimensions, cellCount: cellCount, presentCount: present,
            isMetadataOnly: false, values: present == 0 ? .none : .dense(slots),
            statuses: statusIndices.isEmpty ? .none : .sparse(indices: statusIndices, codes: codes, symbols: symbols.symbols),
            strings: strings.symbols, stringCount: stringCount
        )
    }

    /// The value of a cell, or `nil` when it is missing or `flatIndex` is out of range.
    ///
    /// A cell holding a string is reported as `Double.nan`; use ``cellValue(at:)`` to read it.
    public func value(at flatIndex: Int) -> Double? {
        guard let slot = values.slot(at: flatIndex) else { return nil }
        return CellSlot.number(slot)
    }

    /// The number or string of a cell, or `nil` when it is missing or `flatIndex` is out of range.
    public func cellValue(at flatIndex: Int) -> JSONStatValue? {
        guard let slot = values.slot(at: flatIndex) else { return nil }
        return cellValue(ofSlot: slot)
    }

    /// The status symbol of a cell, or `nil` when it has none or `flatIndex` is out of range.
    public func status(at flatIndex: Int) -> String? {
        statuses.status(at: flatIndex, cellCount: cellCount)
    }

    /// The value of the cell at the given category positions (one per dimension).
    ///
    /// A cell holding a string is reported as `Double.nan`; use ``cellValue(at:)`` to read it.
    public func value(at categoryIndices: [Int]) -> Double? {
        guard isValid(categoryIndices) else { return nil }
        guard let slot = values.slot(at: flatIndex(categoryIndices)) else { return nil }
        return CellSlot.number(slot)
    }

    /// The row-major flat index of a cell: `Σ indices[k] · stride[k]`.
    ///
    /// - Precondition: one index per dimension, each within its dimension's size.
    public func flatIndex(_ indices: [Int]) -> Int {
        precondition(isValid(indices), "flatIndex needs \(sizes.count) in-range indices, got \(indices) for sizes \(sizes)")
        var flat = 0
        for k in 0..<indices.count { flat += indices[k] * strides[k] }
        return flat
    }

    /// The category positions of a flat index (the inverse of ``flatIndex(_:)``).
    ///
    /// - Precondition: `0 <= flatIndex < cellCount`.
    public func indices(ofFlat flatIndex: Int) -> [Int] {
        precondition(flatIndex >= 0 && flatIndex < cellCount, "flat index \(flatIndex) outside 0..<\(cellCount)")
        var rest = flatIndex
        var indices = [Int](repeating: 0, count: sizes.count)
        for k in 0..<sizes.count {
            indices[k] = rest / strides[k]
            rest -= indices[k] * strides[k]
        }
        return indices
    }

    /// The cell's coordinates for people: `"sex=M, year=2021"` (dimension and category ids, in `id` order).
    ///
    /// An out-of-range `flatIndex` gives `"cell <flatIndex> (outside 0..<cellCount)"`.
    public func describeCell(at flatIndex: Int) -> String {
        guard flatIndex >= 0 && flatIndex < cellCount else { return "cell \(flatIndex) (outside 0..<\(cellCount))" }
        let positions = indices(ofFlat: flatIndex)
        return zip(dimensions, positions).map { "\($0.id)=\($0.categories[$1].id)" }.joined(separator: ", ")
    }

    /// The dimension with the given id among ``dimensions`` (those listed in `id`), if any;
    /// see ``unlistedDimensions`` for the others.
    public func dimension(id: String) -> JSONStatDimension? {
        dimensions.first { $0.id == id }
    }

    /// The dimensions that have the given role (`"time"`, `"geo"`, `"metric"`), in `id` order.
    public func dimensions(role: String) -> [JSONStatDimension] {
        dimensions.filter { $0.role == role }
    }

    /// Whether any cell has a status symbol.
    public var hasStatuses: Bool {
        if case .none = statuses { return false }
        return true
    }

    private func isValid(_ indices: [Int]) -> Bool {
        guard indices.count == sizes.count else { return false }
        for k in 0..<indices.count where indices[k] < 0 || indices[k] >= sizes[k] { return false }
        return true
    }

    static func strides(for sizes: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: sizes.count)
        var running = 1
        for k in stride(from: sizes.count - 1, through: 0, by: -1) {
            strides[k] = running
            running = running &* sizes[k]
        }
        return strides
    }
}
