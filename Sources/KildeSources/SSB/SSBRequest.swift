import KildeCore
import KildeUpstream

/// Outbound translation: a slice → PxWeb selections, through the registry.
enum SSBRequest {
    /// The PxWeb selection for a slice.
    static func selection(for slice: Slice, dataset: DatasetDefinition, table: SSBTable, registry: Registry) throws(IngestError) -> PxWebSelection {
        let source = dataset.sourceID
        for axis in slice.filters.keys where axis != .region && axis != .buildingType {
            throw IngestError(.invalidSlice, dataset: dataset.key, slice: slice.label, message: "SSB table \(table.tableID) has no \(axis.rawValue) axis")
        }
        // Contents: a building-type filter selects its contents code; none selects the categories without one.
        let contents: [String]
        if let bts = slice.filters[.buildingType] {
            var codes: [String] = []
            for id in bts {
                guard let f = registry.filter(id: id), f.sourceID == source, f.axis == .buildingType else {
                    throw IngestError(.filterNotInRegistry, dataset: dataset.key, slice: slice.label, message: "building_type filter \(id) is not a filter of source \(source)")
                }
                codes.append(f.nativeCode)
            }
            contents = codes
        } else {
            contents = registry.categories(source: source, dim: slice.dimCode)
                .filter { !$0.isNativeOnly && registry.filter(source: source, axis: .buildingType, nativeCode: $0.nativeAPICode) == nil }
                .map(\.nativeAPICode)
        }
        guard !contents.isEmpty else {
            throw IngestError(.invalidSlice, dataset: dataset.key, slice: slice.label, message: "no contents codes to request")
        }
        let regions: [String]
        if let ids = slice.filters[.region] {
            var codes: [String] = []
            for id in ids {
                guard let f = registry.filter(id: id), f.sourceID == source, f.axis == .region else {
                    throw IngestError(.filterNotInRegistry, dataset: dataset.key, slice: slice.label, message: "region filter \(id) is not a region of source \(source)")
                }
                codes.append(f.nativeCode)
            }
            regions = codes
        } else {
            regions = [table.nationalCode]
        }
        let time: PxWebSelection.Values = slice.years.map { .items($0.years.map(String.init)) } ?? .all
        return PxWebSelection([(table.regionVariable, .items(regions)), (table.contentsVariable, .items(contents)), (table.timeVariable, time)])
    }
}
