import Hummingbird
import KildeCore
import Logging
import NIOCore

/// A simulator serving on loopback for the length of a scope (``with(registry:host:port:_:)``): for `kilde sim`,
/// `kilde up` and `kilde serve` offline, and the tests. Its server is a child task of the scope, never detached.
public struct RunningSimulator: Sendable {
    /// e.g. `http://127.0.0.1:49152`.
    public let baseURL: String
    public let port: Int
    public let simulator: UpstreamSimulator

    /// Serves the simulator on `host:port` (port 0 picks a free one) while `body` runs, then stops it.
    /// - Throws: ``SimulatorError`` when it cannot listen; else `body`'s error.
    public static func with<T>(registry: Registry, host: String = "127.0.0.1", port: Int = 0, logger: Logger = Logger(label: "kilde.sim"),
                               _ body: (RunningSimulator) async throws -> T) async throws -> T {
        let sim = UpstreamSimulator(registry: registry)
        let (stream, continuation) = AsyncStream<Int>.makeStream()
        let app = application(sim, host: host, port: port, logger: logger) { continuation.yield($0); continuation.finish() }
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { continuation.finish() }
                // The embedding process owns the signals; the scope's end stops the simulator.
                try await app.runService(gracefulShutdownSignals: [])
            }
            var bound = 0
            for await p in stream { bound = p }
            guard bound > 0 else {
                group.cancelAll()
                throw SimulatorError(message: "the simulator could not listen on \(host):\(port)")
            }
            let running = RunningSimulator(baseURL: "http://\(host):\(bound)", port: bound, simulator: sim)
            do {
                let result = try await body(running)
                group.cancelAll()
                return result
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }

    /// Serves the simulator on `host:port` until SIGINT or SIGTERM (`kilde sim`), calling `onRunning` once it listens.
    public static func serve(registry: Registry, host: String, port: Int, logger: Logger = Logger(label: "kilde.sim"),
                             onRunning: @escaping @Sendable (RunningSimulator) async -> Void) async throws {
        let sim = UpstreamSimulator(registry: registry)
        let app = application(sim, host: host, port: port, logger: logger) { bound in
            await onRunning(RunningSimulator(baseURL: "http://\(host):\(bound)", port: bound, simulator: sim))
        }
        try await app.runService()
    }

    static func application(_ sim: UpstreamSimulator, host: String, port: Int, logger: Logger,
                            onRunning: @escaping @Sendable (Int) async -> Void) -> some ApplicationProtocol {
        var quiet = logger
        quiet.logLevel = .critical
        return Application(router: sim.router(), configuration: .init(address: .hostname(host, port: port), serverName: "kilde-sim"),
                           onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) }, logger: quiet)
    }

    /// Where each simulated source lives on this simulator, by source key (for ``Upstream/baseURLs``).
    public var baseURLs: [String: String] { Self.baseURLs(at: baseURL) }

    /// Where each source lives on a simulator serving at `url` (e.g. a `kilde sim` in another process).
    public static func baseURLs(at url: String) -> [String: String] {
        let base = url.hasSuffix("/") ? String(url.dropLast()) : url
        return UpstreamSimulator.mounts.mapValues { base + $0 }
    }
}

/// The simulator could not start.
public struct SimulatorError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
