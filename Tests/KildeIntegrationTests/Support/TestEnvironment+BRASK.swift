import KildeCore
import KildeSimulator
@testable import KildeStore

extension TestEnvironment {
    /// What the simulated BRASK holds for a slice, per `cat|period`, computed from its generator (not through the
    /// adapter or the pages): every fire of every day in the slice's window with the slice's fire type, næring and
    /// bygningsalder, counted (`value`) or its damage summed (`value_kr`), under the category whose
    /// `native_api_code` is the fire's value of the dataset's row dimension; `revisions` are the simulator's moved days.
    func braskCells(_ slice: Slice, revisions: [CivilDate: Int] = [:]) throws -> [String: Double] {
        let ds = try dataset(slice.dataset)
        guard let row = ds.options["row"].flatMap(BRASKVocabulary.Dimension.init(rawValue:)) else { throw TestFailure("\(ds.key) has no BRASK row") }
        let fires = sim.simulator.brask.fires
        func native(_ axis: FilterAxis) -> String? {
            slice.filters[axis].flatMap { registry.nativeCodes(ofFilters: $0, source: ds.sourceID, axis: axis).codes.first }
        }
        let wanted: [(BRASKVocabulary.Dimension, String)] = [(.fireType, native(.fireType)), (.sector, native(.buildingType)),
                                                              (.buildingAge, native(.buildingAge))].compactMap { d, v in v.map { (d, $0) } }
        let years = slice.years.map { $0.years } ?? fires.years
        var out: [String: Double] = [:]
        for year in years where fires.years.contains(year) {
            for month in 1...12 {
                for day in 1...31 {
                    guard let date = CivilDate(year: year, month: month, day: day) else { continue }
                    for fire in fires.fires(on: date, revision: revisions[date] ?? 0) where wanted.allSatisfy({ fire.value($0.0) == $0.1 }) {
                        guard let category = registry.category(source: ds.sourceID, dim: ds.dimCode, nativeAPICode: fire.value(row)) else {
                            throw TestFailure("no category for \(row.rawValue) \(fire.value(row))")
                        }
                        let period = slice.table == .daily ? date.description : String(year)
                        out["\(category.catCode)|\(period)", default: 0] += slice.metric == .value ? 1 : Double(fire.damage)
                    }
                }
            }
        }
        return out
    }

    /// The stored facts of a slice's keys, per `cat|period`: both metrics.
    func storedMetrics(_ slice: Slice) async throws -> [String: (value: Double?, valueKr: Double?)] {
        let ds = try dataset(slice.dataset)
        let rows = try await store.queryFacts(FactQuery(sourceID: ds.sourceID, dimCode: slice.dimCode, filters: slice.filters,
                                                        years: slice.years, grain: slice.table == .daily ? .day : .year))
        var out: [String: (value: Double?, valueKr: Double?)] = [:]
        for r in rows { out["\(r.catCode)|\(r.period)"] = (r.value, r.valueKr) }
        return out
    }
}
