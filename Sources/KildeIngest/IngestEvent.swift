import KildeCore

/// Progress of a run, for a progress bar or a log.
public enum IngestEvent: Sendable {
    case planned(runID: Int64, dataset: String, slices: Int)
    case sliceStarted(index: Int, total: Int, slice: Slice)
    /// A slice's conversation sends its `step`th request (1-based), described by `label`.
    case step(index: Int, step: Int, label: String)
    /// A slice's fan-out (a daily gate) is at `progress`, as its next request goes out.
    case fanout(index: Int, progress: FanoutProgress)
    case retrying(attempt: Int, wait: Duration, reason: String)
    case sliceFinished(SliceResult, total: Int)
}
