import KildeCore

/// A read of atoms from `fact_yearly` (or `fact_daily`), NULL-as-ALL on omitted axes.
public struct FactQuery: Sendable, Hashable {
    public enum Grain: String, Sendable { case year, day }

    public var sourceID: Int?
    public var dimCode: Int?
    public var catCodes: [Int]?
    /// Per axis: absent = `IS NULL` unless the axis is in ``anyAxes``; present = `IN (ids)`.
    public var filters: [FilterAxis: [Int]]
    /// Axes on which any value (including NULL) matches; used by `kilde query --all-regions`.
    public var anyAxes: Set<FilterAxis>
    public var years: YearWindow?
    public var grain: Grain
    public var limit: Int?

    public init(sourceID: Int? = nil, dimCode: Int? = nil, catCodes: [Int]? = nil, filters: [FilterAxis: [Int]] = [:],
                anyAxes: Set<FilterAxis> = [], years: YearWindow? = nil, grain: Grain = .year, limit: Int? = nil) {
        self.sourceID = sourceID
        self.dimCode = dimCode
        self.catCodes = catCodes
        self.filters = filters
        self.anyAxes = anyAxes
        self.years = years
        self.grain = grain
        self.limit = limit
    }
}

/// One fact with its labels resolved through the registry tables.
public struct FactRow: Sendable, Hashable, Codable {
    public var sourceKey: String
    public var dimCode: Int
    public var catCode: Int
    public var category: String
    public var period: String
    public var fireType: String?
    public var buildingType: String?
    public var region: String?
    public var regionCode: String?
    public var buildingAge: String?
    public var value: Double?
    public var valueKr: Double?
    public var ingestedAt: String
}
