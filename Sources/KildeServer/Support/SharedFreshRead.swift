import Foundation

/// A value that every caller needs as of the moment it asks (the store's change token), read at most once at a time
/// and shared: callers that ask while a read is in flight do not get that read's value (it may have begun before
/// they asked) but share the next one, which begins after all of them asked.
///
/// Under load this turns one store round trip per request into one per batch of concurrent requests, without ever
/// giving a caller a value older than the store was when it asked.
final class SharedFreshRead<Value: Sendable>: @unchecked Sendable {
    private enum Outcome: Sendable {
        case value(Value)
        /// Read for yourself and for these callers, who asked after the previous read began.
        case lead([CheckedContinuation<Outcome, any Error>])
    }

    private let read: @Sendable () async throws -> Value
    private let lock = NSLock()
    private var reading = false
    /// Callers waiting for the next read, which begins when the current one ends.
    private var next: [CheckedContinuation<Outcome, any Error>] = []

    init(_ read: @escaping @Sendable () async throws -> Value) { self.read = read }

    /// A value read after this call began.
    func value() async throws -> Value {
        let outcome: Outcome = try await withCheckedThrowingContinuation { c in
            let leads = lock.withLock {
                if reading {
                    next.append(c)
                    return false
                }
                reading = true
                return true
            }
            if leads { c.resume(returning: .lead([])) }
        }
        switch outcome {
        case .value(let v):
            return v
        case .lead(let waiters):
            // In a task of its own: the read is shared, so cancelling the caller that happens to lead it must not
            // fail the others with a CancellationError.
            let result = await Task { [read] in try await read() }.result
            for w in waiters { w.resume(with: result.map(Outcome.value)) }
            handOver()
            return try result.get()
        }
    }

    /// Passes the next read to the first caller waiting for it, or ends reading when nobody waits.
    private func handOver() {
        let waiters: [CheckedContinuation<Outcome, any Error>] = lock.withLock {
            if next.isEmpty { reading = false }
            defer { next.removeAll() }
            return next
        }
        guard let first = waiters.first else { return }
        first.resume(returning: .lead(Array(waiters.dropFirst())))
    }
}
