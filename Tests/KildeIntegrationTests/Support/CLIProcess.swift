import Foundation

/// Runs the built `kilde` executable, as a user would.
struct CLIProcess {
    /// `.build/<config>/kilde`, next to the test bundle.
    static var executable: URL {
        get throws {
            var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            for _ in 0..<4 {
                let candidate = dir.appendingPathComponent("kilde")
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
                dir = dir.deletingLastPathComponent()
            }
            throw TestFailure("the kilde executable was not built next to the tests (\(CommandLine.arguments[0]))")
        }
    }

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `kilde args…` to completion.
    ///
    /// Blocking reads and the wait happen on Dispatch threads, never on the Swift concurrency pool:
    /// the simulator the child talks to runs in this process and needs those threads to answer.
    static func run(_ args: [String], environment: [String: String] = [:]) async throws -> Output {
        let p = Process()
        p.executableURL = try executable
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        let exited = exitStatus(of: p)
        try p.run()
        async let o = readAll(out.fileHandleForReading)
        async let e = readAll(err.fileHandleForReading)
        let (od, ed, status) = await (o, e, exited.value)
        return Output(status: status, stdout: String(decoding: od, as: UTF8.self), stderr: String(decoding: ed, as: UTF8.self))
    }

    /// The exit status of `p`, delivered by its termination handler (set before `run()`).
    static func exitStatus(of p: Process) -> Task<Int32, Never> {
        let (stream, continuation) = AsyncStream<Int32>.makeStream()
        p.terminationHandler = { continuation.yield($0.terminationStatus); continuation.finish() }
        return Task { for await s in stream { return s }; return -1 }
    }

    static func readAll(_ handle: FileHandle) async -> Data {
        await withCheckedContinuation { c in
            DispatchQueue.global().async { c.resume(returning: handle.readDataToEndOfFile()) }
        }
    }
}
