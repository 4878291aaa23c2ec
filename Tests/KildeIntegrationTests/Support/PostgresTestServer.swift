import Foundation
import Logging
@testable import KildeStore
import PostgresNIO

/// The PostgreSQL server the tests may use: `KILDE_TEST_POSTGRES_URL`, an administrative URL (a user allowed
/// to create databases). Each test gets its own fresh database, dropped afterwards.
enum PostgresTestServer {
    static var url: PostgresStoreURL? {
        guard let text = ProcessInfo.processInfo.environment["KILDE_TEST_POSTGRES_URL"], !text.isEmpty else { return nil }
        return try? PostgresStoreURL(parsing: text)
    }

    static func administrativeURL() throws -> PostgresStoreURL {
        guard let text = ProcessInfo.processInfo.environment["KILDE_TEST_POSTGRES_URL"], !text.isEmpty else {
            throw TestFailure("KILDE_TEST_POSTGRES_URL is not set")
        }
        return try PostgresStoreURL(parsing: text)
    }

    /// Creates `kilde_test_<uuid>` and returns its URL.
    static func createDatabase() async throws -> PostgresStoreURL {
        let admin = try administrativeURL()
        let name = "kilde_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await run(on: admin, "CREATE DATABASE \(name)")
        return admin.with(database: name)
    }

    /// Drops a test database, closing any connection a killed child process left behind.
    static func dropDatabase(_ url: PostgresStoreURL) async {
        guard let admin = try? administrativeURL() else { return }
        try? await run(on: admin, "DROP DATABASE IF EXISTS \(url.database) WITH (FORCE)")
    }

    /// Runs one statement on a direct connection to `url`.
    static func run(on url: PostgresStoreURL, _ sql: String) async throws {
        let connection = try await PostgresConnection.connect(configuration: try url.connectionConfiguration(), id: 1,
                                                              logger: Logger(label: "kilde.test.postgres"))
        do {
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: Logger(label: "kilde.test.postgres"))
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }
}
