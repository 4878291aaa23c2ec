import Foundation
import KildeCore
import KildeIngest
import KildePipes
import KildeStore

/// `kilde ingest --pipes`: reports one ingest to Dagster over Pipes (SPEC §8) — progress lines as logs, the
/// dataset's materialisation with its row counts, run, latest period and data version (Dagster's `data_version`, from
/// the store's materialisation record), the mart's data tests as asset checks —
/// and closes the connection with Kilde's error when the ingest failed.
struct DagsterReporter: Sendable {
    /// The Dagster asset key of the mart the ingest rebuilds. Checks on it are reported only when the step
    /// materialises it: Dagster rejects results of checks the asset does not declare.
    static let martAssetKey = "kommune_indicators"

    let session: PipesSession
    let dataset: String

    /// Opens the connection Dagster set up in this process's environment.
    /// - Throws: ``CLIError`` (usage) when the environment does not describe one.
    static func open(dataset: String) throws -> DagsterReporter {
        do {
            return DagsterReporter(session: try PipesSession.open(environment: ProcessInfo.processInfo.environment), dataset: dataset)
        } catch let e as PipesError {
            throw CLIError(.usage, e.message)
        }
    }

    /// Sends an event's log line. A log that cannot be written is dropped: the ingest itself goes on, and a broken
    /// channel shows when the materialisation is sent.
    func log(_ event: IngestEvent) {
        guard let line = ProgressBar.logLine(event) else { return }
        var level = PipesMessage.LogLevel.info
        if case .retrying = event { level = .warning }
        if case .sliceFinished(let r, _) = event, r.outcome == .failed { level = .error }
        try? session.send(.log(line.trimmingCharacters(in: .whitespaces), level: level))
        if case .sliceFinished(let r, _) = event {
            for warning in r.warnings { try? session.send(.log("slice \(r.index + 1): \(warning)", level: .warning)) }
        }
    }

    /// Whether the step materialises the mart too (a multi-asset with `kommune_indicators`).
    var materializesMart: Bool { session.context.assetKeys?.contains(Self.martAssetKey) == true }

    /// Reports the dataset's materialisation and, when the step materialises the mart, the mart build's.
    /// - Parameters:
    ///   - record: the store's record of the dataset's materialisation (none when the run did not complete).
    ///   - martRecord: the store's record of the mart build.
    /// - Throws: ``CLIError`` when the channel cannot be written.
    func materialized(_ result: IngestResult, latestPeriod: String?, record: Materialization? = nil, mart: MartBuildReport?,
                      martRecord: Materialization? = nil) throws {
        let key = session.context.assetKey(forDataset: dataset, others: [Self.martAssetKey])
        var metadata = Self.metadata(result, latestPeriod: latestPeriod)
        if let record {
            metadata["data_version"] = .text(record.dataVersion)
            metadata["duration_ms"] = .int(Int64(record.durationMs))
            metadata["rows_total"] = .int(Int64(record.rowsTotal))
        }
        try send(.materialization(assetKey: key, metadata: metadata, dataVersion: record?.dataVersion))
        guard let mart, materializesMart else { return }
        for test in mart.tests {
            try send(.assetCheck(assetKey: Self.martAssetKey, checkName: test.name, passed: test.passed,
                                 severity: test.severity == .error ? "ERROR" : "WARN",
                                 metadata: ["failures": .int(Int64(test.failures)), "detail": .text(test.detail)]))
        }
        // A build whose tests failed keeps the previous mart: nothing new was materialised.
        if mart.swapped {
            var metadata: [String: PipesMetadataValue] = [
                "rows": .int(Int64(mart.rows)), "kilde_run_id": .int(mart.runID), "seed_version": .text(mart.seedVersion),
            ]
            if let martRecord {
                metadata["data_version"] = .text(martRecord.dataVersion)
                metadata["rows_added"] = .int(Int64(martRecord.rowsAdded))
                metadata["rows_updated"] = .int(Int64(martRecord.rowsUpdated))
                metadata["rows_deleted"] = .int(Int64(martRecord.rowsDeleted))
                if let latest = martRecord.latestPeriod { metadata["latest_period"] = .text(latest) }
            }
            try send(.materialization(assetKey: Self.martAssetKey, metadata: metadata, dataVersion: martRecord?.dataVersion))
        }
    }

    /// The dataset materialisation's metadata: the run's row counts, its id, its slices and the latest period stored.
    static func metadata(_ result: IngestResult, latestPeriod: String?) -> [String: PipesMetadataValue] {
        let c = result.counters
        var metadata: [String: PipesMetadataValue] = [
            "rows_added": .int(Int64(c.added)), "rows_updated": .int(Int64(c.updated)),
            "rows_skipped_identical": .int(Int64(c.skippedIdentical)), "rows_deleted": .int(Int64(c.deleted)),
            "kilde_run_id": .int(result.runID), "status": .text(result.status.rawValue),
            "slices_total": .int(Int64(result.slices.count)), "slices_failed": .int(Int64(result.failed.count)),
        ]
        if let latestPeriod { metadata["latest_period"] = .text(latestPeriod) }
        return metadata
    }

    /// Closes the connection: `{}` when `error` is nil, otherwise the error Dagster raises in the step.
    func closed(_ error: CLIError? = nil) {
        // Nothing is left to report a failure to when the channel is broken; the exit code still tells Dagster.
        try? session.send(.closed(exception: error.map { PipesException(message: $0.message, name: "\($0.kind)") }))
    }

    private func send(_ message: PipesMessage) throws {
        do { try session.send(message) } catch let e as PipesError { throw CLIError(.usage, e.message) }
    }
}
