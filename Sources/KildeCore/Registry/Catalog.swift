/// The catalogue as plain data: every source, dimension, category, filter and dataset Kilde knows.
///
/// A catalogue is loaded from versioned CSV files (see ``CatalogFiles``) and is the only input
/// the ``Registry`` is built from. Adding a category or a filter is a data change.
public struct Catalog: Sendable, Hashable, Codable {
    public var sources: [Source]
    public var dimensions: [Dimension]
    public var categories: [Category]
    public var filters: [Filter]
    public var datasets: [DatasetDefinition]
    /// The kommune indicators of the map and the `kommune_indicators` mart.
    public var indicators: [Indicator]

    public init(
        sources: [Source] = [], dimensions: [Dimension] = [], categories: [Category] = [],
        filters: [Filter] = [], datasets: [DatasetDefinition] = [], indicators: [Indicator] = []
    ) {
        self.sources = sources
        self.dimensions = dimensions
        self.categories = categories
        self.filters = filters
        self.datasets = datasets
        self.indicators = indicators
    }
}

/// One upstream publisher and endpoint family, e.g. `ssb`.
public struct Source: Sendable, Hashable, Codable {
    public var id: Int
    public var key: String
    public var name: String
    public var publisher: String
    /// The credit line shown wherever a person sees this source's data.
    public var attribution: String
    public var url: String
    /// Whether the source publishes sub-year (daily) data.
    public var supportsSubyear: Bool
    /// Requests per minute Kilde may send to the source's host; `nil` leaves the fetcher's default.
    public var rateLimitPerMinute: Int?
    /// Options of the source's adapter kind, e.g. a PxWeb host's `api=v2;language=no;cell_limit=800000`.
    public var options: AdapterOptions

    public init(id: Int, key: String, name: String, publisher: String, attribution: String, url: String, supportsSubyear: Bool,
                rateLimitPerMinute: Int? = nil, options: AdapterOptions = AdapterOptions()) {
        self.id = id
        self.key = key
        self.name = name
        self.publisher = publisher
        self.attribution = attribution
        self.url = url
        self.supportsSubyear = supportsSubyear
        self.rateLimitPerMinute = rateLimitPerMinute
        self.options = options
    }
}

/// An analytical breakdown, e.g. 5 Bygningstype.
public struct Dimension: Sendable, Hashable, Codable {
    public var code: Int
    public var name: String
    public var description: String

    public init(code: Int, name: String, description: String) {
        self.code = code
        self.name = name
        self.description = description
    }
}

/// One value of a dimension, scoped to a source.
public struct Category: Sendable, Hashable, Codable {
    public var sourceID: Int
    public var dimCode: Int
    public var catCode: Int
    /// The upstream's own identifier, e.g. an SSB `ContentsCode`.
    public var nativeAPICode: String
    /// The upstream label; unique per `(source, dimension)`.
    public var nativeName: String
    public var name: String
    /// The cross-source bridge code.
    public var standardCode: String?
    public var sortOrder: Int
    /// Read live only, never written to facts (dim 7 Nøkkeltall).
    public var isNativeOnly: Bool
    /// What a value counts or measures, e.g. `count`, `percent`, `NOK 1000`; `nil` when unknown.
    public var unit: String?
    /// Whether the code was checked against the live upstream. An unverified code that the upstream does not
    /// offer fails its slice, naming the code and the codes on offer.
    public var verified: Bool

    public init(
        sourceID: Int, dimCode: Int, catCode: Int, nativeAPICode: String, nativeName: String, name: String,
        standardCode: String?, sortOrder: Int, isNativeOnly: Bool, unit: String? = nil, verified: Bool = true
    ) {
        self.sourceID = sourceID
        self.dimCode = dimCode
        self.catCode = catCode
        self.nativeAPICode = nativeAPICode
        self.nativeName = nativeName
        self.name = name
        self.standardCode = standardCode
        self.sortOrder = sortOrder
        self.isNativeOnly = isNativeOnly
        self.unit = unit
        self.verified = verified
    }
}

/// A filter axis: each is a nullable FK column on facts.
public enum FilterAxis: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case fireType = "fire_type"
    case buildingType = "building_type"
    case buildingAge = "building_age"
    case region

    /// The fact column holding this axis.
    public var column: String {
        switch self {
        case .fireType: "fire_type_code"
        case .buildingType: "building_type_code"
        case .buildingAge: "building_age_code"
        case .region: "region_code"
        }
    }

    public static func < (lhs: FilterAxis, rhs: FilterAxis) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// What kind of area a region code names.
