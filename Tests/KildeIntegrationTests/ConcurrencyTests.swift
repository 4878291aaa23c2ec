import Foundation
import KildeCore
import KildeStore
import Testing

/// Two real `kilde` processes on one store at the same time (SPEC §5: at most one active run per slice hash,
/// enforced by the store's unique index, not by a check in one process's memory).
@Suite("Concurrent ingests", .serialized)
struct ConcurrencyTests {
    @Test("two `kilde ingest` processes on the same slices: one runs, the other exits 5 naming it", arguments: StoreKind.enabled)
    func twoProcessesOneRun(_ kind: StoreKind) async throws {
        try await TestEnvironment.with(kind) { env in
            // Slow data responses keep whichever process starts its run first busy for seconds, so the
            // other one reaches startRun while that run is still active.
            await env.state.inject(.slow(.seconds(3)), times: 1)
            let args = ["ingest", "ssb-08764", "--ssb-url", env.sim.baseURL, "--rate-limit", "6000", "--json"]
            let environment = ["KILDE_STORE": env.storeSpec, "KILDE_HOME": env.directory.appendingPathComponent("home").path]
            async let first = CLIProcess.run(args, environment: environment)
            async let second = CLIProcess.run(args, environment: environment)
            let outputs = try await [first, second]

            let completed = outputs.filter { $0.status == 0 }
            let refused = outputs.filter { $0.status == 5 }
            #expect(completed.count == 1 && refused.count == 1,
                    "exit statuses \(outputs.map(\.status)); stderr: \(outputs.map(\.stderr))")
            guard let winner = completed.first, let loser = refused.first else { return }
            let runID = try #require(Self.runID(inJSON: winner.stdout), "\(winner.stdout)")
            #expect(loser.stderr.contains("run \(runID) is already ingesting"), "\(loser.stderr)")
            #expect(loser.stderr.split(separator: "\n").count == 1, "one line, no stack trace: \(loser.stderr)")

            // The refused process created no ingest run (the winner's mart rebuild records its own run);
            // the winner's run completed and wrote its rows once.
            let runs = try await env.store.runs(limit: 10).filter { $0.dataset == "ssb-08764" }
            #expect(runs.map(\.id) == [Int64(runID)])
            #expect(runs.first?.status == .complete)
            #expect(await env.state.dataRequests["08764"] == 1, "only the winner fetched data, one request both its slices share")
        }
    }

    /// `"run_id":N` in `kilde ingest --json` output.
    static func runID(inJSON text: String) -> Int? {
        guard let range = text.range(of: "\"run_id\":") else { return nil }
        return Int(text[range.upperBound...].prefix { $0.isNumber })
    }
}
