/// Bounds an async operation in time: a server that accepts a TCP connection and then says nothing must
/// not hang `kilde` forever.
enum Deadline {
    /// Runs `operation`; if it has not finished within `duration`, cancels it and throws `timeout`.
    static func run<T: Sendable>(within duration: Duration, timeout: any Error & Sendable,
                                 _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                try await Task.sleep(for: duration)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else { throw timeout }
            return value
        }
    }
}
