import KildeCore

/// The default slices of a BRIS dataset: one per mission type (the source's `fire_type` filters for the dimension;
/// BRIS is asked one mission type at a time so every row carries one), and, when the dataset's `building_types=true`,
/// each of those for all buildings (building type NULL) and for every Matrikkel group of the source. No window: a
/// yearly answer holds every year BRIS has, and the gates write only what changed.
struct BRISSlicePlan {
    let adapter: BRISAdapter

    func slices() throws(IngestError) -> [Slice] {
        let ds = adapter.dataset
        let missionTypes = applicable(.fireType)
        guard !missionTypes.isEmpty else {
            throw IngestError(.invalidSlice, dataset: ds.key,
                              message: "source \(adapter.source.key) has no fire_type filters for dim \(ds.dimCode): BRIS is asked one mission type per slice")
        }
        var buildings: [Int?] = [nil]
        if adapter.splitsBuildingTypes { buildings += applicable(.buildingType).map(Optional.some) }
        var out: [Slice] = []
        for mission in missionTypes {
            for building in buildings {
                var filters: [FilterAxis: [Int]] = [.fireType: [mission]]
                if let building { filters[.buildingType] = [building] }
                out.append(Slice(dataset: ds.key, dimCode: ds.dimCode, metric: .value, filters: filters, years: nil, table: FactTable(ds.grain)))
            }
        }
        return out
    }

    func applicable(_ axis: FilterAxis) -> [Int] {
        adapter.registry.applicableFilterIDs(source: adapter.dataset.sourceID, axis: axis, dim: adapter.dataset.dimCode)
    }
}
