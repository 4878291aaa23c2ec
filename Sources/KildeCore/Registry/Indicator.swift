/// A kommune indicator: one stored category of a dataset, read per kommune by the `kommune_indicators` mart and
/// drawn by the map (`indicators.csv`).
///
/// The facts read are the category's atoms whose region is a kommune, whose axes named in ``filters`` carry those
/// filters and whose other axes are NULL (the upstream total on them).
public struct Indicator: Sendable, Hashable, Codable {
    /// Stable key, used in URLs and as the mart's `indicator` column, e.g. `ssb-08764`.
    public var key: String
    /// The dataset whose facts the indicator reads, e.g. `ssb-08764`.
    public var dataset: String
    public var catCode: Int
    /// Native codes of the filters the indicator's facts carry, per axis other than the region
    /// (e.g. building type `KOSboligbranner0000`); an axis not named is NULL.
    public var filters: [FilterAxis: String]
    /// What a value counts or measures: the catalogue's, else the category's (`count`, `percent`, …). Only
    /// counts are summed over merged kommuner and shown per 1,000 inhabitants.
    public var unit: String
    public var title: String
    public var sortOrder: Int
    /// The indicator the map shows when none is asked for.
    public var isDefault: Bool

    public init(key: String, dataset: String, catCode: Int, filters: [FilterAxis: String] = [:], unit: String, title: String,
                sortOrder: Int, isDefault: Bool = false) {
        self.key = key
        self.dataset = dataset
        self.catCode = catCode
        self.filters = filters
        self.unit = unit
        self.title = title
        self.sortOrder = sortOrder
        self.isDefault = isDefault
    }

    /// The unit of a count: values can be summed and divided by a population.
    public static let countUnit = "count"

    /// Whether values can be summed over kommuner and shown per 1,000 inhabitants.
    public var isCount: Bool { unit == Self.countUnit }
}
