/// Rate limits per upstream, e.g. SSB's 30 requests per minute per IP: at most that many requests to one upstream in
/// any 60 seconds (a ``SlidingWindow``). A token bucket of the same rate would let up to twice as many through in the
/// first minute (a full bucket, then its refill), which an upstream counting a window answers with 429.
///
/// An upstream is named by a URL prefix — a source's base URL, e.g. `https://data.ssb.no` or, behind the simulator,
/// `http://127.0.0.1:8089/brask` — and a request counts against the longest prefix it starts with, so sources that
/// share a host (every source of `kilde sim`) keep their own limits. A request under no prefix counts against its
/// host, at the default rate.
public actor RateLimiter {
    private var windows: [String: SlidingWindow] = [:]
    /// Longest prefix first.
    private let limits: [(prefix: String, perMinute: Int)]
    private let defaultPerMinute: Int
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant

    /// - Parameters:
    ///   - limits: requests per minute by URL prefix (a base URL, or a bare host name for every URL on it).
    ///   - defaultPerMinute: for requests under no prefix. Defaults to 600.
    public init(limits: [String: Int], defaultPerMinute: Int = 600) {
        self.limits = limits.map { (Self.normalized($0.key), $0.value) }.sorted { $0.prefix.count > $1.prefix.count }
        self.defaultPerMinute = defaultPerMinute
        self.start = clock.now
    }

    /// Waits until a request to `url` (on `host`) is allowed, and counts it.
    public func acquire(url: String, host: String) async throws {
        let (key, perMinute) = limit(url: url, host: host)
        while true {
            let now = clock.now - start
            var window = windows[key] ?? SlidingWindow(limit: max(1, perMinute), window: .seconds(60))
            let wait = window.record(now: now)
            windows[key] = window
            guard let wait else { return }
            try await Task.sleep(for: wait)
        }
    }

    /// The window a request counts against and its rate.
    func limit(url: String, host: String) -> (key: String, perMinute: Int) {
        let bare = Self.normalized(url)
        for l in limits where Self.isUnder(bare, l.prefix) || l.prefix == host { return (l.prefix, l.perMinute) }
        return (host, defaultPerMinute)
    }

    /// A URL without its scheme and trailing slash, so `https://host/` and `host` name the same upstream.
    static func normalized(_ url: String) -> String {
        var s = Substring(url)
        if let r = s.range(of: "://") { s = s[r.upperBound...] }
        while s.hasSuffix("/") { s = s.dropLast() }
        return String(s)
    }

    /// Whether `url` is `prefix` or lies below it (`host:8089/brask` is not under `host:80`).
    static func isUnder(_ url: String, _ prefix: String) -> Bool {
        guard url.hasPrefix(prefix) else { return false }
        let rest = url.dropFirst(prefix.count)
        return rest.isEmpty || rest.first == "/" || rest.first == "?"
    }
}
