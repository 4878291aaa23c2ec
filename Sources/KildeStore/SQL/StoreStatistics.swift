import Foundation

/// Counters a store keeps about its own work, for tests and benchmarks.
public final class StoreStatistics: @unchecked Sendable {
    private let lock = NSLock()
    private var roundTrips = 0
    private var written = 0
    private var server = 0

    public init() {}

    /// Store calls made on the slice path (probe, existingFacts, commitSlice, recordFailure); each is one round trip.
    public var sliceRoundTrips: Int { lock.withLock { roundTrips } }
    /// Fact rows inserted, updated, cleared or deleted.
    public var rowsWritten: Int { lock.withLock { written } }
    /// Requests sent to a database server and awaited, counted by the driver seam: one per statement
    /// (`BEGIN` and `COMMIT` included), two per `COPY … FROM STDIN`. Always 0 for the embedded store,
    /// which has no server to talk to.
    public var serverRoundTrips: Int { lock.withLock { server } }

    func noteRoundTrip() { lock.withLock { roundTrips += 1 } }
    func noteRowsWritten(_ n: Int) { lock.withLock { written += n } }
    func noteServerRoundTrips(_ n: Int = 1) { lock.withLock { server += n } }
}
