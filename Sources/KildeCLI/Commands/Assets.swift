import ArgumentParser
import Foundation
import KildeCore
import KildeStore

/// `kilde assets`: every dataset and mart with its schedule, next run, last materialisation, status and freshness.
struct Assets: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the assets: each dataset and mart with its schedule, next run, last materialisation and freshness.",
        discussion: """
            A dataset's schedule is its catalogue cron line, read in its time zone (option timezone, default \
            Europe/Oslo); a mart is rebuilt after the datasets it reads (depends_on). An asset is stale its policy's \
            months (freshness_months) after the end of the newest period it holds (an annual table whose newest year is \
            2024: from February 2026), or, with no period recorded, after its last successful materialisation. \
            The last materialisation record follows: its run, \
            duration, rows added, updated and deleted, the latest period stored and the data version (which changes \
            exactly when the asset's stored data changes). A mart whose last build failed its data tests shows \
            last_status error and keeps the data version of the mart still served. --json for programs.
            """)

    @OptionGroup var store: StoreOptions

    func run() async throws {
        try await reporting {
            let registry = try store.registry()
            let assets = try await withStore(store) { try await $0.assets() }
            let now = Date()
            let rows = assets.map { AssetLine($0, registry: registry, now: now) }
            let table = TextTable(header: AssetLine.header, rows: rows.map(\.fields), strings: AssetLine.strings)
            printOut(table.render(store.json ? .json : .table))
        }
    }
}

/// One asset as `kilde assets` prints it.
struct AssetLine {
    static let header = ["asset", "kind", "schedule", "time_zone", "next_run", "depends_on", "retries", "sensor", "last_materialized", "last_status", "rows", "freshness",
                         "run_id", "duration_ms", "rows_added", "rows_updated", "rows_deleted", "latest_period", "data_version"]
    /// Text however it reads: `2025` is a period, a data version may be all digits.
    static let strings: Set<String> = ["latest_period", "data_version"]

    var fields: [String]

    init(_ a: AssetStatus, registry: Registry, now: Date) {
        let s = a.schedule(registry: registry, now: now)
        let next = s.problem.map { "invalid: \($0)" } ?? s.nextRun.map(Self.format) ?? (s.cron == nil ? "" : "never")
        fields = [a.key, a.kind.rawValue, s.cron ?? (a.kind == .mart ? "after its inputs" : ""), s.timeZone ?? "", next,
                  s.dependsOn.joined(separator: ","), s.retry.map { "\($0.attempts)× from \(JSONNumber.format($0.backoffSeconds)) s" } ?? "",
                  s.sensor.map { "\($0.signal.rawValue) every \(JSONNumber.format($0.intervalSeconds)) s" } ?? "", a.lastMaterializedAt ?? "never", a.lastRunStatus?.rawValue ?? "", String(a.rows),
                  a.freshness(now: now).rawValue]
        let m = a.lastMaterialization
        fields += [m.map { String($0.runID) } ?? "", m.map { String($0.durationMs) } ?? "", m.map { String($0.rowsAdded) } ?? "",
                   m.map { String($0.rowsUpdated) } ?? "", m.map { String($0.rowsDeleted) } ?? "", m?.latestPeriod ?? "", m?.dataVersion ?? ""]
    }

    static func format(_ d: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: d)
    }
}
