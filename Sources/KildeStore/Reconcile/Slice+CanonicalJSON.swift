import Foundation
import KildeCore

extension Slice {
    /// The slice its canonical JSON (``Slice/canonicalJSON``) describes; `nil` when `text` is not such a text.
    /// Reconciliation reads slices back from the keys `source_totals` and the runs' `slice_config` keep.
    init?(canonicalJSON text: String) {
        guard let c = try? JSONDecoder().decode(CanonicalSlice.self, from: Data(text.utf8)), let slice = c.slice else { return nil }
        self = slice
    }

    /// The slices of a run's `slice_config` (`{"dataset":…,"slices":[…]}`); empty when it is not one.
    static func slices(runConfig text: String) -> [Slice] {
        guard let c = try? JSONDecoder().decode(RunConfig.self, from: Data(text.utf8)) else { return [] }
        return c.slices.compactMap(\.slice)
    }
}

private struct RunConfig: Decodable {
    var slices: [CanonicalSlice]
}

/// The members of ``Slice/canonicalJSON``, as written there.
private struct CanonicalSlice: Decodable {
    var dataset: String
    var dim_code: Int
    var metric: Metric
    var filters: [String: [Int]?]
    var years: [Int]?
    var table: FactTable?

    var slice: Slice? {
        var out: [FilterAxis: [Int]] = [:]
        for (name, ids) in filters {
            guard let axis = FilterAxis(rawValue: name) else { return nil }
            if let ids { out[axis] = ids }
        }
        var window: YearWindow?
        if let years {
            guard years.count == 2 else { return nil }
            window = YearWindow(first: years[0], last: years[1])
        }
        return Slice(dataset: dataset, dimCode: dim_code, metric: metric, filters: out, years: window, table: table ?? .yearly)
    }
}
