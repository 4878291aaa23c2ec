import KildeCore
import KildeStore
import Logging

/// Writes a run's progress (`phase_detail`, counters, per-slice metrics) to its `ingest_runs` row: after every
/// slice, and at every request of a slice's conversation, so a progress bar shows the step a slow slice is on.
/// `canonical_progress` only grows: each slice's share is split over its steps.
struct RunProgressWriter: Sendable {
    let store: any RunStore
    let runID: Int64
    let total: Int
    let startedAt: String
    let logger: Logger

    /// The progress of a slice's `step`th request, written as the request goes out. A failure to write progress
    /// is logged, not thrown: the slice itself is unaffected.
    func step(done: Int, counters: RowCounters, slice: Int, step: Int, label: String) async {
        // Within the slice's share, each step moves half of what is left, so the bar never reaches the next slice.
        let within = 1 - 1 / Double(1 << min(step, 20))
        let phase = PhaseDetail(kind: "slices", phase: "fetch", done: done, total: total,
                                canonicalProgress: total == 0 ? 1 : (Double(done) + within) / Double(total),
                                cursor: ["slice": String(slice), "step": String(step), "request": label], startedAt: startedAt, counters: counters)
        await record(phase, done: done, counters: counters)
    }

    /// The progress of a slice's fan-out as its next request goes out: `phase_detail` takes the fan-out's kind,
    /// tier phase, months done of all and cursor; `canonical_progress` adds the slice's share of months to the
    /// slices before it.
    func fanout(done: Int, counters: RowCounters, _ f: FanoutProgress) async {
        let phase = detail(f, canonicalProgress: total == 0 ? 1 : (Double(done) + f.fraction) / Double(total), counters: counters)
        await record(phase, done: done, counters: counters)
    }

    func write(results: [SliceResult], counters: RowCounters, cursor: [String: String]) async throws {
        try await store.updateRun(id: runID, progress: progress(results: results, counters: counters, cursor: cursor))
    }

    /// The run's last progress. A run whose slices fanned out keeps the fan-out's kind: on error, the failed
    /// slice's last fan-out detail with its failing cursor (SPEC §5); otherwise its `done` phase.
    func finish(results: [SliceResult], counters: RowCounters, status: RunStatus, error: String?) async throws {
        try await store.finishRun(id: runID, status: status, progress: progress(results: results, counters: counters, cursor: nil), error: error)
    }

    func progress(results: [SliceResult], counters: RowCounters, cursor: [String: String]?) -> RunProgress {
        let single = total == 1 ? results.first : nil
        let canonical = total == 0 ? 1 : Double(results.count) / Double(total)
        var phase = PhaseDetail(kind: "slices", phase: cursor == nil ? "finished" : "slice", done: results.count, total: total,
                                canonicalProgress: canonical, cursor: cursor ?? [:], startedAt: startedAt, counters: counters)
        if cursor == nil, let f = results.last(where: { $0.outcome == .failed && $0.fanout != nil })?.fanout {
            phase = detail(f, canonicalProgress: canonical, counters: counters)
        } else if cursor == nil, var f = results.last?.fanout {
            (f.phase, f.done, f.cursor) = (.done, f.total, [:])
            phase = detail(f, canonicalProgress: canonical, counters: counters)
        }
        return RunProgress(slicesDone: results.count, counters: counters, apiTotal: single?.apiTotal,
                           transformedRowCount: single?.transformedRowCount,
                           perSliceMetrics: total > 1 ? CanonicalJSON.array(results.map(\.metricsJSON)) : nil,
                           phaseDetail: phase.json, at: Timestamp.now())
    }

    /// A fan-out's progress as `phase_detail`.
    private func detail(_ f: FanoutProgress, canonicalProgress: Double, counters: RowCounters) -> PhaseDetail {
        PhaseDetail(kind: f.kind, phase: f.phase.rawValue, done: f.done, total: f.total, canonicalProgress: canonicalProgress,
                    cursor: f.cursor, startedAt: startedAt, counters: counters)
    }

    /// Writes a progress made while a slice runs. A failure is logged, not thrown: the slice itself is unaffected.
    private func record(_ phase: PhaseDetail, done: Int, counters: RowCounters) async {
        do {
            try await store.updateRun(id: runID, progress: RunProgress(slicesDone: done, counters: counters, phaseDetail: phase.json, at: Timestamp.now()))
        } catch {
            logger.warning("could not record progress", metadata: ["run": "\(runID)", "error": "\(error)"])
        }
    }
}
