import Crypto
import Foundation
import KildeCore

/// A bind value independent of the driver.
enum SQLValue: Sendable, Hashable {
    case int(Int)
    case double(Double)
    case text(String)
    case intArray([Int])
    case null

    static func optional(_ v: Int?) -> SQLValue { v.map(SQLValue.int) ?? .null }
    static func optional(_ v: Double?) -> SQLValue { v.map(SQLValue.double) ?? .null }
    static func optional(_ v: String?) -> SQLValue { v.map(SQLValue.text) ?? .null }
}

/// The SQL spelling differences between the two stores.
enum SQLDialect: Sendable {
    case sqlite
    case postgres

    /// A placeholder for a 0/1 flag bound as `.int`: SQLite stores an integer, PostgreSQL a boolean
    /// (which has no implicit cast from an integer parameter).
    var flagPlaceholder: String { self == .postgres ? "?::int::boolean" : "?" }

    /// A placeholder for a civil date bound as `.text` (`YYYY-MM-DD`): SQLite stores the text, PostgreSQL a `date`
    /// (which a text parameter does not compare with).
    var datePlaceholder: String { self == .postgres ? "?::date" : "?" }

    /// `fact_daily.date` as `YYYY-MM-DD` text in a select list.
    func dateText(_ column: String) -> String { self == .postgres ? "to_char(\(column), 'YYYY-MM-DD')" : column }

    /// `filters.applicable_dim_codes`: comma text in SQLite (its trigger matches it with LIKE), `int[]` in PostgreSQL.
    func dimCodes(_ codes: [Int]) -> (placeholder: String, bind: SQLValue) {
        switch self {
        case .sqlite: ("?", .text(codes.map(String.init).joined(separator: ",")))
        case .postgres: ("?::int[]", .intArray(codes))
        }
    }
}

/// Builds one parameterised statement; placeholders follow the dialect (`?` or `$n`).
struct SQLBuilder {
    let dialect: SQLDialect
    private(set) var sql = ""
    private(set) var binds: [SQLValue] = []

    init(_ dialect: SQLDialect, _ sql: String = "") {
        self.dialect = dialect
        self.sql = sql
    }

    mutating func append(_ text: String) { sql += text }

    /// Appends a `?` placeholder bound to `value` (rewritten to `$n` for PostgreSQL when run).
    mutating func bind(_ value: SQLValue) -> String {
        binds.append(value)
        if dialect == .postgres, case .intArray = value { return "?::int[]" }
        return "?"
    }

    /// A placeholder bound to a 0/1 flag (``SQLDialect/flagPlaceholder``).
    mutating func flag(_ value: Bool) -> String {
        binds.append(.int(value ? 1 : 0))
        return dialect.flagPlaceholder
    }

    /// `column IN (ids)` with the whole list bound as one parameter.
    mutating func inList(_ column: String, _ ids: [Int]) -> String {
        switch dialect {
        // A short list as one bind per id: the planner then probes the index once per id, with no JSON to parse;
        // a long one as a JSON array, well under SQLite's limit on binds.
        case .sqlite where ids.count <= 64:
            return "\(column) IN (\(ids.map { bind(.int($0)) }.joined(separator: ", ")))"
        case .sqlite:
            return "\(column) IN (SELECT value FROM json_each(\(bind(.text("[" + ids.map(String.init).joined(separator: ",") + "]")))))"
        case .postgres:
            return "\(column) = ANY(\(bind(.intArray(ids))))"
        }
    }

    /// The WHERE conditions selecting a slice's keys (without the word WHERE), with a table alias prefix.
    mutating func keySet(_ keys: SliceKeySet, table: String, alias: String = "") -> String {
        let p = alias.isEmpty ? "" : alias + "."
        var conds = ["\(p)source_id = \(bind(.int(keys.sourceID)))", "\(p)dim_code = \(bind(.int(keys.dimCode)))"]
        for axis in FilterAxis.allCases {
            if let ids = keys.filters[axis] {
                conds.append(ids.count == 1 ? "\(p)\(axis.column) = \(bind(.int(ids[0])))" : inList(p + axis.column, ids))
            } else {
                conds.append("\(p)\(axis.column) IS NULL")
            }
        }
        if let years = keys.years { conds.append(yearBetween(table: table, prefix: p, years)) }
        return conds.joined(separator: " AND ")
    }

    /// The year of a fact row, for either fact table.
    func yearExpression(table: String, prefix: String = "") -> String {
        guard table == "fact_daily" else { return "\(prefix)year" }
        switch dialect {
        case .sqlite: return "CAST(substr(\(prefix)date, 1, 4) AS INTEGER)"
        case .postgres: return "EXTRACT(YEAR FROM \(prefix)date)::int"
        }
    }

    mutating func yearBetween(table: String, prefix: String, _ years: YearWindow) -> String {
        "\(yearExpression(table: table, prefix: prefix)) BETWEEN \(bind(.int(years.first))) AND \(bind(.int(years.last)))"
    }

    /// Conditions of a read query; omitted axes are NULL-as-ALL.
    mutating func factQuery(_ q: FactQuery, table: String, alias: String) -> String {
        let p = alias + "."
        var conds: [String] = []
        if let s = q.sourceID { conds.append("\(p)source_id = \(bind(.int(s)))") }
        if let d = q.dimCode { conds.append("\(p)dim_code = \(bind(.int(d)))") }
        if let cats = q.catCodes { conds.append(inList(p + "cat_code", cats)) }
        for axis in FilterAxis.allCases where !q.anyAxes.contains(axis) {
            if let ids = q.filters[axis] { conds.append(inList(p + axis.column, ids)) } else { conds.append("\(p)\(axis.column) IS NULL") }
        }
        if let years = q.years { conds.append(yearBetween(table: table, prefix: p, years)) }
        return conds.isEmpty ? "1=1" : conds.joined(separator: " AND ")
    }
}

extension Slice {
    /// The slice's key set in `extraction_state` and `source_totals`: its canonical JSON, or, for a slice listing so
    /// many filter values (every region code since 2013) that PostgreSQL could not index the text (a btree row holds
    /// at most 2,704 bytes), `sha256:` and the hex digest of it. The text itself is kept as the run's `slice_config`.
    var stateKey: String {
        let text = canonicalJSON
        return text.utf8.count <= Self.longestStateKey ? text : "sha256:" + sha256Hex(text)
    }

    /// The longest canonical JSON kept as it is in a state key.
    static let longestStateKey = 1024
}

/// The lowercase hex sha256 of a text's UTF-8 bytes.
func sha256Hex(_ text: String) -> String {
    SHA256.hash(data: Array(text.utf8)).map { String(format: "%02x", $0) }.joined()
}
