import Foundation
import KildeCore
import Logging
import ServiceLifecycle
import NIOCore
import NIOPosix
import SQLiteNIO

/// The embedded store: one SQLite file, zero setup.
///
/// One writer connection, used by one statement or one transaction at a time (a ``SerialGate``), so a
/// transaction's statements never interleave with another task's. WAL mode lets readers run while it writes:
/// the serving reads go to a few reader connections of their own, so concurrent API requests do not queue
/// behind each other or behind an ingest. SQLite's calls block a thread (a write waits up to the busy timeout for
/// another process's lock), so the store runs them on a thread pool of its own, one thread per connection: a
/// connection waiting never holds up another's statement, nor another store's in the same process. Must be closed
/// with ``close()``.
public final class SQLiteFactStore: SQLFactStore {
    public let location: String
    public let statistics = StoreStatistics()
    let registryLabels = RegistryLabelCache()
    let path: String
    let connection: SQLiteConnection
    let gate = SerialGate()
    /// Read-only connections for serving reads, each with its own gate, taken in turn.
    let readers: [Executor]
    private let nextReader = ReaderCursor()
    /// A read-only connection that only asks `PRAGMA data_version`, which changes when any other connection (in
    /// this process or another) commits; it never writes, so every commit shows.
    let watcher: Executor
    let logger: Logger
    /// The threads SQLite's blocking calls run on, one per connection; shut down by ``close()``.
    let threads: NIOThreadPool

    /// Reader connections opened beside the writer. Two cores run at most two statements at once; a third
    /// keeps one ready while the others convert rows.
    static let readerCount = 3

