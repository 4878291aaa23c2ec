import Logging
import PostgresNIO

/// Runs statements on PostgreSQL for the shared SQL: through the pool (each statement on whichever connection
/// is free) or on one leased connection (inside a transaction, or while holding a session lock).
///
/// Every request sent is counted in ``StoreStatistics/serverRoundTrips``, and every driver error leaves as a
/// ``StoreError``.
struct PostgresExecutor: SQLDatabase {
    enum Target: Sendable {
        /// Each statement on a free pooled connection, the wait for it unbounded (the pool's own minute).
        case pool(PostgresClient)
        /// The same, but failing when no connection comes within the lease's bound.
        case boundedPool(BoundedLease)
        case connection(PostgresConnection)
    }

    let target: Target
    let statistics: StoreStatistics
    let location: String
    let logger: Logger

    var dialect: SQLDialect { .postgres }

    func rows(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        try await rows(query(sql, binds))
    }

    /// The driver's query for shared SQL: `?` placeholders rewritten to `$n`, each value bound.
    private func query(_ sql: String, _ binds: [SQLValue]) -> PostgresQuery {
        var bindings = PostgresBindings(capacity: binds.count)
        for b in binds { bindings.append(b) }
        return PostgresQuery(unsafeSQL: dialect.placeholders(sql), binds: bindings)
    }

    /// Runs one statement, written in PostgreSQL's own `$n` spelling, and collects its rows.
    func rows(_ query: PostgresQuery) async throws -> [SQLRow] {
        try await mapped {
            let rows = try await postgresRows(query)
            // Column names once per result, not a dictionary per row.
            guard let first = rows.first else { return [] }
            let names = first.map(\.columnName)
            var cells: [SQLValue] = []
            cells.reserveCapacity(rows.count * names.count)
            for row in rows { try row.appendCells(to: &cells) }
            return SQLRow.rows(names: names, cells: cells)
        }
    }

    /// Ships the rows as one row of arrays, one array per column (`array_agg`), and unpacks them: the driver's cost
    /// is per row it receives, and for a few hundred rows it is most of a read's. Order across rows is not kept.
    func manyRows(_ b: SQLBuilder, columns: [String]) async throws -> [SQLRow] {
        let aggregates = columns.map { "array_agg(s.\($0)) AS \($0)" }.joined(separator: ", ")
        let wrapped = query("SELECT \(aggregates) FROM (\(b.sql)) s", b.binds)
        // postgresRows maps driver errors; the readers throw StoreErrors of their own.
        guard let row = try await postgresRows(wrapped).first else { return [] }
        let readers = try row.map { try $0.arrayReader() }
        let count = readers.first?.count ?? 0
        guard readers.count == columns.count, readers.allSatisfy({ $0.count == count }) else {
            throw StoreError(.other, "PostgreSQL returned arrays of lengths \(readers.map(\.count)) for columns \(columns)")
        }
        // Column by column, straight into one row-major cell array.
        var cells = [SQLValue](repeating: .null, count: count * columns.count)
        for (c, var reader) in readers.enumerated() {
            for r in 0..<count { cells[r * columns.count + c] = try reader.next() }
        }
        return SQLRow.rows(names: columns, cells: cells)
    }

    /// Runs one statement and returns the driver's rows, for callers that decode typed columns themselves.
    func postgresRows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await mapped {
            statistics.noteServerRoundTrips()
            // The future-based query collects the rows on the connection's event loop and resumes this task once;
            // the async row sequence resumes it per batch of rows (measured: ~35 µs less CPU per statement).
            switch target {
            case .pool(let client):
                return try await client.withConnection { connection in try await connection.query(query, logger: logger).get().rows }
            case .boundedPool(let lease):
                return try await lease.with { connection in try await connection.query(query, logger: logger).get().rows }
            case .connection(let connection):
                return try await connection.query(query, logger: logger).get().rows
            }
        }
    }

    /// Streams rows into `COPY table (columns) FROM STDIN` (text format) on this executor's connection.
    func copy(into table: String, columns: [String], chunks: [ByteBuffer]) async throws {
        guard case .connection(let connection) = target else {
            throw StoreError(.other, "COPY needs a leased connection (a transaction), not the pool")
        }
        try await mapped {
            // One request to enter copy mode, one to finish it.
            statistics.noteServerRoundTrips(2)
            try await connection.copyFrom(table: table, columns: columns, logger: logger) { writer in
                for chunk in chunks { try await writer.write(chunk) }
            }
        }
    }

    /// Runs `body`, turning driver errors into ``StoreError``s.
    func mapped<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw PostgresErrorMapping.storeError(error, location: location)
        }
    }
}
