import Foundation
import KildeCore
import KildeStore
import KildeTestSupport
import Testing

/// The store going away under a run: a real PostgreSQL behind a TCP proxy that is stopped mid-run (every
/// connection cut, the port closed), and a real `kilde ingest` process.
@Suite("Store faults", .serialized)
struct StoreFaultTests {
    @Test("PostgreSQL stopping mid-run fails the run within the connect timeout, one line naming the server; the next command marks the run error",
          .enabled(if: PostgresStoreTests.serverAvailable))
    func postgresStopsMidRun() async throws {
        try await TestEnvironment.with(.postgres) { env in
            let real = try #require(env.postgresDatabase)
            let proxy = try TCPProxy(to: real.host, port: real.port)
            defer { proxy.stop() }
            var proxied = real
            proxied.host = "127.0.0.1"
            proxied.port = proxy.port
            proxied.connectTimeout = .seconds(2)
            // A slow data answer keeps the run between its start and its first write while the server goes.
            await env.state.inject(.slow(.seconds(3)), times: 1)
            let environment = ["KILDE_STORE": proxied.connectionString, "KILDE_HOME": env.directory.appendingPathComponent("home").path]
            async let ingest = CLIProcess.run(["ingest", "ssb-08764", "--ssb-url", env.sim.baseURL, "--rate-limit", "6000"], environment: environment)

            let clock = ContinuousClock()
            let deadline = clock.now + .seconds(30)
            while try await env.store.runs(limit: 5).first(where: { $0.dataset == "ssb-08764" })?.status != .running, clock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            let stoppedAt = clock.now
            proxy.stop()
            let output = try await ingest
            let waited = clock.now - stoppedAt

            #expect(output.status == 3, "a store error: \(output.stderr)")
            // The slow answer (3 s) and then the 2 s connect timeout, ≈ 6 s; the pool alone would wait 70 s. The bound
            // leaves room for a loaded machine (21 s was seen beside a compile) and still tells the two apart.
            #expect(waited < .seconds(40), "failed after \(waited)")
            // Beside the progress lines, one error line naming the server.
            let errors = output.stderr.split(separator: "\n").filter { $0.hasPrefix("kilde:") }
            #expect(errors.count == 1 && errors.first?.contains("127.0.0.1:\(proxy.port)") == true, "\(output.stderr)")
            #expect(!output.stderr.contains(real.password ?? "\u{0}"), "never the password")

            // The run could not be marked while the server was gone; the next command on the store retires it.
            let stranded = try #require(try await env.store.runs(limit: 5).first { $0.dataset == "ssb-08764" })
            #expect(stranded.status == .running)
            _ = try await env.store.migrate(catalog: env.registry.catalog)
            let retired = try #require(try await env.store.run(id: stranded.id))
            #expect(retired.status == .error)
            #expect(retired.errorMessage?.contains("abandoned") == true, "\(retired.errorMessage ?? "")")
            // And the next run completes.
            #expect(try await env.pipeline.run(dataset: "ssb-08764").status == .complete)
        }
    }
}
