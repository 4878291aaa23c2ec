import Hummingbird
import KildeCore
import Logging
import NIOCore

/// A simulator serving on loopback in the background, for `kilde up` (offline) and tests.
public final class RunningSimulator: Sendable {
    /// e.g. `http://127.0.0.1:49152`.
    public let baseURL: String
    public let port: Int
    public let simulator: UpstreamSimulator
    private let task: Task<Void, any Error>

    init(baseURL: String, port: Int, simulator: UpstreamSimulator, task: Task<Void, any Error>) {
        self.baseURL = baseURL
        self.port = port
        self.simulator = simulator
        self.task = task
    }

    /// Starts the simulator on `host:port` (port 0 picks a free one) and returns once it accepts connections.
    public static func start(registry: Registry, host: String = "127.0.0.1", port: Int = 0,
                             logger: Logger = Logger(label: "kilde.sim")) async throws -> RunningSimulator {
        let sim = UpstreamSimulator(registry: registry)
        let (stream, continuation) = AsyncStream<Int>.makeStream()
        var quiet = logger
        quiet.logLevel = .critical
        let app = Application(router: sim.router(), configuration: .init(address: .hostname(host, port: port), serverName: "kilde-sim"),
                              onServerRunning: { channel in
                                  continuation.yield(channel.localAddress?.port ?? 0)
                                  continuation.finish()
                              }, logger: quiet)
        let task = Task { try await app.run() }
        var bound = 0
        for await p in stream { bound = p }
        guard bound > 0 else {
            task.cancel()
            throw SimulatorError(message: "the simulator could not listen on \(host):\(port)")
        }
        return RunningSimulator(baseURL: "http://\(host):\(bound)", port: bound, simulator: sim, task: task)
    }

    /// Where each simulated source lives on this simulator, by source key (for ``Upstream/baseURLs``).
    public var baseURLs: [String: String] { Self.baseURLs(at: baseURL) }

    /// Where each source lives on a simulator serving at `url` (e.g. a `kilde sim` in another process).
    public static func baseURLs(at url: String) -> [String: String] {
        let base = url.hasSuffix("/") ? String(url.dropLast()) : url
        return UpstreamSimulator.mounts.mapValues { base + $0 }
    }

    /// Stops serving.
    public func stop() async {
        task.cancel()
        _ = await task.result
    }
}

/// The simulator could not start.
public struct SimulatorError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
