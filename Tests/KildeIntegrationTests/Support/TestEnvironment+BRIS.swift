import KildeCore
import KildeSimulator
@testable import KildeStore

extension TestEnvironment {
    /// What the simulated BRIS holds for a slice, per `cat|period`, computed from its generator (not through the
    /// adapter): every answer label of the dataset's question, mapped to its category by the catalogue, summed per
    /// year (yearly datasets) or per day.
    func brisCells(_ slice: Slice, revised: Bool, moved: [CivilDate: Int] = [:]) throws -> [String: Double] {
        let ds = try dataset(slice.dataset)
        let generator = BRISGenerator()
        guard let id = ds.options["question"].flatMap(Int.init), let question = generator.vocabulary.question(id) else {
            throw TestFailure("\(ds.key) asks no simulated question")
        }
        func natives(_ axis: FilterAxis) -> [String]? {
            slice.filters[axis].map { registry.nativeCodes(ofFilters: $0, source: ds.sourceID, axis: axis).codes }
        }
        let years = slice.years ?? YearWindow(first: BRISGenerator.years.lowerBound, last: BRISGenerator.years.upperBound)
        guard let first = CivilDate(year: years.first, month: 1, day: 1), let last = CivilDate(year: years.last, month: 12, day: 31) else {
            throw TestFailure("no dates for \(years)")
        }
        var out: [String: Double] = [:]
        for label in question.labels {
            guard let category = registry.category(source: ds.sourceID, dim: ds.dimCode, nativeAPICode: label) else { continue }
            let days = generator.daily(question: question, label: label, missionTypes: natives(.fireType), groups: natives(.buildingType),
                                       from: first, through: last, revised: revised, moved: moved)
            for (i, n) in days.enumerated() where n > 0 {
                let day = CivilDate(daysSinceEpoch: first.daysSinceEpoch + i)
                out["\(category.catCode)|\(slice.table == .yearly ? String(day.year) : day.description)", default: 0] += Double(n)
            }
        }
        return out
    }

    /// The missions of a slice that answer nothing (BRIS's `-1` bucket), per year, from the generator.
    func brisMissingAnswers(_ slice: Slice) throws -> [Int: Double] {
        let ds = try dataset(slice.dataset)
        let generator = BRISGenerator()
        guard let id = ds.options["question"].flatMap(Int.init), let question = generator.vocabulary.question(id),
              let first = CivilDate(year: BRISGenerator.years.lowerBound, month: 1, day: 1),
              let last = CivilDate(year: BRISGenerator.years.upperBound, month: 12, day: 31) else { throw TestFailure("no question") }
        func natives(_ axis: FilterAxis) -> [String]? {
            slice.filters[axis].map { registry.nativeCodes(ofFilters: $0, source: ds.sourceID, axis: axis).codes }
        }
        let days = generator.daily(question: question, label: "-1", missionTypes: natives(.fireType), groups: natives(.buildingType),
                                   from: first, through: last, revised: false)
        var out: [Int: Double] = [:]
        for (i, n) in days.enumerated() where n > 0 { out[CivilDate(daysSinceEpoch: first.daysSinceEpoch + i).year, default: 0] += Double(n) }
        return out
    }

    /// The stored facts of a slice, per `cat|period`.
    func storedCells(_ slice: Slice) async throws -> [String: Double] {
        let ds = try dataset(slice.dataset)
        let rows = try await store.queryFacts(FactQuery(sourceID: ds.sourceID, dimCode: slice.dimCode, filters: slice.filters,
                                                        grain: slice.table == .daily ? .day : .year))
        var out: [String: Double] = [:]
        for r in rows { out["\(r.catCode)|\(r.period)"] = r.value }
        return out
    }

    /// `source_totals` of a slice: year (0 = the grand total) → total.
    func sourceTotals(_ slice: Slice) async throws -> [Int: Double] {
        guard let db = (store as? any SQLFactStore)?.database else { throw TestFailure("not an SQL store") }
        let rows = try await db.execute("SELECT year, total FROM source_totals WHERE slice_key = ?", [.text(slice.stateKey)])
        var out: [Int: Double] = [:]
        for r in rows { out[r.int("year") ?? -1] = r.double("total") }
        return out
    }
}
