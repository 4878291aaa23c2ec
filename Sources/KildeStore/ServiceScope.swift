import Logging
import ServiceLifecycle

/// A structured scope for long-lived clients (the store's connection pool, the HTTP client): they run as services of
/// one `ServiceGroup` for exactly as long as the work needs them, then shut down gracefully, last started first,
/// and the scope waits for them. No task outlives it; nothing is shut down from a fire-and-forget task.
public enum ServiceScope {
    /// Runs `body` while `services` run; then shuts them down gracefully and waits for them, whether `body` returned
    /// or threw.
    /// - Throws: `body`'s error, else the first service's failure.
    public static func run<T>(_ services: [any Service], logger: Logger = Logger(label: "kilde.services"),
                                        _ body: () async throws -> T) async throws -> T {
        let group = ServiceGroup(configuration: .init(services: services.map { .init(service: $0) }, logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let result: Result<T, any Error>
            do { result = .success(try await body()) } catch { result = .failure(error) }
            await group.triggerGracefulShutdown()
            var stopped: (any Error)?
            do { try await tasks.waitForAll() } catch { stopped = error }
            let value = try result.get()
            if let stopped { throw stopped }
            return value
        }
    }
}
