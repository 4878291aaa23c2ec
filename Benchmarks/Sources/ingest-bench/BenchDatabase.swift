import Foundation
import KildeStore
import Logging
import PostgresNIO

/// A scratch database on the benchmark server, and a direct connection to it for the raw COPY and checks.
struct BenchDatabase {
    let url: PostgresStoreURL
    let connection: PostgresConnection
    static let logger = Logger(label: "ingest-bench")

    /// Creates `name` (dropping a leftover of the same name) and connects to it.
    static func create(_ name: String, admin: PostgresStoreURL) async throws -> BenchDatabase {
        try await withConnection(admin) { c in
            try await c.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"), logger: logger)
            try await c.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
        }
        let url = admin.with(database: name)
        return BenchDatabase(url: url, connection: try await connect(url))
    }

    static func drop(_ name: String, admin: PostgresStoreURL) async throws {
        try await withConnection(admin) { c in
            try await c.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"), logger: logger)
        }
    }

    static func connect(_ url: PostgresStoreURL) async throws -> PostgresConnection {
        var config = PostgresConnection.Configuration(host: url.host, port: url.port, username: url.username, password: url.password,
                                                      database: url.database, tls: .disable)
        config.options.additionalStartupParameters = [("search_path", "ingest, facts, registry, marts, public")]
        return try await PostgresConnection.connect(configuration: config, id: 1, logger: logger)
    }

    static func withConnection(_ url: PostgresStoreURL, _ body: (PostgresConnection) async throws -> Void) async throws {
        let c = try await connect(url)
        do {
            try await body(c)
            try await c.close()
        } catch {
            try? await c.close()
            throw error
        }
    }

    func close() async throws {
        try await connection.close()
    }

    func execute(_ sql: String) async throws {
        try await connection.query(PostgresQuery(unsafeSQL: sql), logger: Self.logger)
    }

    /// The first column of the first row, as text.
    func scalar(_ sql: String) async throws -> String {
        for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: Self.logger) {
            return try row.decode(String.self)
        }
        throw BenchError("no row from \(sql)")
    }

    /// Writes dirty pages out before a timed phase, so one phase does not pay for the previous one's checkpoint.
    func settle() async throws {
        try await execute("CHECKPOINT")
    }
}
