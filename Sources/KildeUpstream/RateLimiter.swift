/// Per-host rate limits, e.g. SSB's 30 requests per minute per IP: at most that many requests to a host in any
/// 60 seconds (a ``SlidingWindow``). A token bucket of the same rate would let up to twice as many through in the
/// first minute (a full bucket, then its refill), which an upstream counting a window answers with 429.
public actor RateLimiter {
    private var windows: [String: SlidingWindow] = [:]
    private let limits: [String: Int]
    private let defaultPerMinute: Int
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant

    /// - Parameters:
    ///   - limits: requests per minute by host name.
    ///   - defaultPerMinute: for hosts not listed. Defaults to 600.
    public init(limits: [String: Int], defaultPerMinute: Int = 600) {
        self.limits = limits
        self.defaultPerMinute = defaultPerMinute
        self.start = clock.now
    }

    /// Waits until a request to `host` is allowed, and counts it.
    public func acquire(host: String) async throws {
        while true {
            let now = clock.now - start
            var window = windows[host] ?? SlidingWindow(limit: max(1, limits[host] ?? defaultPerMinute), window: .seconds(60))
            let wait = window.record(now: now)
            windows[host] = window
            guard let wait else { return }
            try await Task.sleep(for: wait)
        }
    }
}
