import KildeCore

/// One connection-like thing that runs parameterised statements: the seam both stores' shared SQL runs on.
///
/// Statements are written once with `?` placeholders; ``SQLDialect/postgres`` rewrites them to `$1…`.
protocol SQLDatabase: Sendable {
    var dialect: SQLDialect { get }
    /// Runs one statement and returns its rows.
    func rows(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow]
    /// Runs one statement whose result has `columns`, for reads of many rows: the same rows as ``rows(_:_:)``,
    /// in an order that may differ, shipped however the store ships many rows cheapest.
    func manyRows(_ b: SQLBuilder, columns: [String]) async throws -> [SQLRow]
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

    func manyRows(_ b: SQLBuilder, columns: [String]) async throws -> [SQLRow] {
        try await execute(b)
    }

    /// Inserts `items` 100 rows per statement, each statement ending in `upsert` (an `ON CONFLICT` clause, or
    /// nothing); `values` binds one item's columns, in the order `into` names them.
    func insertChunked<T>(_ items: [T], into: String, upsert: String = "", _ values: (inout SQLBuilder, T) -> [String]) async throws {
        for start in stride(from: 0, to: items.count, by: 100) {
            var b = SQLBuilder(dialect, "INSERT INTO \(into) VALUES ")
            let rows = items[start..<min(start + 100, items.count)].map { "(" + values(&b, $0).joined(separator: ", ") + ")" }
            b.append(rows.joined(separator: ", "))
            if !upsert.isEmpty { b.append(" " + upsert) }
            try await execute(b)
        }
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
            // A failed ROLLBACK means the connection is gone; its owner discards it. It runs in a task of its own, which
            // a cancelled caller's cancellation does not reach: the connection must not stay inside the transaction.
            let database = self
            _ = await Task { try? await database.execute("ROLLBACK") }.value
            throw error
        }
    }
}

/// A result row from either driver, by column name.
///
/// A row is a view into its result's cells, which sit in one array, row after row: a read of a few hundred rows
/// allocates once for its cells, not once per row, and builds no hash table per row (looking up one of a handful of
/// names by a linear scan is cheaper than hashing it).
struct SQLRow: Sendable {
    /// One result's column names and cells, shared by its rows.
    final class Result: Sendable {
        let names: [String]
        let cells: [SQLValue]

        init(names: [String], cells: [SQLValue]) {
            self.names = names
            self.cells = cells
        }
    }

    private let result: Result
    private let offset: Int

    /// The rows of a result whose `cells` hold `names.count` values per row, row after row.
    static func rows(names: [String], cells: [SQLValue]) -> [SQLRow] {
        guard !names.isEmpty else { return [] }
        let result = Result(names: names, cells: cells)
        return stride(from: 0, to: cells.count, by: names.count).map { SQLRow(result: result, offset: $0) }
    }

    private init(result: Result, offset: Int) {
        self.result = result
        self.offset = offset
    }

    private var names: [String] { result.names }

    var values: [String: SQLValue] {
        Dictionary(zip(names, result.cells[offset..<offset + names.count]), uniquingKeysWith: { a, _ in a })
    }

    func value(_ name: String) -> SQLValue? { column(name).map { result.cells[offset + $0] } }

    /// The position of a column, for reads of many rows that look the same names up once.
    func column(_ name: String) -> Int? { names.firstIndex(of: name) }

    func int(_ name: String) -> Int? { column(name).flatMap(int(at:)) }
    func double(_ name: String) -> Double? { column(name).flatMap(double(at:)) }
    func string(_ name: String) -> String? { column(name).flatMap(string(at:)) }

    func int(at i: Int) -> Int? {
        switch result.cells[offset + i] {
        case .int(let i): i
        case .double(let d): Int(exactly: d.rounded())
        case .text(let s): Int(s)
        default: nil
        }
    }

    func double(at i: Int) -> Double? {
        switch result.cells[offset + i] {
        case .int(let i): Double(i)
        case .double(let d): d
        case .text(let s): Double(s)
        default: nil
        }
    }

    func string(at i: Int) -> String? {
        switch result.cells[offset + i] {
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
        // Over UTF-8 bytes: `?` and `'` are ASCII and never part of a multi-byte character.
        var out: [UInt8] = []
        out.reserveCapacity(sql.utf8.count + 16)
        var n = 0
        var quoted = false
        for byte in sql.utf8 {
            if byte == UInt8(ascii: "'") { quoted.toggle() }
            if byte == UInt8(ascii: "?") && !quoted {
                n += 1
                out.append(UInt8(ascii: "$"))
                out.append(contentsOf: String(n).utf8)
            } else {
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
