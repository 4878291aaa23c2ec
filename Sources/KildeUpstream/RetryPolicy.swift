import Foundation

/// When and how long to wait before retrying an upstream request: exponential backoff with full jitter
/// on 429, 5xx and timeouts, honouring `Retry-After`.
public struct RetryPolicy: Sendable, Hashable {
    /// Total attempts including the first. Defaults to `5`.
    public var maxAttempts: Int = 5
    /// Backoff base: attempt *n* waits up to `baseDelay · 2ⁿ⁻¹`. Defaults to 500 ms.
    public var baseDelay: Duration = .milliseconds(500)
    /// Cap on one backoff wait. A longer `Retry-After` is still honoured, up to ``maxRetryAfter``. Defaults to 60 s.
    public var maxDelay: Duration = .seconds(60)
    /// The longest `Retry-After` Kilde waits for: an upstream asking for more fails the request, naming the wait it
    /// asked for, instead of holding the run for hours. Defaults to 5 minutes.
    public var maxRetryAfter: Duration = .seconds(300)

    public init() {}

    /// A policy for tests: quick backoff.
    public static var fast: RetryPolicy {
        var p = RetryPolicy()
        p.baseDelay = .milliseconds(20)
        p.maxDelay = .seconds(5)
        return p
    }

    /// Whether a response status is worth retrying.
    public static func isRetryable(status: Int) -> Bool { status == 429 || status == 408 || (500...599).contains(status) }

    /// The wait before attempt `attempt + 1` after `attempt` failed (1-based).
    ///
    /// - Parameters:
    ///   - retryAfter: the response's `Retry-After` in seconds, if any; the wait is never shorter.
    ///   - random: a number in 0..<1 for jitter (injected so tests are deterministic).
    public func delay(afterAttempt attempt: Int, retryAfter: Duration?, random: Double) -> Duration {
        let exp = Self.milliseconds(baseDelay) * Double(1 << min(max(attempt - 1, 0), 20))
        let capped = min(exp, Self.milliseconds(maxDelay))
        // Jitter between half and all of the exponential step keeps retries from synchronising.
        let jittered = Duration.milliseconds(Int64(capped * (0.5 + 0.5 * min(max(random, 0), 1))))
        if let retryAfter { return min(max(retryAfter, jittered), max(maxDelay, retryAfter)) }
        return jittered
    }

    static func milliseconds(_ d: Duration) -> Double {
        Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    }

    /// Parses `Retry-After`: delta seconds (an HTTP date is treated as "no hint").
    public static func parseRetryAfter(_ value: String?) -> Duration? {
        guard let value, let seconds = Double(value.trimmingCharacters(in: .whitespaces)), seconds >= 0 else { return nil }
        return .milliseconds(Int64(seconds * 1000))
    }
}

