/// How far the explorer's "fetch this slice" offer reaches, when the operator enables it (`kilde serve
/// --explore-ingest`). Every write path is guarded; this one is guarded by a token the server signs with its ingest
/// key for the slice a page shows, by the page's own origin, by a per-client rate and by an upstream budget.
public struct ExploreIngestPolicy: Sendable, Hashable {
    /// Ingests one client (by IP address) may start per ``clientWindow``. Defaults to `6`.
    public var perClient: Int = 6
    /// Defaults to one hour.
    public var clientWindow: Duration = .seconds(3600)
    /// Upstream requests all the explorer's ingests together may make per hour, retries included. Defaults to `120`
    /// (four minutes of SSB's 30 a minute).
    public var upstreamRequestsPerHour: Int = 120
    /// How long a page's offer stays valid. Defaults to one hour.
    public var tokenLifetime: Duration = .seconds(3600)

    public init() {}
}