public enum RegionLevel: String, Sendable, Hashable, Codable, CaseIterable {
    /// The whole country (usually stored as region NULL, the upstream total).
    case country
    /// A county: a Norwegian fylke, a Swedish län.
    case county
    /// A municipality: a Norwegian kommune, a Swedish kommun.
    case municipality
}

/// The finest period a dataset publishes.
public enum TimeGrain: String, Sendable, Hashable, Codable, CaseIterable {
    case year, quarter, month, week, day

    /// Whether the dataset's facts are sub-year (stored in `fact_daily`, dated by the period's first day).
    public var isSubyear: Bool { self != .year }
}

/// One filter value on one axis, scoped to a source.
public struct Filter: Sendable, Hashable, Codable {
    public var id: Int
    public var sourceID: Int
    public var axis: FilterAxis
    /// The upstream's identifier, e.g. a kommune number `0301` or `EKA03`.
    public var nativeCode: String
    public var nativeName: String
    /// The cross-source bridge, e.g. the 2-digit county for SSB regions.
    public var standardCode: String?
    /// Dimensions whose facts may carry this filter; enforced by the store.
    public var applicableDimCodes: [Int]
    public var sortOrder: Int
    /// On the region axis, what kind of area the code names (a kommune is `.municipality`); `nil` on other axes.
    public var level: RegionLevel?
    /// The first year the code is in use (`nil`: since before any data); kommune codes change with mergers.
    public var validFrom: Int?
    /// The last year the code is in use (`nil`: still in use).
    public var validTo: Int?

    public init(
        id: Int, sourceID: Int, axis: FilterAxis, nativeCode: String, nativeName: String, standardCode: String?,
        applicableDimCodes: [Int], sortOrder: Int, level: RegionLevel? = nil, validFrom: Int? = nil, validTo: Int? = nil
    ) {
        self.id = id
        self.sourceID = sourceID
        self.axis = axis
        self.nativeCode = nativeCode
        self.nativeName = nativeName
        self.standardCode = standardCode
        self.applicableDimCodes = applicableDimCodes
        self.sortOrder = sortOrder
        self.level = level
        self.validFrom = validFrom
        self.validTo = validTo
    }

    /// Whether the code is in use in `year`.
    public func isValid(in year: Int) -> Bool { inUse(year, from: validFrom, to: validTo) }
}

/// Whether `year` lies in a code's years of use, either end open when `nil`.
func inUse(_ year: Int, from: Int?, to: Int?) -> Bool {
    (from.map { year >= $0 } ?? true) && (to.map { year <= $0 } ?? true)
}

/// One thing a source publishes that Kilde ingests, e.g. SSB table 12058.
public struct DatasetDefinition: Sendable, Hashable, Codable {
    /// Stable key used on the command line, e.g. `ssb-12058`.
    public var key: String
    public var sourceID: Int
    /// The adapter kind that fetches and transforms this dataset, e.g. `pxweb`.
    public var adapter: String
    /// Options of the adapter kind for this dataset, e.g. a PxWeb table's region and time variables.
    public var options: AdapterOptions
    /// The finest period the dataset publishes: `year` data goes to `fact_yearly`, finer grains to `fact_daily`.
    public var grain: TimeGrain
    /// The credit line shown with this dataset's data, e.g. "Kilde: Statistisk sentralbyrå, tabell 08764";
    /// `nil` uses the source's. Read it through ``Registry/attribution(dataset:)``.
    public var attribution: String?
    /// The upstream's table or endpoint id, e.g. `12058`.
    public var tableID: String
    public var title: String
    public var dimCode: Int
    /// Cron schedule, e.g. `0 4 15 3 *`.
    public var schedule: String
    /// After how many months without a new materialisation the asset is stale.
    public var freshnessMonths: Int
    /// Whether `kilde up` ingests this dataset.
    public var isDefault: Bool

    public init(
        key: String, sourceID: Int, adapter: String, tableID: String, title: String, dimCode: Int,
        schedule: String, freshnessMonths: Int, isDefault: Bool, options: AdapterOptions = AdapterOptions(), grain: TimeGrain = .year,
        attribution: String? = nil
    ) {
        self.key = key
        self.sourceID = sourceID
        self.adapter = adapter
        self.options = options
        self.grain = grain
        self.attribution = attribution
        self.tableID = tableID
        self.title = title
        self.dimCode = dimCode
        self.schedule = schedule
        self.freshnessMonths = freshnessMonths
        self.isDefault = isDefault
    }
}
