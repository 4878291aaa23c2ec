import Crypto
import Foundation
import KildeCore
import Logging
import NIOCore
import SQLiteNIO

/// The embedded store: one SQLite file, zero setup.
///
/// All access goes through this actor over one connection, so statements of a transaction never interleave
/// with another task's. WAL mode lets another process read while this one writes.
public actor SQLiteFactStore: FactStore {
    public nonisolated let location: String
    let path: String
    let connection: SQLiteConnection
    let logger: Logger
    /// Store calls made on the slice path (probe, existingFacts, commitSlice, recordFailure); each is one round trip.
    public private(set) var sliceRoundTrips = 0
    /// Fact rows inserted, updated or deleted by this store instance.
    public private(set) var rowsWritten = 0

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
        try await conn.install(customFunction: SQLiteCustomFunction("kilde_slice_hash", argumentCount: 1, pure: true, indirect: true) { args in
            guard let text = args.first?.string else { return nil }
            return SHA256.hash(data: Array(text.utf8)).map { String(format: "%02x", $0) }.joined()
        })
        // trusted_schema lets the generated `slice_hash` column call the app-defined hash function.
        for pragma in ["PRAGMA trusted_schema=ON", "PRAGMA journal_mode=WAL", "PRAGMA foreign_keys=ON", "PRAGMA busy_timeout=10000", "PRAGMA synchronous=NORMAL"] {
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
        try await connection.close()
    }

    // MARK: Statement helpers

    @discardableResult
    func execute(_ sql: String, _ binds: [SQLValue] = []) async throws -> [SQLiteRow] {
        do {
            return try await connection.query(sql, binds.map(Self.sqliteData))
        } catch let error as SQLiteError {
            throw Self.storeError(error)
        }
    }

    func execute(_ b: SQLBuilder) async throws -> [SQLiteRow] { try await execute(b.sql, b.binds) }

    static func sqliteData(_ v: SQLValue) -> SQLiteData {
        switch v {
        case .int(let i): .integer(i)
        case .double(let d): .float(d)
        case .text(let s): .text(s)
        case .intArray(let a): .text("[" + a.map(String.init).joined(separator: ",") + "]")
        case .null: .null
        }
    }

    static func storeError(_ e: SQLiteError) -> StoreError {
        let text = "\(e)"
        if text.contains("constraint") || text.contains("filter check") || text.contains("category check") {
            return StoreError(.constraint, "store rejected the row: \(e.message)")
        }
        return StoreError(.other, "SQLite: \(e.message)")
    }

    /// Runs `body` in one `BEGIN IMMEDIATE … COMMIT`; rolls back on any error.
    func transaction<T>(_ body: () async throws -> T) async throws -> T {
        try await execute("BEGIN IMMEDIATE")
        do {
            let result = try await body()
            try await execute("COMMIT")
            return result
        } catch {
            _ = try? await execute("ROLLBACK")
            throw error
        }
    }

    func noteRoundTrip() { sliceRoundTrips += 1 }
    func noteRowsWritten(_ n: Int) { rowsWritten += n }
}

extension SQLiteRow {
    func int(_ name: String) -> Int? { column(name)?.integer }
    func double(_ name: String) -> Double? {
        guard let c = column(name), !c.isNull else { return nil }
        return c.double
    }
    func string(_ name: String) -> String? {
        guard let c = column(name), !c.isNull else { return nil }
        return c.string
    }
}
