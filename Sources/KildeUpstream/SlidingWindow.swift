/// At most ``limit`` events in any span of ``window``: the times of the events still inside the window.
///
/// Pure state: ``RateLimiter``, ``RequestBudget`` and the server's per-client limits own one and read the clock.
/// Unlike a token bucket it never lends ahead: after `limit` events the next is allowed only once the oldest
/// has left the window, which is what "N per hour" means to the operator who set it.
public struct SlidingWindow: Sendable, Hashable {
    public let limit: Int
    public let window: Duration
    /// Times of the events inside the window, oldest first (at most `limit`).
    private var times: [Duration] = []

    /// - Parameters:
    ///   - limit: events allowed per window; 0 allows none.
    ///   - window: the span, e.g. one hour.
    public init(limit: Int, window: Duration) {
        self.limit = max(0, limit)
        self.window = window
    }

    /// Records an event at `now` when the window has room, and returns `nil`; otherwise records nothing and
    /// returns how long until it has room.
    public mutating func record(now: Duration) -> Duration? {
        forget(before: now)
        guard times.count < limit else { return times.first.map { window - (now - $0) } ?? window }
        times.append(now)
        return nil
    }

    /// Events still allowed at `now`.
    public func remaining(now: Duration) -> Int {
        limit - times.count { now - $0 < window }
    }

    /// Whether no event is inside the window at `now` (the state can be dropped).
    public func isIdle(now: Duration) -> Bool {
        times.last.map { now - $0 >= window } ?? true
    }

    private mutating func forget(before now: Duration) {
        let expired = times.prefix { now - $0 >= window }.count
        if expired > 0 { times.removeFirst(expired) }
    }
}
