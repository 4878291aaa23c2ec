import ArgumentParser
import Foundation
import KildeCore
import KildeOrchestration
import KildeStore

/// `kilde enqueue`: queues ingests for the workers, as one wave (the marts they feed rebuild once, after the last).
struct Enqueue: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Queue ingests of one or more datasets for the workers (kilde worker, kilde serve), as one wave.",
        discussion: """
            Each job is tried as often as its dataset's retry policy says (options retries, retry_backoff). The marts the \
            wave's datasets feed rebuild once after its last job, and not at all when no job changed a row. --split \
            AXIS=TOKENS queues one job per token (a backfill spread over workers). Prints the job ids; `kilde jobs` shows them.
            Example: kilde enqueue ssb-12058 --split region=0301,1103,4601
            """)

    @Argument(help: "Dataset keys, e.g. ssb-12058 ssb-08764.")
    var datasets: [String]

    @OptionGroup var selection: SelectionOptions

    @Option(name: .long, help: "AXIS=TOKEN[,TOKEN…]: one job per token (each with --filter's selection and that token).")
    var split: String?

    @OptionGroup var store: StoreOptions

    func run() async throws {
        try await reporting {
            let registry = try store.registry()
            let base = try selection.request()
            let tokens = try split.map { try SelectionOptions.axisTokens($0, option: "--split") }
            let wave = "enqueue \(Timestamp.now()) \(UUID().uuidString.prefix(8))"
            var jobs: [JobRequest] = []
            for key in datasets {
                guard let dataset = registry.dataset(key: key) else { throw CLIError(.usage, "unknown dataset '\(key)'; see `kilde catalog`") }
                let requests = tokens.map { t in
                    t.tokens.map { value in
                        var r = base
                        r.filters[t.axis, default: []].append(value)
                        return r
                    }
                } ?? [base]
                for request in requests {
                    do { _ = try request.resolve(dataset: dataset, registry: registry) } catch {
                        throw CLIError(.usage, "\(key): \(error)")
                    }
                    do {
                        jobs.append(try IngestJob.request(dataset, job: IngestJob(selection: request), wave: wave, reason: "kilde enqueue"))
                    } catch {
                        throw CLIError(.usage, "\(error)")
                    }
                }
            }
            let ids = try await withStore(store) { store in
                _ = try await store.migrate(catalog: registry.catalog)
                return try await store.enqueue(jobs)
            }
            if store.json {
                printOut("{\"wave\":\(CanonicalJSON.string(wave)),\"jobs\":[\(ids.map(String.init).joined(separator: ","))]}\n")
            } else {
                printOut("queued \(ids.count) job\(ids.count == 1 ? "" : "s") (\(ids.first.map { "\($0)" } ?? "")\(ids.count > 1 ? "–\(ids.last ?? 0)" : "")) as wave '\(wave)'\n")
            }
        }
    }
}

/// `kilde jobs`: the work queue, newest first.
struct Jobs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the work queue: queued, running, done and failed jobs, newest first.")

    @Option(name: .long, help: "Only jobs with this status: queued, running, done or failed.")
    var status: String?

    @Option(name: .long, help: "How many jobs to show.")
    var limit = 30

    @OptionGroup var store: StoreOptions

    func run() async throws {
        try await reporting {
            var chosen: JobStatus?
            if let status {
                guard let s = JobStatus(rawValue: status) else { throw CLIError(.usage, "--status must be queued, running, done or failed, not '\(status)'") }
                chosen = s
            }
            let jobs = try await withStore(store) { try await $0.jobs(limit: limit, status: chosen) }
            let table = TextTable(
                header: ["id", "kind", "asset", "status", "attempts", "run", "changed", "reason", "claimed_by", "heartbeat_at", "error"],
                rows: jobs.map { j in
                    [String(j.id), j.kind.rawValue, j.asset, j.status.rawValue, "\(j.attempts)/\(j.maxAttempts)", j.runID.map(String.init) ?? "",
                     j.changed.map { $0 ? "yes" : "no" } ?? "", j.reason, j.claimedBy ?? "", j.heartbeatAt ?? "", String((j.error ?? "").prefix(80))]
                })
            printOut(table.render(store.json ? .json : .table))
        }
    }
}
