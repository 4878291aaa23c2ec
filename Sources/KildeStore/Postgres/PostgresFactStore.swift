import KildeCore
import Logging
import PostgresNIO

/// The production store: PostgreSQL 15+ behind a ``PostgresClient`` connection pool.
///
/// Behaves exactly like ``SQLiteFactStore``: both run the same SQL (written once over `SQLDatabase`), and one
/// behavioural test suite runs against both. What differs is spelled here: schemas and migrations, the bulk
/// write path (``Configuration/WriteMethod``), and a probe that answers a stable slice in one round trip.
/// Its connection pool works while ``run()`` runs (in a `ServiceGroup` or a ``ServiceScope``): a query before that
/// waits for it, and ``run()`` ends at graceful shutdown, closing the pool.
public final class PostgresFactStore: SQLFactStore {
    /// Knobs of the store beyond the URL.
    public struct Configuration: Sendable {
        /// How a slice's upserts reach `fact_yearly`.
        public enum WriteMethod: String, Sendable, CaseIterable {
            /// `COPY … FROM STDIN` into a temporary table, then one `INSERT … SELECT … ON CONFLICT`.
            case copy
            /// One `INSERT … SELECT FROM unnest($1, …) ON CONFLICT` with each column bound as an array.
            case unnest
        }

        /// Defaults to ``WriteMethod/unnest``. `Benchmarks/ingest-bench.sh` measured both: on 1,000,000 atoms in
        /// slices of 5,000 they load equally fast (within 1 %), and on small slices (200 atoms) `unnest` is a few
        /// percent faster, since it sends one statement where `copy` sends four (temporary table, COPY in and out,
        /// INSERT) and needs no temporary table per connection.
        public var writeMethod: WriteMethod = .unnest
        /// The defaults.
        public init() {}
    }

    /// The server and database, without the password.
    public let location: String
    public let statistics = StoreStatistics()
    let registryLabels = RegistryLabelCache()
    /// The knobs the store was opened with.
    public let configuration: Configuration
    let url: PostgresStoreURL
    let client: PostgresClient
    let logger: Logger

    /// Connects to the server at `url` (checking it answers and accepts the credentials) and makes the pool; ``run()``
    /// runs it.
    /// - Throws: ``StoreError`` `.connection` with one line naming the server (never the password) and the cause.
    public static func open(_ url: PostgresStoreURL, configuration: Configuration = .init(),
                            logger: Logger = Logger(label: "kilde.store.postgres")) async throws -> PostgresFactStore {
        let location = url.description
        let config: PostgresClient.Configuration
        do {
            config = try url.clientConfiguration()
        } catch {
            throw StoreError(.invalidLocation, "cannot set up TLS for \(location): \(error)")
        }
        // The pool retries failed connections quietly for a minute before failing a query; one direct
        // connection first turns a typo or a stopped server into an immediate, specific error.
        try await checkReachable(url, location: location, logger: logger)
        // The pool's background chatter (a connection attempt cut short by close(), say) is not the user's
        // concern; real failures reach the caller as errors of the queries they break.
        var background = logger
        background.logLevel = max(logger.logLevel, .error)
        let client = PostgresClient(configuration: config, backgroundLogger: background)
        return PostgresFactStore(url: url, configuration: configuration, client: client, logger: logger)
    }

    static func checkReachable(_ url: PostgresStoreURL, location: String, logger: Logger) async throws {
        do {
            let connection = try await Deadline.run(within: url.connectTimeout + .seconds(5),
                                                    timeout: StoreError(.connection, "PostgreSQL at \(location) did not answer within \(url.connectTimeout)")) {
                try await PostgresConnection.connect(configuration: try url.connectionConfiguration(), id: 0, logger: logger)
            }
            try? await connection.close()
        } catch {
            throw PostgresErrorMapping.storeError(error, location: location)
        }
    }

    init(url: PostgresStoreURL, configuration: Configuration, client: PostgresClient, logger: Logger) {
        self.url = url
        self.location = url.description
        self.configuration = configuration
        self.client = client
        self.logger = logger
    }

    /// Runs the connection pool until graceful shutdown or cancellation, then closes its connections.
    public func run() async {
        await client.run()
    }

    /// Nothing to release: the pool closes when ``run()`` ends.
    public func close() async throws {}

    /// The current snapshot (`xmin:xmax:in-progress xids`): it decides exactly which transactions a read sees, so
    /// it stays the same only while nothing commits (writes elsewhere in the cluster also change it).
    public func changeToken() async throws -> String {
        try await database.execute("SELECT pg_current_snapshot()::text AS snapshot").first?.string("snapshot") ?? ""
    }

    /// Statements outside a transaction, each on whichever pooled connection is free.
    /// Ingest, runs and migrations wait at most the URL's connect timeout for a connection: a server that stops
    /// mid-run fails the run within it.
    var database: any SQLDatabase { executor(.boundedPool(lease)) }

    /// Serving reads take pooled connections directly: the bounded lease costs two child tasks a statement
    /// (about a tenth of a small read's time, measured), and a read that waits only delays its own answer.
    var readDatabase: any SQLDatabase { executor(.pool(client)) }

    /// Pool leases that give up after the URL's connect timeout.
    var lease: BoundedLease { BoundedLease(client: client, limit: url.connectTimeout, location: location) }

    func executor(_ target: PostgresExecutor.Target) -> PostgresExecutor {
        PostgresExecutor(target: target, statistics: statistics, location: location, logger: logger)
    }

    /// Runs `body` on one leased connection.
    func withConnection<T: Sendable>(_ body: (PostgresExecutor) async throws -> T) async throws -> T {
        do {
            return try await lease.with { connection in try await body(self.executor(.connection(connection))) }
        } catch {
            throw PostgresErrorMapping.storeError(error, location: location)
        }
    }

    func transaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await withConnection { db in try await db.inTransaction { try await body(db) } }
    }

    func isUniqueViolation(_ error: any Error) -> Bool {
        (error as? StoreError)?.sqlState == "23505"
    }
}
