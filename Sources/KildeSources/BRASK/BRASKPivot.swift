/// A BRASK result table: a pivot of one dimension's labels (rows) by another's (columns), with the SUM row and the
/// SUM column apart from the body. Labels are the upstream's Norwegian text, trimmed.
public struct BRASKPivot: Sendable, Hashable {
    /// The corner cell of the header row: what the rows are, e.g. `Årsak`.
    public var corner: String
    /// The body rows' labels in page order, SUM left out.
    public var rowLabels: [String]
    /// The body columns' labels in page order, SUM left out.
    public var columnLabels: [String]
    /// `values[row][column]` over the body; `nil` is an empty cell (nothing printed), which is not 0.
    public var values: [[Double?]]
    /// The SUM column, one value per body row.
    public var rowSums: [Double?]
    /// The SUM row, one value per body column.
    public var columnSums: [Double?]
    /// The SUM × SUM cell: the upstream's total for the whole query.
    public var total: Double?

    public init(corner: String, rowLabels: [String], columnLabels: [String], values: [[Double?]], rowSums: [Double?],
                columnSums: [Double?], total: Double?) {
        self.corner = corner
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.values = values
        self.rowSums = rowSums
        self.columnSums = columnSums
        self.total = total
    }

    /// One body cell.
    public struct Cell: Sendable, Hashable {
        public var row: String
        public var column: String
        /// `nil` for an empty cell.
        public var value: Double?

        public init(row: String, column: String, value: Double?) {
            self.row = row
            self.column = column
            self.value = value
        }
    }

    /// Every body cell, row by row, empty ones included.
    public var cells: [Cell] {
        var out: [Cell] = []
        out.reserveCapacity(rowLabels.count * columnLabels.count)
        for (r, row) in rowLabels.enumerated() {
            for (c, column) in columnLabels.enumerated() {
                out.append(Cell(row: row, column: column, value: values[r][c]))
            }
        }
        return out
    }

    /// The body cell at `row` × `column`: `nil` when there is no such row or column, `.some(nil)` when it is empty.
    public func value(row: String, column: String) -> Double?? {
        guard let r = rowLabels.firstIndex(of: row), let c = columnLabels.firstIndex(of: column) else { return nil }
        return .some(values[r][c])
    }
}
