/// A token bucket: `capacity` requests at once, refilled at `perMinute / 60` tokens per second.
///
/// Pure state; ``RateLimiter`` owns one per host and does the waiting.
public struct TokenBucket: Sendable, Hashable {
    public let capacity: Double
    public let perSecond: Double
    public private(set) var tokens: Double
    public private(set) var last: Duration

    public init(perMinute: Int, capacity: Int? = nil, now: Duration) {
        self.capacity = Double(max(1, capacity ?? perMinute))
        self.perSecond = Double(max(1, perMinute)) / 60
        self.tokens = self.capacity
        self.last = now
    }

    /// Takes a token if one is available at `now`; otherwise returns how long to wait for one.
    public mutating func take(now: Duration) -> Duration? {
        let elapsed = Double((now - last).components.seconds) + Double((now - last).components.attoseconds) / 1e18
        tokens = min(capacity, tokens + max(0, elapsed) * perSecond)
        last = now
        if tokens >= 1 {
            tokens -= 1
            return nil
        }
        return .milliseconds(Int64(((1 - tokens) / perSecond * 1000).rounded(.up)))
    }
}

/// Per-host rate limits, e.g. SSB's 30 requests per minute per IP.
public actor RateLimiter {
    private var buckets: [String: TokenBucket] = [:]
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

    /// Waits until a request to `host` is allowed.
    public func acquire(host: String) async throws {
        while true {
            let now = clock.now - start
            var bucket = buckets[host] ?? TokenBucket(perMinute: limits[host] ?? defaultPerMinute, now: now)
            let wait = bucket.take(now: now)
            buckets[host] = bucket
            guard let wait else { return }
            try await Task.sleep(for: wait)
        }
    }
}
