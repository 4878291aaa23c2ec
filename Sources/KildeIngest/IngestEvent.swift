import KildeCore

/// Progress of a run, for a progress bar or a log.
public enum IngestEvent: Sendable {
    case planned(runID: Int64, dataset: String, slices: Int)
    case sliceStarted(index: Int, total: Int, slice: Slice)
    case retrying(attempt: Int, wait: Duration, reason: String)
    case sliceFinished(SliceResult, total: Int)
}
