import KildeCore

/// The default slices of a PxWeb dataset: for each choice of category-coded filters (a category that stands for a
/// filter value, such as 12058's `KOSboligbranner0000` for building type RESIDENTIAL, or the categories that stand
/// for none), the whole country (region NULL, when the table has a national code) and every catalogued region of
/// the source for the dataset's dimension, in one slice.
struct PxWebSlicePlan {
    let adapter: PxWebAdapter

    func slices(years: YearWindow?) throws(IngestError) -> [Slice] {
        let ds = adapter.dataset
        let categories = adapter.storedCategories
        guard !categories.isEmpty else {
            throw IngestError(.invalidSlice, dataset: ds.key, message: "the catalogue has no stored categories for dim \(ds.dimCode)")
        }
        var choices: [[FilterAxis: [Int]]] = []
        for c in categories {
            let choice = adapter.filters(standingFor: c).mapValues { [$0] }
            if !choices.contains(choice) { choices.append(choice) }
        }
        var regions: [[Int]?] = []
        if adapter.table.nationalCode != nil { regions.append(nil) }
        if adapter.table.regionVariable != nil {
            let ids = adapter.registry.filters(source: ds.sourceID, axis: .region).filter { $0.applicableDimCodes.contains(ds.dimCode) }.map(\.id)
            if !ids.isEmpty { regions.append(ids) }
        }
        if adapter.table.regionVariable == nil { regions = [nil] }
        var slices: [Slice] = []
        for choice in choices {
            for region in regions {
                var filters = choice
                if let region { filters[.region] = region }
                slices.append(Slice(dataset: ds.key, dimCode: ds.dimCode, metric: .value, filters: filters, years: years, table: FactTable(ds.grain)))
            }
        }
        return slices
    }
}

extension PxWebAdapter {
    /// The dataset dimension's categories that are stored (not native-only), in sort order.
    var storedCategories: [Category] {
        registry.categories(source: dataset.sourceID, dim: dataset.dimCode).filter { !$0.isNativeOnly }
    }

    /// The filters a category stands for on axes other than region: a filter of the source whose native code is the
    /// category's code (12058's contents code for residential fires is the building type RESIDENTIAL).
    func filters(standingFor category: Category) -> [FilterAxis: Int] {
        var out: [FilterAxis: Int] = [:]
        for axis in FilterAxis.allCases where axis != .region {
            if let f = registry.filter(source: dataset.sourceID, axis: axis, nativeCode: category.nativeAPICode) { out[axis] = f.id }
        }
        return out
    }
}
