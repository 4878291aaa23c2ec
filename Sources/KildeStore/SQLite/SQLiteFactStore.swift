import Crypto
import Foundation
import KildeCore
import Logging
import NIOCore
import SQLiteNIO

/// The embedded store: one SQLite file, zero setup.
///
/// One connection, used by one statement or one transaction at a time (a ``SerialGate``), so a
/// transaction's statements never interleave with another task's. WAL mode lets other processes read
/// while this one writes. Must be closed with ``close()``.
public final class SQLiteFactStore: SQLFactStore {
    public let location: String
    public let statistics = StoreStatistics()
    let path: String
    let connection: SQLiteConnection
    let gate = SerialGate()
    let logger: Logger

    /// Opens (creating if needed) the SQLite file at `path`.
    /// - Throws: ``StoreError`` with code `.connection` when the file cannot be opened.
    public static func open(path: String, logger: Logger = Logger(label: "kilde.store.sqlite")) async throws -> SQLiteFactStore {
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty { try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        let conn: SQLiteConnection
        do {
            conn = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        } catch {
            throw StoreError(.connection, "cannot open SQLite store at \(path): \(error)")
        }
        do {
            try await configure(conn)
        } catch {
            try? await conn.close()
            throw StoreError(.connection, "cannot open SQLite store at \(path): \(error)")
        }
        return SQLiteFactStore(path: path, connection: conn, logger: logger)
    }

    /// Installs the `kilde_slice_hash` function and sets the connection's pragmas.
    static func configure(_ conn: SQLiteConnection) async throws {
        // `indirect` lets the schema (the generated `slice_hash` column) call it; trusted_schema allows that.
        try await conn.install(customFunction: SQLiteCustomFunction("kilde_slice_hash", argumentCount: 1, pure: true, indirect: true) { args in
            guard let text = args.first?.string else { return nil }
            return SHA256.hash(data: Array(text.utf8)).map { String(format: "%02x", $0) }.joined()
        })
        // busy_timeout first: switching to WAL needs a lock another process (a concurrent `kilde ingest`) may hold.
        for pragma in ["PRAGMA busy_timeout=10000", "PRAGMA trusted_schema=ON", "PRAGMA journal_mode=WAL", "PRAGMA foreign_keys=ON", "PRAGMA synchronous=NORMAL"] {
            _ = try await conn.query(pragma, [])
        }
    }

    init(path: String, connection: SQLiteConnection, logger: Logger) {
        self.path = path
        self.location = "sqlite:\(path)"
        self.connection = connection
        self.logger = logger
    }

    public func close() async throws {
        try await gate.run { [connection] in try await connection.close() }
    }

    /// Statements outside a transaction, one at a time through the gate.
    var database: any SQLDatabase { Executor(connection: connection, gate: gate) }

    func transaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let direct = Executor(connection: connection, gate: nil)
        return try await gate.run {
            try await direct.inTransaction(begin: "BEGIN IMMEDIATE") { try await body(direct) }
        }
    }

    /// Multi-row `VALUES` batches of 400 rows (4,000 binds, well under SQLite's variable limit).
    func upsert(_ rows: [Fact], metric: Metric, at: String, in db: any SQLDatabase) async throws {
        for start in stride(from: 0, to: rows.count, by: 400) {
            let batch = Array(rows[start..<min(start + 400, rows.count)])
            try await db.execute(upsertSQL(metric: metric, count: batch.count), try FactSQL.binds(batch, metric: metric, at: at))
        }
    }

    func upsertSQL(metric: Metric, count: Int) -> String {
        let m = metric.rawValue
        return """
            INSERT INTO fact_yearly (\(FactSQL.insertColumns(metric))) VALUES \(FactSQL.valuesList(count))
            ON CONFLICT \(SQLiteSchema.conflictTarget("fact_yearly")) DO UPDATE SET \(m) = excluded.\(m), ingested_at = excluded.ingested_at
            WHERE fact_yearly.\(m) IS NOT excluded.\(m)
            """
    }

    func isUniqueViolation(_ error: any Error) -> Bool {
        (error as? StoreError)?.code == .constraint && (error as? StoreError)?.message.contains("UNIQUE") == true
    }

    /// Runs one statement on the connection, through the gate unless already inside a transaction.
    struct Executor: SQLDatabase {
        let connection: SQLiteConnection
        let gate: SerialGate?
        var dialect: SQLDialect { .sqlite }

        func rows(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
            let data = binds.map(Self.sqliteData)
            let connection = self.connection
            let run: @Sendable () async throws -> [SQLiteRow] = {
                do {
                    return try await connection.query(sql, data)
                } catch let error as SQLiteError {
                    throw SQLiteFactStore.storeError(error)
                }
            }
            let result: [SQLiteRow]
            if let gate { result = try await gate.run(run) } else { result = try await run() }
            return result.map { row in
                var values: [String: SQLValue] = [:]
                for c in row.columns { values[c.name] = Self.value(c.data) }
                return SQLRow(values: values)
            }
        }

        static func sqliteData(_ v: SQLValue) -> SQLiteData {
            switch v {
            case .int(let i): .integer(i)
            case .double(let d): .float(d)
            case .text(let s): .text(s)
            case .intArray(let a): .text("[" + a.map(String.init).joined(separator: ",") + "]")
            case .null: .null
            }
        }

        static func value(_ d: SQLiteData) -> SQLValue {
            switch d {
            case .integer(let i): .int(i)
            case .float(let f): .double(f)
            case .text(let s): .text(s)
            case .blob(let b): .text(String(buffer: b))
            case .null: .null
            }
        }
    }

    static func storeError(_ e: SQLiteError) -> StoreError {
        let text = "\(e)"
        if text.contains("constraint") || text.contains("filter check") || text.contains("category check") {
            return StoreError(.constraint, "store rejected the row: \(e.message)")
        }
        return StoreError(.other, "SQLite: \(e.message)")
    }
}
