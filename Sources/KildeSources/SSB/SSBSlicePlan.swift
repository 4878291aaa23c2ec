import KildeCore

/// The default slices of an SSB kommune table: for each building-type choice (the table's contents
/// codes with and without a building-type filter), the whole country (region NULL) and every
/// catalogued region of the source in one request.
enum SSBSlicePlan {
    static func defaultSlices(dataset: DatasetDefinition, table: SSBTable, registry: Registry, years: YearWindow?) throws(IngestError) -> [Slice] {
        let categories = registry.categories(source: dataset.sourceID, dim: dataset.dimCode).filter { !$0.isNativeOnly }
        guard !categories.isEmpty else {
            throw IngestError(.invalidSlice, dataset: dataset.key, message: "the catalogue has no stored categories for dim \(dataset.dimCode)")
        }
        // Building-type choices: each filter some category's contents code stands for, plus NULL when a category has none.
        var buildingTypes: [[Int]?] = []
        for c in categories {
            let choice = registry.filter(source: dataset.sourceID, axis: .buildingType, nativeCode: c.nativeAPICode).map { [$0.id] }
            if !buildingTypes.contains(where: { $0 == choice }) { buildingTypes.append(choice) }
        }
        let regions = registry.filters(source: dataset.sourceID, axis: .region).filter { $0.applicableDimCodes.contains(dataset.dimCode) }.map(\.id)
        var slices: [Slice] = []
        for bt in buildingTypes {
            for region in [nil] + (regions.isEmpty ? [] : [regions]) {
                var filters: [FilterAxis: [Int]] = [:]
                if let bt { filters[.buildingType] = bt }
                if let region { filters[.region] = region }
                slices.append(Slice(dataset: dataset.key, dimCode: dataset.dimCode, metric: .value, filters: filters, years: years))
            }
        }
        return slices
    }
}
