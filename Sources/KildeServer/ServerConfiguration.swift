/// How `kilde serve` listens and who may do what.
public struct ServerConfiguration: Sendable {
    /// Defaults to `127.0.0.1`: the explorer is local unless asked otherwise.
    public var host = "127.0.0.1"
    /// Defaults to `8080`.
    public var port = 8080
    /// The key `POST /v1/admin/ingest` requires in `x-ingest-key`. `nil` disables the endpoint (404) and the
    /// explorer's "ingest this slice" offer.
    public var ingestKey: String?
    /// The explorer's "fetch this slice" offer (`POST /explore/ingest`), which also needs ``ingestKey``: the server
    /// signs each page's offer with it. `nil` (the default) disables the offer (404).
    public var exploreIngest: ExploreIngestPolicy?
    /// Origins allowed by CORS; `*` allows any. Defaults to `["*"]`: the read API is public. Routes that write
    /// (`POST`) answer CORS only to origins listed by name, never to `*`.
    public var corsOrigins: [String] = ["*"]
    /// Memory for kept answers of `/v1/facts` (valid until the store changes); 0 computes every answer.
    public var responseCacheBytes = ServerConfiguration.defaultResponseCacheBytes

    /// How long a connection may stay without a request in progress, before its first request's head is complete and
    /// between requests: a client that sends its headers a byte at a time is closed after it. Defaults to 30 s.
    public var idleTimeout: Duration = .seconds(30)
    /// Connections served at once; more wait to be accepted. Defaults to 512.
    public var maxConnections = 512
    /// Bytes the request line (with its query string) and the header fields may take together; a request over it is
    /// answered 431 with a problem naming this limit. Defaults to 32 KiB: the longest explore URL is a few KiB.
    public var maxHeaderBytes = 32 << 10

    /// 64 MiB: a few thousand typical explore answers.
    public static let defaultResponseCacheBytes = 64 << 20

    public init() {}
}
