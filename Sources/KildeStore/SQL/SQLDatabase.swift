import KildeCore

/// One connection-like thing that runs parameterised statements: the seam both stores' shared SQL runs on.
///
/// Statements are written once with `?` placeholders; ``SQLDialect/postgres`` rewrites them to `$1…`.
protocol SQLDatabase: Sendable {
    var dialect: SQLDialect { get }
    /// Runs one statement and returns its rows.
    func rows(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow]
}

extension SQLDatabase {
    @discardableResult
    func execute(_ sql: String, _ binds: [SQLValue] = []) async throws -> [SQLRow] {
        try await rows(sql, binds)
    }

    @discardableResult
    func execute(_ b: SQLBuilder) async throws -> [SQLRow] {
        try await rows(b.sql, b.binds)
    }

    /// Runs `body` between `begin` and `COMMIT` on this connection; rolls back and rethrows when it throws.
    /// The caller owns the connection for the duration (a lease, or the embedded store's gate).
    func inTransaction<T>(begin: String = "BEGIN", _ body: () async throws -> T) async throws -> T {
        try await execute(begin)
        do {
            let result = try await body()
            try await execute("COMMIT")
            return result
        } catch {
            // A failed ROLLBACK means the connection is gone; its owner discards it.
            _ = try? await execute("ROLLBACK")
            throw error
        }
    }
}

/// A result row from either driver, by column name.
///
/// Stored as parallel arrays, not a dictionary: a read of a few hundred rows builds no hash table per row, and
/// looking up one of a handful of names by a linear scan is cheaper than hashing it.
struct SQLRow: Sendable {
    private let names: [String]
    private let cells: [SQLValue]

    /// `names` is shared by every row of one result.
    init(names: [String], cells: [SQLValue]) {
        self.names = names
        self.cells = cells
    }

    var values: [String: SQLValue] { Dictionary(zip(names, cells), uniquingKeysWith: { a, _ in a }) }

    func value(_ name: String) -> SQLValue? { column(name).map { cells[$0] } }

    /// The position of a column, for reads of many rows that look the same names up once.
    func column(_ name: String) -> Int? { names.firstIndex(of: name) }

    func int(_ name: String) -> Int? { column(name).flatMap(int(at:)) }
    func double(_ name: String) -> Double? { column(name).flatMap(double(at:)) }
    func string(_ name: String) -> String? { column(name).flatMap(string(at:)) }

    func int(at i: Int) -> Int? {
        switch cells[i] {
        case .int(let i): i
        case .double(let d): Int(exactly: d.rounded())
        case .text(let s): Int(s)
        default: nil
        }
    }

    func double(at i: Int) -> Double? {
        switch cells[i] {
        case .int(let i): Double(i)
        case .double(let d): d
        case .text(let s): Double(s)
        default: nil
        }
    }

    func string(at i: Int) -> String? {
        switch cells[i] {
        case .text(let s): s
        case .int(let i): String(i)
        case .double(let d): JSONNumber.format(d)
        default: nil
        }
    }
}

extension SQLDialect {
    /// Rewrites `?` placeholders (outside quotes) into `$1, $2, …` for PostgreSQL; SQLite keeps them.
    func placeholders(_ sql: String) -> String {
        guard self == .postgres else { return sql }
        var out = ""
        out.reserveCapacity(sql.count + 16)
        var n = 0
        var quoted = false
        for ch in sql {
            if ch == "'" { quoted.toggle() }
            if ch == "?" && !quoted {
                n += 1
                out += "$\(n)"
            } else {
                out.append(ch)
            }
        }
        return out
    }
}
