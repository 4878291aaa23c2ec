import ArgumentParser
import Foundation
import KildeSimulator

struct Sim: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the upstream simulator (SSB PxWeb v0/v2, Statistics Sweden, BRIS, BRASK) over loopback, with optional faults.",
        discussion: """
            Generated tables 12058 and 08764, BRIS (under /bris) and BRASK (under /brask/) are DEMO DATA; 07221 and 05300 replay
            recorded real SSB responses. Faults apply to the next data requests: 503x2 (two 503s), 429:2 (429 with
            Retry-After: 2), slow:3 (3 s before the headers), slowbody:3 (half the body, 3 s, the rest), reset (half the
            body, then the connection dropped), truncated, malformed, renamed (region dimension renamed), added (a
            one-category dimension added), newcategory (a contents code nobody asked for), unanswered-renamed
            (BRIS's missing answers under a key no catalogue row has). While running: POST /_sim/fault?spec=…,
            /_sim/revised?on=true, /_sim/reset; GET /_sim/stats. BRASK: POST /_sim/brask/rotate[?every=N] makes earlier
            __VIEWSTATE values stale, /_sim/brask/revise?days=2024-01-15&delta=3 moves those days' fires;
            GET /_sim/brask/stats. BRIS: POST /_sim/bris/revise?days=2025-03-05&delta=2 adds missions on those days.
            Point kilde at it with --sim-url http://127.0.0.1:PORT.
            """)

    @Option(name: .long, help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(name: .long, help: "Port (0 picks a free one).")
    var port = 8089

    @Option(name: .long, help: "Fault to inject, e.g. 503x2. Repeatable.")
    var fault: [String] = []

    @Flag(name: .long, help: "Serve revised values for some recent cells.")
    var revised = false

    @OptionGroup var store: StoreOptions

    func run() async throws {
        try await reporting {
            let registry = try store.registry()
            var faults: [(Fault, Int)] = []
            for spec in fault {
                switch Fault.parse(spec) {
                case .success(let f): faults.append(f)
                case .failure(let e): throw CLIError(.usage, e.message)
                }
            }
            let revised = self.revised
            let queued = faults
            // Runs until SIGINT or SIGTERM, which the service lifecycle turns into a graceful shutdown.
            try await RunningSimulator.serve(registry: registry, host: host, port: port) { sim in
                for (f, times) in queued { await sim.simulator.state.inject(f, times: times) }
                await sim.simulator.state.setRevised(revised)
                let where_ = sim.baseURLs.sorted { $0.key < $1.key }.map { "\($0.key) at \($0.value)" }.joined(separator: ", ")
                printOut("kilde sim: serving \(where_) (SSB 12058 and 08764 and BRASK are DEMO DATA) — point kilde at it with --sim-url \(sim.baseURL); Ctrl-C to stop\n")
            }
        }
    }
}
