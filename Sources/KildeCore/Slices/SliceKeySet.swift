/// The facts a slice covers: its source, dimension, and per axis either NULL or a set of filter ids.
public struct SliceKeySet: Sendable, Hashable {
    public var sourceID: Int
    public var dimCode: Int
    /// Per axis: absent = `IS NULL`; present = `IN (ids)`.
    public var filters: [FilterAxis: [Int]]
    public var years: YearWindow?
    /// The table the keys are in.
    public var table: FactTable

    public init(sourceID: Int, dimCode: Int, filters: [FilterAxis: [Int]], years: YearWindow?, table: FactTable = .yearly) {
        self.sourceID = sourceID
        self.dimCode = dimCode
        self.filters = filters
        self.years = years
        self.table = table
    }

    /// The key set of a slice of a dataset of `sourceID`.
    public init(slice: Slice, sourceID: Int) {
        self.init(sourceID: sourceID, dimCode: slice.dimCode, filters: slice.filters, years: slice.years, table: slice.table)
    }

    /// Whether a fact key belongs to this key set.
    public func contains(_ key: FactKey) -> Bool {
        guard key.sourceID == sourceID, key.dimCode == dimCode else { return false }
        switch (key.period, table) {
        case (.year, .yearly), (.day, .daily): break
        default: return false
        }
        if let years, !years.contains(key.period.year) { return false }
        for axis in FilterAxis.allCases {
            let v = key.filter(axis)
            if let ids = filters[axis] {
                guard let v, ids.contains(v) else { return false }
            } else if v != nil {
                return false
            }
        }
        return true
    }
}
