import KildeCore
import KildeJSONStat
import KildeUpstream

/// The SSB adapter for kommune × contents × year tables (12058, 08764), read top to bottom:
/// ``prepare(_:)`` fetches table metadata, ``SSBSlicePlan`` plans slices, ``SSBRequest`` builds
/// PxWeb selections, ``SSBTransform`` turns JSON-stat into facts.
public struct SSBAdapter: DatasetAdapter {
    public let dataset: DatasetDefinition
    public let table: SSBTable

    public init(dataset: DatasetDefinition, table: SSBTable) {
        self.dataset = dataset
        self.table = table
    }

    /// Fetches the table's metadata once per run: the years on offer and the update timestamp.
    public func prepare(_ upstream: Upstream) async throws -> Preparation {
        let response = try await upstream.ssb.fetch([upstream.ssb.metadataRequest(table: table.tableID)])[0]
        let metadata = try SSBMetadata.parse(response.body, api: upstream.ssb.configuration.api, dataset: dataset.key)
        let years = metadata.codes[table.timeVariable]?.compactMap { SSBTransform.year(of: $0) } ?? []
        return Preparation(responses: [response], years: years.isEmpty ? nil : YearWindow(first: years.min() ?? 0, last: years.max() ?? 0),
                           codes: metadata.codes, updated: metadata.updated)
    }

    public func defaultPlan(registry: Registry, preparation: Preparation) throws(IngestError) -> [Slice] {
        try SSBSlicePlan.defaultSlices(dataset: dataset, table: table, registry: registry, years: preparation.years)
    }

    public func requests(for slice: Slice, registry: Registry, preparation: Preparation, upstream: Upstream) throws(IngestError) -> [UpstreamRequest] {
        var selection = try SSBRequest.selection(for: slice, dataset: dataset, table: table, registry: registry)
        // Ask only for regions the table has: PxWeb answers 400 to an unknown code, which would fail the whole slice.
        if let offered = preparation.codes[table.regionVariable].map(Set.init), case .items(let asked) = selection.variables[0].values {
            selection.variables[0].values = .items(asked.filter(offered.contains))
        }
        // Sizes of `.all` variables come from the metadata fetched in `prepare`.
        return upstream.ssb.dataRequests(table: table.tableID, selection: selection,
                                         sizes: preparation.codes.mapValues(\.count), codes: preparation.codes)
    }

    public func transform(_ responses: [UpstreamResponse], slice: Slice, registry: Registry) throws(IngestError) -> TransformOutput {
        try SSBTransform(dataset: dataset, table: table, registry: registry).transform(responses.map(\.body), slice: slice)
    }
}
