import KildeCore
import KildeUpstream

/// An adapter whose upstream says when it published a release, so a release sensor can poll it (SPEC §8: "poll SSB
/// table metadata and materialise when the upstream `updated` timestamp moves").
public protocol ReleaseWatching: DatasetAdapter {
    /// The request whose answer names the current release; `nil` when this upstream does not say (a PxWeb host that
    /// speaks only v0, whose metadata has no `updated`).
    func releaseRequest() -> UpstreamRequest?

    /// The release the answer names (PxWeb: the table's `updated`), as sent; `nil` when it names none.
    /// - Throws: ``IngestError`` `.malformedResponse` naming the dataset.
    func release(from response: UpstreamResponse) throws(IngestError) -> String?
}