    /// Opens (creating if needed) the SQLite file at `path`.
    /// - Throws: ``StoreError`` with code `.connection` when the file cannot be opened.
    public static func open(path: String, logger: Logger = Logger(label: "kilde.store.sqlite")) async throws -> SQLiteFactStore {
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty { try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        let threads = NIOThreadPool(numberOfThreads: readerCount + 2)
        threads.start()
        func open() async throws -> SQLiteConnection {
            try await SQLiteConnection.open(storage: .file(path: path), threadPool: threads, logger: logger, on: MultiThreadedEventLoopGroup.singleton.any())
        }
        let conn: SQLiteConnection
        do {
            conn = try await open()
        } catch {
            try? await threads.shutdownGracefully()
            throw StoreError(.connection, "cannot open SQLite store at \(path): \(error)")
        }
        var readers: [Executor] = []
        do {
            try await configure(conn)
            for _ in 0...readerCount {
                let reader = try await open()
                readers.append(Executor(connection: reader, gate: SerialGate()))
                try await configure(reader)
                _ = try await reader.query("PRAGMA query_only=ON", [])
            }
        } catch {
            for r in readers { try? await r.connection.close() }
            try? await conn.close()
            try? await threads.shutdownGracefully()
            throw StoreError(.connection, "cannot open SQLite store at \(path): \(error)")
        }
        let watcher = readers.removeLast()
        return SQLiteFactStore(path: path, connection: conn, readers: readers, watcher: watcher, threads: threads, logger: logger)
    }

    /// Installs the `kilde_slice_hash` function and sets the connection's pragmas.
    static func configure(_ conn: SQLiteConnection) async throws {
        // `indirect` lets the schema (the generated `slice_hash` column) call it; trusted_schema allows that.
        try await conn.install(customFunction: SQLiteCustomFunction("kilde_slice_hash", argumentCount: 1, pure: true, indirect: true) { args in
            guard let text = args.first?.string else { return nil }
            return sha256Hex(text)
        })
        // busy_timeout first: switching to WAL needs a lock another process (a concurrent `kilde ingest`) may hold.
        for pragma in ["PRAGMA busy_timeout=10000", "PRAGMA trusted_schema=ON", "PRAGMA journal_mode=WAL", "PRAGMA foreign_keys=ON", "PRAGMA synchronous=NORMAL"] {
            try await retryingWhileBusy { _ = try await conn.query(pragma, []) }
        }
    }

    /// Runs `body` again while SQLite answers busy, for up to the busy timeout. Two processes opening a fresh store
    /// at once race to switch it to WAL, and SQLite reports the loser busy at once, without calling its busy handler
    /// (waiting could deadlock inside SQLite); here nothing is held yet, so waiting and trying again is safe.
    static func retryingWhileBusy<T>(for limit: Duration = .seconds(10), _ body: () async throws -> T) async throws -> T {
        let deadline = ContinuousClock.now + limit
        var pause = Duration.milliseconds(5)
        while true {
            do {
                return try await body()
            } catch where isBusy(error) && ContinuousClock.now < deadline {
                try await Task.sleep(for: pause)
                pause = min(pause * 2, .milliseconds(200))
            }
        }
    }

    /// Whether `error` is SQLite's busy or locked, raw or as a store error.
    static func isBusy(_ error: any Error) -> Bool {
        if let e = error as? StoreError { return e.code == .busy }
        guard let e = error as? SQLiteError else { return false }
        return [.busy, .busyInRecovery, .busyTimeout, .locked].contains(e.reason)
    }

    init(path: String, connection: SQLiteConnection, readers: [Executor], watcher: Executor, threads: NIOThreadPool, logger: Logger) {
        self.path = path
        self.threads = threads
        self.location = "sqlite:\(path)"
        self.connection = connection
        self.readers = readers
        self.watcher = watcher
        self.logger = logger
    }

    /// An embedded store has no background work: it waits for graceful shutdown (or cancellation) and returns.
    public func run() async throws {
        try? await gracefulShutdown()
    }

    /// Closes every connection (each after the statement it is running), then the store's threads. The first
    /// error is thrown after all of them are closed: a connection left open is a crash when it is freed.
    public func close() async throws {
        var first: (any Error)?
        for r in readers + [watcher] {
            do { try await r.gate?.run { [connection = r.connection] in try await connection.close() } } catch { first = first ?? error }
        }
        do { try await gate.run { [connection] in try await connection.close() } } catch { first = first ?? error }
        do { try await threads.shutdownGracefully() } catch { first = first ?? error }
        if let first { throw first }
    }

    public func changeToken() async throws -> String {
        let version = try await watcher.execute("PRAGMA data_version").first?.int("data_version")
        return String(version ?? 0)
    }

    /// Serving reads: the next reader connection (the writer when there are none).
    var readDatabase: any SQLDatabase {
        readers.isEmpty ? database : readers[nextReader.next() % readers.count]
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
    func upsert(_ rows: [Fact], metric: Metric, table: FactTable, at: String, in db: any SQLDatabase) async throws {
        for start in stride(from: 0, to: rows.count, by: 400) {
            let batch = Array(rows[start..<min(start + 400, rows.count)])
            try await db.execute(upsertSQL(metric: metric, table: table, count: batch.count), try FactSQL.binds(batch, metric: metric, table: table, at: at))
        }
    }

    func upsertSQL(metric: Metric, table: FactTable, count: Int) -> String {
        let m = metric.rawValue
        let t = table.rawValue
        return """
            INSERT INTO \(t) (\(FactSQL.insertColumns(metric, table: table))) VALUES \(FactSQL.valuesList(count, dialect: .sqlite, table: table))
            ON CONFLICT \(SQLiteSchema.conflictTarget(t)) DO UPDATE SET \(m) = excluded.\(m), ingested_at = excluded.ingested_at
            WHERE \(t).\(m) IS NOT excluded.\(m)
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
            let run: @Sendable () async throws -> [SQLRow] = {
                let collector = RowCollector()
                do {
                    // The connection's own row-callback query converts each row on the thread that steps the
                    // statement; sqlite-nio's array-returning wrapper costs an event-loop hop per row instead.
                    try await connection.query(sql, data) { row in collector.append(row) }
                } catch let error as SQLiteError {
                    throw SQLiteFactStore.storeError(error)
                }
                return collector.rows
            }
            if let gate { return try await gate.run(run) }
            return try await run()
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

    /// Hands out reader indices in turn.
    final class ReaderCursor: @unchecked Sendable {
        private let lock = NSLock()
        private var n = 0
        func next() -> Int { lock.withLock { n &+= 1; return n & Int.max } }
    }

    /// Collects one statement's rows; sqlite-nio calls `append` sequentially from the one thread stepping the statement.
    final class RowCollector: @unchecked Sendable {
        private var names: [String]?
        private var cells: [SQLValue] = []

        func append(_ row: SQLiteRow) {
            let columns = row.columns
            if names == nil { names = columns.map(\.name) }
            for column in columns { cells.append(Executor.value(column.data)) }
        }

        var rows: [SQLRow] { SQLRow.rows(names: names ?? [], cells: cells) }
    }

    static func storeError(_ e: SQLiteError) -> StoreError {
        if isBusy(e) { return StoreError(.busy, "SQLite: \(e.message)") }
        let text = "\(e)"
        if text.contains("constraint") || text.contains("filter check") || text.contains("category check") {
            return StoreError(.constraint, "store rejected the row: \(e.message)")
        }
        return StoreError(.other, "SQLite: \(e.message)")
    }
}
