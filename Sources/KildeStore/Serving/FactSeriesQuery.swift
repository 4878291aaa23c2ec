import KildeCore

/// The time grain of a facts read (SPEC §7): `year` reads `fact_yearly` only; the others read `fact_daily` only.
public enum Granularity: String, Sendable, Hashable, Codable, CaseIterable {
    case year, quarter, month, week, day

    /// Whether this grain needs daily facts (and so a source with `supports_subyear`).
    public var isSubyear: Bool { self != .year }

    /// The grain a dataset publishes, as a read's.
    public init(_ grain: TimeGrain) {
        self = Granularity(rawValue: grain.rawValue) ?? .year
    }
}

/// A read of the read API's `/v1/facts`: atoms summed per category, period and filter values, NULL-as-ALL on
/// omitted axes, OR within an axis (any of the ids), AND across axes.
public struct FactSeriesQuery: Sendable, Hashable {
    public var sourceID: Int
    public var dimCode: Int
    public var catCodes: [Int]?
    /// Per axis the filter ids that match; an absent axis means `IS NULL` (the upstream total on that axis).
    public var filters: [FilterAxis: [Int]]
    public var years: YearWindow?
    public var granularity: Granularity
    public var metric: Metric
    /// At most this many rows; one more is read to tell whether the answer was cut.
    public var limit: Int

    public init(sourceID: Int, dimCode: Int, catCodes: [Int]? = nil, filters: [FilterAxis: [Int]] = [:], years: YearWindow? = nil,
                granularity: Granularity = .year, metric: Metric = .value, limit: Int = 10_000) {
        self.sourceID = sourceID
        self.dimCode = dimCode
        self.catCodes = catCodes
        self.filters = filters
        self.years = years
        self.granularity = granularity
        self.metric = metric
        self.limit = limit
    }

    /// The atom conditions, shared with ``FactQuery``.
    var factQuery: FactQuery {
        FactQuery(sourceID: sourceID, dimCode: dimCode, catCodes: catCodes, filters: filters, years: years,
                  grain: granularity.isSubyear ? .day : .year)
    }

    var table: String { granularity.isSubyear ? "fact_daily" : "fact_yearly" }

    /// The axes whose value differs between rows of the answer, the only ones read from the store: an omitted axis
    /// is `IS NULL` in every row, and an axis filtered on one value has that value in every row.
    var varyingAxes: [FilterAxis] { FilterAxis.allCases.filter { (filters[$0]?.count ?? 0) > 1 } }
}

/// A filter value on a result row.
public struct FilterValue: Sendable, Hashable, Codable {
    public var id: Int
    public var code: String
    public var name: String

    public init(id: Int, code: String, name: String) {
        self.id = id
        self.code = code
        self.name = name
    }
}

/// The filter value per axis of one result row: four optional slots rather than a dictionary, because a read of a
/// few hundred rows would otherwise build and hash a dictionary per row.
public struct FilterValues: Sendable, Hashable, Codable, ExpressibleByDictionaryLiteral {
    public var fireType: FilterValue?
    public var buildingType: FilterValue?
    public var buildingAge: FilterValue?
    public var region: FilterValue?

    public init() {}

    public init(dictionaryLiteral elements: (FilterAxis, FilterValue)...) {
        for (axis, value) in elements { self[axis] = value }
    }

    public subscript(axis: FilterAxis) -> FilterValue? {
        get {
            switch axis {
            case .fireType: fireType
            case .buildingType: buildingType
            case .buildingAge: buildingAge
            case .region: region
            }
        }
        set {
            switch axis {
            case .fireType: fireType = newValue
            case .buildingType: buildingType = newValue
            case .buildingAge: buildingAge = newValue
            case .region: region = newValue
            }
        }
    }
}

/// One row of a facts read: a category's summed metric in one period for one combination of filter values.
public struct FactSeriesRow: Sendable, Hashable, Codable {
    public var catCode: Int
    public var category: String
    public var period: String
    /// The filter value per axis; an axis absent here was NULL (not filtered).
    public var filters: FilterValues
    public var value: Double

    public init(catCode: Int, category: String, period: String, filters: FilterValues, value: Double) {
        self.catCode = catCode
        self.category = category
        self.period = period
        self.filters = filters
        self.value = value
    }
}

/// The answer to a ``FactSeriesQuery``.
public struct FactSeries: Sendable, Hashable {
    public var rows: [FactSeriesRow]
    /// More rows matched than the query's limit.
    public var truncated: Bool

    public init(rows: [FactSeriesRow], truncated: Bool) {
        self.rows = rows
        self.truncated = truncated
    }
}

/// Sums computed on read over every row a ``FactSeriesQuery`` matches (not only the returned ones).
public struct FactTotals: Sendable, Hashable {
    public struct CategoryTotal: Sendable, Hashable, Codable {
        public var catCode: Int
        public var category: String
        public var value: Double

        public init(catCode: Int, category: String, value: Double) {
            self.catCode = catCode
            self.category = category
            self.value = value
        }
    }

    public struct PeriodTotal: Sendable, Hashable, Codable {
        public var period: String
        public var value: Double

        public init(period: String, value: Double) {
            self.period = period
            self.value = value
        }
    }

    public var byCategory: [CategoryTotal]
    public var byPeriod: [PeriodTotal]

    public init(byCategory: [CategoryTotal], byPeriod: [PeriodTotal]) {
        self.byCategory = byCategory
        self.byPeriod = byPeriod
    }
}
