import KildeCore

/// One indicator source of the `indicator_values` union: a stored category read per kommune.
///
/// Like Atlas's per-source dbt models: same columns, different source. Rows are the category's atoms whose
/// region is a kommune and whose other filter axes are NULL (the upstream total on those axes).
public struct IndicatorDefinition: Sendable, Hashable, Codable {
    /// The mart's `indicator` column: the dataset key, e.g. `ssb-08764` (Atlas's `source_id`).
    public var key: String
    public var dataset: String
    public var sourceID: Int
    public var dimCode: Int
    public var catCode: Int
    public var unit: String
    public var title: String

    public init(key: String, dataset: String, sourceID: Int, dimCode: Int, catCode: Int, unit: String, title: String) {
        self.key = key
        self.dataset = dataset
        self.sourceID = sourceID
        self.dimCode = dimCode
        self.catCode = catCode
        self.unit = unit
        self.title = title
    }
}

/// The `kommune_indicators` mart: its inputs and its name as an asset.
public enum KommuneIndicatorMart {
    /// The asset name, also the `dataset` of its build runs in `ingest_runs`.
    public static let asset = "mart:kommune_indicators"

    /// The indicator sources, in display order (08764 first).
    public static let indicators: [IndicatorDefinition] = [
        IndicatorDefinition(key: "ssb-08764", dataset: "ssb-08764", sourceID: 5, dimCode: 100, catCode: 10003, unit: "percent",
                            title: "Andel barn i lavinntektshusholdninger (EU-60)"),
        IndicatorDefinition(key: "ssb-12058", dataset: "ssb-12058", sourceID: 5, dimCode: 5, catCode: 502, unit: "count",
                            title: "Bygningsbranner"),
    ]

    /// Whether a materialisation of `dataset` feeds this mart.
    public static func isInput(_ dataset: String) -> Bool { indicators.contains { $0.dataset == dataset } }

    public static func indicator(_ key: String) -> IndicatorDefinition? { indicators.first { $0.key == key } }
}

/// One data test of a mart build.
public struct MartTestResult: Sendable, Hashable, Codable {
    /// `not_null`, `unique_indicator_kommune_year`, `relationships_kommune_dim` or `unique_kommune_dim`.
    public var name: String
    public var passed: Bool
    /// Offending rows (or keys).
    public var failures: Int
    /// What failed, e.g. the kommune numbers missing from `kommune_dim`.
    public var detail: String

    public init(name: String, passed: Bool, failures: Int, detail: String) {
        self.name = name
        self.passed = passed
        self.failures = failures
        self.detail = detail
    }
}

/// What a mart build did.
public struct MartBuildReport: Sendable, Hashable {
    /// The build's row in `ingest_runs`.
    public var runID: Int64
    /// Every test passed and the staging tables were swapped in.
    public var swapped: Bool
    /// Rows the build produced (served only when ``swapped``).
    public var rows: Int
    public var tests: [MartTestResult]
    public var seedVersion: String

    public init(runID: Int64, swapped: Bool, rows: Int, tests: [MartTestResult], seedVersion: String) {
        self.runID = runID
        self.swapped = swapped
        self.rows = rows
        self.tests = tests
        self.seedVersion = seedVersion
    }

    /// One line for a person: which tests failed and why.
    public var failureSummary: String? {
        let failed = tests.filter { !$0.passed }
        guard !failed.isEmpty else { return nil }
        return "data tests failed, previous mart kept: " + failed.map { "\($0.name) (\($0.failures)): \($0.detail)" }.joined(separator: "; ")
    }
}

/// A row of the served `kommune_indicators` mart.
public struct KommuneIndicatorRow: Sendable, Hashable, Codable {
    public var indicator: String
    public var kommuneNumber: String
    public var kommuneName: String
    public var fylkeNumber: String
    public var fylkeName: String
    public var year: Int
    public var value: Double
    public var unit: String
    public var population: Int?
    public var latitude: Double
    public var longitude: Double
    public var updatedAt: String

    public init(indicator: String, kommuneNumber: String, kommuneName: String, fylkeNumber: String, fylkeName: String, year: Int,
                value: Double, unit: String, population: Int?, latitude: Double, longitude: Double, updatedAt: String) {
        self.indicator = indicator
        self.kommuneNumber = kommuneNumber
        self.kommuneName = kommuneName
        self.fylkeNumber = fylkeNumber
        self.fylkeName = fylkeName
        self.year = year
        self.value = value
        self.unit = unit
        self.population = population
        self.latitude = latitude
        self.longitude = longitude
        self.updatedAt = updatedAt
    }
}
