import Foundation

/// A cap on upstream requests over a sliding window, shared by the runs it is given to.
///
/// The explorer's "fetch this slice" runs under one: however many people press the button, the upstream sees at
/// most ``limit`` requests per ``window`` from them (every attempt counts, retries included). A run whose budget is
/// spent fails its remaining slices with an ``UpstreamError`` that names the budget; it never waits for it.
public final class RequestBudget: Sendable {
    /// What the budget is for, as a person reads it in an error: "the explorer's upstream budget".
    public let purpose: String
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private let window: Duration
    private let state: Locked<SlidingWindow>

    /// - Parameters:
    ///   - limit: requests allowed per window.
    ///   - window: the span. Defaults to one hour.
    ///   - purpose: named in errors.
    public init(limit: Int, window: Duration = .seconds(3600), purpose: String) {
        self.purpose = purpose
        self.start = clock.now
        self.window = window
        self.state = Locked(SlidingWindow(limit: limit, window: window))
    }

    public var limit: Int { state.withLock { $0.limit } }

    /// Takes one request from the budget; `nil` when it was free, else how long until one is.
    public func spend() -> Duration? {
        let now = clock.now - start
        return state.withLock { $0.record(now: now) }
    }

    /// Requests still allowed now.
    public var remaining: Int {
        let now = clock.now - start
        return state.withLock { $0.remaining(now: now) }
    }

    /// The refusal for a request the budget could not pay for.
    func exhausted(_ request: UpstreamRequest, attempts: Int, freeIn: Duration) -> UpstreamError {
        let minutes = Int((Double(freeIn.components.seconds) / 60).rounded(.up))
        return UpstreamError(method: request.method, url: request.url, status: nil, attempts: attempts,
                             reason: "\(purpose) of \(limit) upstream requests per \(Self.span(window)) is spent; "
                                 + "the next is free in \(max(1, minutes)) min")
    }

    /// A window as a person says it: `hour`, `2 hours`, `10 minutes`.
    public static func span(_ d: Duration) -> String {
        let s = d.components.seconds
        if s % 3600 == 0 { return s == 3600 ? "hour" : "\(s / 3600) hours" }
        if s % 60 == 0 { return s == 60 ? "minute" : "\(s / 60) minutes" }
        return "\(s) s"
    }
}

/// A value behind a lock, for the few `Sendable` classes that hold mutable state.
public final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    public init(_ value: Value) { self.value = value }

    public func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
