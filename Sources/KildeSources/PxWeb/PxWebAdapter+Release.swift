import KildeCore
import KildeUpstream

extension PxWebAdapter: ReleaseWatching {
    /// The v2 table description (`/tables/{id}`), which carries `updated`; SSB publishes no `nextUpdate`.
    public func releaseRequest() -> UpstreamRequest? {
        host.hasV2 ? host.tableInfoRequest(table: table.id) : nil
    }

    public func release(from response: UpstreamResponse) throws(IngestError) -> String? {
        try PxWebMetadata.updated(ofTableInfo: response.body, dataset: dataset.key)
    }
}
