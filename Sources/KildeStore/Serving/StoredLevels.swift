import KildeCore

/// A question for a comparison across sources: at which levels does the store hold a selection? An axis a source
/// has a NULL-as-ALL total for is best read as that total; an axis it only holds values for (no total row) is read
/// as the sum of its values. Which one applies is a property of the stored atoms, asked here.
public struct StoredLevelsQuery: Sendable, Hashable {
    public var sourceID: Int
    public var dimCode: Int
    /// Only these categories; `nil` for every category.
    public var catCodes: [Int]?
    /// The axes the selection fixes, each to any of its ids; every other axis is open (NULL or any value).
    public var filters: [FilterAxis: [Int]]
    public var years: YearWindow?
    public var table: FactTable

    public init(sourceID: Int, dimCode: Int, catCodes: [Int]? = nil, filters: [FilterAxis: [Int]] = [:], years: YearWindow? = nil,
                table: FactTable = .yearly) {
        self.sourceID = sourceID
        self.dimCode = dimCode
        self.catCodes = catCodes
        self.filters = filters
        self.years = years
        self.table = table
    }
}

/// One level the store holds a selection at: the open axes that are NULL (NULL-as-ALL) in some of its atoms,
/// the others holding values. The atoms of one level never include a total and its parts together.
public struct StoredLevel: Sendable, Hashable {
    /// The open axes that are NULL at this level.
    public var nullAxes: Set<FilterAxis>

    public init(nullAxes: Set<FilterAxis>) { self.nullAxes = nullAxes }

    /// The coarsest of `levels`: the most NULL-as-ALL axes; among equals, NULL on the earlier axis
    /// (``FilterAxis/allCases`` order). `nil` when there is none.
    public static func coarsest(_ levels: [StoredLevel]) -> StoredLevel? {
        levels.max { a, b in
            if a.nullAxes.count != b.nullAxes.count { return a.nullAxes.count < b.nullAxes.count }
            // Equal counts: `a` ranks below `b` when `b` is NULL on an earlier axis.
            let ra = FilterAxis.allCases.map { a.nullAxes.contains($0) ? 0 : 1 }, rb = FilterAxis.allCases.map { b.nullAxes.contains($0) ? 0 : 1 }
            return rb.lexicographicallyPrecedes(ra)
        }
    }
}

extension SQLDatabase {
    /// The distinct levels (which open axes are NULL) among the atoms of `q`. One statement.
    func storedLevels(_ q: StoredLevelsQuery) async throws -> [StoredLevel] {
        let table = q.table.rawValue
        var b = SQLBuilder(dialect)
        var conds = ["source_id = \(b.bind(.int(q.sourceID)))", "dim_code = \(b.bind(.int(q.dimCode)))"]
        if let cats = q.catCodes { conds.append(b.inList("cat_code", cats)) }
        for (axis, ids) in q.filters.sorted(by: { $0.key < $1.key }) { conds.append(b.inList(axis.column, ids)) }
        if let years = q.years { conds.append(b.yearBetween(table: table, prefix: "", years)) }
        let open = FilterAxis.allCases.filter { q.filters[$0] == nil }
        guard !open.isEmpty else {
            b.append("SELECT 1 AS present FROM \(table) WHERE \(conds.joined(separator: " AND ")) LIMIT 1")
            return try await execute(b).isEmpty ? [] : [StoredLevel(nullAxes: [])]
        }
        let flags = open.map { "CASE WHEN \($0.column) IS NULL THEN 1 ELSE 0 END AS \($0.column)" }
        b.append("SELECT DISTINCT \(flags.joined(separator: ", ")) FROM \(table) WHERE \(conds.joined(separator: " AND "))")
        return try await execute(b).map { row in StoredLevel(nullAxes: Set(open.filter { row.int($0.column) == 1 })) }
    }
}
