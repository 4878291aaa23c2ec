import PostgresNIO

/// Leases pool connections, waiting at most a bound for one.
///
/// When the server goes away the pool keeps trying to connect for a minute before it fails the queries waiting for
/// a connection (`connectionCreationCircuitBreakerTripped`); a run must instead fail within the connect timeout,
/// with one line naming the server. The lease is cancelled when the bound passes: the pool drops the request.
struct BoundedLease: Sendable {
    let client: PostgresClient
    /// How long a statement may wait for a connection: the URL's connect timeout.
    let limit: Duration
    let location: String

    /// Runs `body` on a leased connection, in this task; the lease waits in a child task, so that it can be
    /// cancelled at the bound without cancelling `body`.
    /// - Throws: ``StoreError`` `.connection` naming the server when no connection came within ``limit``;
    ///   whatever `body` throws.
    func with<T>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let (handoff, give) = AsyncThrowingStream.makeStream(of: PostgresConnection.self)
        let (done, finish) = AsyncStream.makeStream(of: Never.self)
        let timeout = StoreError(.connection, "cannot reach PostgreSQL at \(location): no connection within \(limit) (the server is down or does not answer)")
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { [client] in
                do {
                    try await client.withConnection { connection in
                        give.yield(connection)
                        // Held until `body` is done: the lease ends when this closure returns.
                        for await _ in done {}
                    }
                } catch {
                    give.finish(throwing: error)
                }
            }
            group.addTask { [limit] in
                // Cancelled once `body` is done; a connection already handed over makes the timeout a no-op.
                do {
                    try await Task.sleep(for: limit)
                    give.finish(throwing: timeout)
                } catch {}
            }
            defer {
                finish.finish()
                group.cancelAll()
            }
            var connections = handoff.makeAsyncIterator()
            guard let connection = try await connections.next() else { throw CancellationError() }
            return try await body(connection)
        }
    }
}
