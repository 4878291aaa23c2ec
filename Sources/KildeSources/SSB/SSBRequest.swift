import KildeCore
import KildeUpstream

/// Outbound translation: a slice → PxWeb selections, through the registry.
enum SSBRequest {
    /// The PxWeb selection for a slice.
    static func selection(for slice: Slice, dataset: DatasetDefinition, table: SSBTable, registry: Registry) throws(IngestError) -> PxWebSelection {
        let source = dataset.sourceID
        func natives(_ ids: [Int], _ axis: FilterAxis) throws(IngestError) -> [String] {
            let (codes, unknown) = registry.nativeCodes(ofFilters: ids, source: source, axis: axis)
            guard unknown.isEmpty else {
                throw IngestError(.filterNotInRegistry, dataset: dataset.key, slice: slice.label,
                                  message: "\(axis.rawValue) filter \(unknown.map(String.init).joined(separator: ", ")) is not a filter of source \(source)")
            }
            return codes
        }
        for axis in slice.filters.keys where axis != .region && axis != .buildingType {
            throw IngestError(.invalidSlice, dataset: dataset.key, slice: slice.label, message: "SSB table \(table.tableID) has no \(axis.rawValue) axis")
        }
        // Contents: a building-type filter selects its contents code; none selects the categories without one.
        let contents = try slice.filters[.buildingType].map { ids throws(IngestError) in try natives(ids, .buildingType) }
            ?? table.contentsWithoutBuildingType(source: source, dim: slice.dimCode, registry: registry)
        guard !contents.isEmpty else {
            throw IngestError(.invalidSlice, dataset: dataset.key, slice: slice.label, message: "no contents codes to request")
        }
        let regions = try slice.filters[.region].map { ids throws(IngestError) in try natives(ids, .region) } ?? [table.nationalCode]
        let time: PxWebSelection.Values = slice.years.map { .items($0.years.map(String.init)) } ?? .all
        return PxWebSelection([(table.regionVariable, .items(regions)), (table.contentsVariable, .items(contents)), (table.timeVariable, time)])
    }
}
