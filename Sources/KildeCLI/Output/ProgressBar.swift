import Foundation
import KildeCore
import KildeIngest

/// Draws a one-line progress bar on stderr when it is a terminal; prints plain lines otherwise.
final class ProgressBar: @unchecked Sendable {
    // Mutated only from the ingest's event callback, which the pipeline calls sequentially.
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private let label: String
    let quiet: Bool
    /// The slice whose fan-out the bar shows, if any.
    private var fanning: Int?

    init(label: String, quiet: Bool) {
        self.label = label
        self.quiet = quiet
    }

    func handle(_ event: IngestEvent) {
        guard !quiet else { return }
        switch event {
        case .planned, .retrying:
            if let text = Self.logLine(event) { line(text, final: true) }
        case .sliceStarted(let index, let total, let slice):
            if isTerminal { draw(done: index, total: total, note: slice.label) }
        case .step(let index, let step, let label):
            if isTerminal && step > 1 && fanning != index { write("\r\u{1B}[2K\(self.label) slice \(index + 1) step \(step): \(label.prefix(60))") }
        case .fanout(let index, let p):
            // A daily gate's months: the bar fills by months settled, with the tier and the month in flight.
            fanning = index
            let at = p.cursor["month"].map { m in "\(p.cursor["year"] ?? "")-\(m.count < 2 ? "0" : "")\(m)" } ?? p.cursor["year"] ?? ""
            if isTerminal { draw(done: p.done, total: p.total, note: "slice \(index + 1) months \(p.phase.rawValue) \(at)") }
        case .sliceFinished(let r, let total):
            if isTerminal { draw(done: r.index + 1, total: total, note: r.slice.label) }
            if let text = Self.logLine(event) { line(text, final: true) }
        }
    }

    /// The line an event leaves in a log (the bar's plain lines, and `--pipes` log messages); nil for the events
    /// only the bar draws.
    static func logLine(_ event: IngestEvent) -> String? {
        switch event {
        case .planned(let runID, let dataset, let slices):
            return "run \(runID): \(dataset), \(slices) slice\(slices == 1 ? "" : "s")"
        case .retrying(let attempt, let wait, let reason):
            return "  retry after attempt \(attempt) in \(wait): \(reason.prefix(80))"
        case .sliceFinished(let r, let total):
            let what: String
            switch r.outcome {
            case .unchanged: what = "unchanged (\(r.transformedRowCount) rows identical)"
            case .written: what = "+\(r.counters.added) added, \(r.counters.updated) updated, \(r.counters.skippedIdentical) identical, \(r.counters.deleted) removed"
            case .failed: what = "FAILED: \(r.error?.description ?? "")"
            }
            let skipped = r.skippedUnmapped > 0 ? " (\(r.skippedUnmapped) unmapped cells skipped)" : ""
            return "  slice \(r.index + 1)/\(total) \(r.slice.label): \(what)\(skipped)"
        case .sliceStarted, .step, .fanout:
            return nil
        }
    }

    private func draw(done: Int, total: Int, note: String) {
        let width = 24
        let filled = total == 0 ? width : width * done / total
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        write("\r\u{1B}[2K\(label) [\(bar)] \(done)/\(total) \(note.prefix(50))")
    }

    private func line(_ text: String, final: Bool) {
        write((isTerminal ? "\r\u{1B}[2K" : "") + text + "\n")
    }

    private func write(_ s: String) {
        printErr(s)
    }
}
