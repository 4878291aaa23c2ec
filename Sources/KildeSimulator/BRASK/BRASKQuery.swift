import KildeCore

/// What the simulated form was posted for: rows, columns, the list-box filters (an empty or absent one is all
/// values) and the metric.
public struct BRASKQuery: Sendable, Hashable {
    public var row: BRASKVocabulary.Dimension
    public var column: BRASKVocabulary.Dimension
    /// Selected values by dimension; a dimension without a selection is not filtered.
    public var filters: [BRASKVocabulary.Dimension: Set<String>]
    /// `1` counts fires, `2` sums damage in thousands of NOK.
    public var metric: String

    public init(row: BRASKVocabulary.Dimension = .cause, column: BRASKVocabulary.Dimension = .year,
                filters: [BRASKVocabulary.Dimension: Set<String>] = [:], metric: String = "1") {
        self.row = row
        self.column = column
        self.filters = filters
        self.metric = metric
    }

    /// The selected years, or every year with data when none is selected.
    func years(in fires: BRASKFires) -> [Int] {
        filters[.year].map { $0.compactMap(Int.init).sorted() } ?? Array(fires.years)
    }

    var months: [Int] { filters[.month].map { $0.compactMap(Int.init).sorted() } ?? Array(1...12) }
}

/// A computed result table: labelled rows and columns, the body (a `nil` cell is a day no selected month has),
/// and the sums.
struct BRASKTable: Sendable, Hashable {
    var corner: String
    var rows: [BRASKVocabulary.Option]
    var columns: [BRASKVocabulary.Option]
    var cells: [[Int?]]
    var rowSums: [Int]
    var columnSums: [Int]
    var total: Int
}

extension BRASKFires {
    /// The table BRASK shows for `query`, over the fires of every selected day (each with its revision).
    /// Calendar rows and columns list every selected period (all 31 days for `dag`); the other dimensions list the
    /// values at least one fire has, as BRASK leaves out causes nobody reported.
    func table(_ query: BRASKQuery, revisions: [CivilDate: Int]) -> BRASKTable {
        var sums: [String: [String: Int]] = [:]
        var present: [BRASKVocabulary.Dimension: Set<String>] = [:]
        var possibleDays = Set<Int>()
        let drawnFilters = query.filters.filter { $0.key.listBox != nil && $0.key != .year && $0.key != .month }
        for year in query.years(in: self) {
            for month in query.months {
                for day in 1...31 {
                    guard let date = CivilDate(year: year, month: month, day: day) else { continue }
                    possibleDays.insert(day)
                    for fire in fires(on: date, revision: revisions[date] ?? 0)
                    where drawnFilters.allSatisfy({ $0.value.contains(fire.value($0.key)) }) {
                        let r = fire.value(query.row), c = fire.value(query.column)
                        sums[r, default: [:]][c, default: 0] += query.metric == "2" ? fire.damage : 1
                        present[query.row, default: []].insert(r)
                        present[query.column, default: []].insert(c)
                    }
                }
            }
        }
        func axis(_ d: BRASKVocabulary.Dimension) -> [BRASKVocabulary.Option] {
            switch d {
            case .year: query.years(in: self).map { BRASKVocabulary.Option(value: String($0), label: String($0), weight: 1) }
            case .month: query.months.map { BRASKVocabulary.months[$0 - 1] }
            case .day: (1...31).map { BRASKVocabulary.Option(value: String($0), label: String($0), weight: 1) }
            default: BRASKVocabulary.drawn(d).filter { present[d]?.contains($0.value) == true }
            }
        }
        let rows = axis(query.row), columns = axis(query.column)
        func possible(_ d: BRASKVocabulary.Dimension, _ value: String) -> Bool { d != .day || possibleDays.contains(Int(value) ?? 0) }
        let cells: [[Int?]] = rows.map { r in
            columns.map { c in
                possible(query.row, r.value) && possible(query.column, c.value) ? sums[r.value]?[c.value] ?? 0 : nil
            }
        }
        let rowSums = cells.map { $0.reduce(0) { $0 + ($1 ?? 0) } }
        let columnSums = columns.indices.map { c in cells.reduce(0) { $0 + ($1[c] ?? 0) } }
        return BRASKTable(corner: query.row.label, rows: rows, columns: columns, cells: cells, rowSums: rowSums,
                          columnSums: columnSums, total: rowSums.reduce(0, +))
    }
}
