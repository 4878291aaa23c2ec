import KildeCore

/// The `kommune_indicators` mart as an asset. Its inputs are the catalogue's indicators (`indicators.csv`), which
/// `migrate` loads into the store's `indicators` table: the build reads them there.
public enum KommuneIndicatorMart {
    /// The asset name, also the `dataset` of its build runs in `ingest_runs`.
    public static let asset = "mart:kommune_indicators"
}

/// One data test of a mart build.
public struct MartTestResult: Sendable, Hashable, Codable {
    /// What a failing test does to the build, as dbt's `severity`.
    public enum Severity: String, Sendable, Hashable, Codable {
        /// The build keeps the previous mart.
        case error
        /// The build is served; the failures are reported (e.g. regions the map does not draw).
        case warn
    }

    /// `not_null`, `unique_indicator_kommune_year`, `relationships_kommune_dim`, `unique_kommune_dim` or
    /// `unmatched_regions`.
    public var name: String
    /// No offending rows.
    public var passed: Bool
    /// Offending rows (or keys).
    public var failures: Int
    /// What failed, e.g. the kommune numbers missing from `kommune_dim`.
    public var detail: String
    public var severity: Severity

    public init(name: String, passed: Bool, failures: Int, detail: String, severity: Severity = .error) {
        self.name = name
        self.passed = passed
        self.failures = failures
        self.detail = detail
        self.severity = severity
    }

    /// Whether the test stops the swap: it failed and its severity is `error`.
    public var blocks: Bool { !passed && severity == .error }
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

    /// One line for a person: which tests failed and why (warnings aside).
    public var failureSummary: String? {
        let failed = tests.filter(\.blocks)
        guard !failed.isEmpty else { return nil }
        return "data tests failed, previous mart kept: " + failed.map { "\($0.name) (\($0.failures)): \($0.detail)" }.joined(separator: "; ")
    }
}

/// A row of the served `kommune_indicators` mart.
public struct KommuneIndicatorRow: Sendable, Hashable, Codable {
    public var indicator: String
    /// The kommune structure the value is drawn in (see ``KommuneSeed/structure(forYear:)``).
    public var structure: Int
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

    public init(indicator: String, structure: Int, kommuneNumber: String, kommuneName: String, fylkeNumber: String, fylkeName: String, year: Int,
                value: Double, unit: String, population: Int?, latitude: Double, longitude: Double, updatedAt: String) {
        self.indicator = indicator
        self.structure = structure
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

/// Why a value of an indicator is not drawn on a kommune of its year's structure.
public enum UnmatchedReason: String, Sendable, Hashable, Codable, CaseIterable {
    /// The whole country (stored as region NULL).
    case country
    /// A county aggregate.
    case county
    /// A region outside the kommune division (Svalbard, the continental shelf, "unknown").
    case notAKommune = "not_a_kommune"
    /// A kommune later split: its values cannot be shared out between the kommuner it became.
    case split
    /// One of kommuner later merged, with values that cannot be summed (e.g. percentages).
    case mergedNotSummable = "merged_not_summable"
    /// One of kommuner later merged, whose sum would lack a part with no value that year.
    case mergerIncomplete = "merger_incomplete"
}

/// A value of an indicator that the mart did not draw on a kommune, with the reason: reported by the build's
/// `unmatched_regions` test and listed by the map, never silently dropped.
public struct UnmatchedRegion: Sendable, Hashable, Codable {
    public var indicator: String
    public var year: Int
    /// The structure the year is drawn in.
    public var structure: Int?
    /// The region's native code; `nil` for the whole country.
    public var code: String?
    /// The region's name in the catalogue; `nil` for the whole country.
    public var name: String?
    public var reason: UnmatchedReason
    /// For a kommune of an earlier structure, the structure's kommune its area belongs to.
    public var target: String?
    public var value: Double

    public init(indicator: String, year: Int, structure: Int?, code: String?, name: String?, reason: UnmatchedReason, target: String?, value: Double) {
        self.indicator = indicator
        self.year = year
        self.structure = structure
        self.code = code
        self.name = name
        self.reason = reason
        self.target = target
        self.value = value
    }
}
