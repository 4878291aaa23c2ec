import Hummingbird
import KildeCore
import KildeStore

/// `GET /v1/compare` and `/explore/compare` parameters: one `standard_code` and the period to compare it over.
struct CompareRequest {
    static let parameters: Set<String> = ["category", "years", "granularity", "metric"]

    /// The standard code compared, e.g. `RESIDENTIAL`; `nil` when the page was opened without one.
    var code: String?
    var years: YearWindow?
    var granularity: Granularity
    var metric: Metric

    /// - Parameter required: whether `category` must be given (the API); the page shows its form without one.
    init(_ request: Request, registry: Registry, required: Bool) throws(APIError) {
        let p = try QueryParameters(request, allowed: Self.parameters)
        code = try p.one("category")
        if required && code == nil {
            let example = registry.catalog.filters.first { $0.axis != .region && $0.standardCode != nil }?.standardCode
            throw .invalidParameter("category", "'category' is required: a standard code of a category or filter"
                                        + (example.map { ", e.g. category=\($0)" } ?? ""))
        }
        years = try p.years()
        granularity = try p.choice("granularity", Granularity.self) ?? .year
        metric = try p.choice("metric", Metric.self) ?? .value
    }
}

/// One standard code read from every dataset that has it, one series per dataset: the query path the compare page and
/// `GET /v1/compare` share.
///
/// Per dataset the code selects categories of the dataset's dimension, filters of one axis, or both (whatever carries
/// the code in the catalogue). The other axes are read at the coarsest level the store holds for that selection
/// (``StoredLevel/coarsest(_:)``): the NULL-as-ALL total where the source has one, else the sum of the axis's values
/// (a source that publishes one slice per value and no total; values that nest, as regions, at their coarsest level
/// stored). Neither ever adds a total and its parts.
struct CompareRead {
    let server: ServerContext

    /// What the code selects in one dataset.
    struct Selection {
        var dataset: DatasetDefinition
        var source: Source
        var catCodes: [Int]?
        var filters: [FilterAxis: [Int]]
    }

    /// Every dataset whose categories or filters carry `code`, in catalogue order; datasets of another table than
    /// `granularity` reads are left out (a sub-year grain reads only sub-year datasets, of sources that have them).
    func selections(code: String, granularity: Granularity) -> [Selection] {
        let reg = server.registry
        var out: [Selection] = []
        for ds in reg.catalog.datasets {
            guard let source = reg.source(id: ds.sourceID) else { continue }
            let cats = reg.categories(source: ds.sourceID, dim: ds.dimCode).filter { !$0.isNativeOnly && $0.standardCode == code }.map(\.catCode)
            var filters: [FilterAxis: [Int]] = [:]
            // One axis: a code on two axes of one source would select their intersection, which nobody asked for.
            for axis in FilterAxis.allCases {
                let ids = reg.filters(source: ds.sourceID, axis: axis).filter { $0.standardCode == code && $0.applicableDimCodes.contains(ds.dimCode) }.map(\.id)
                if !ids.isEmpty { filters[axis] = ids; break }
            }
            guard !cats.isEmpty || !filters.isEmpty else { continue }
            let sourceGrain = granularity.isSubyear ? source.supportsSubyear && ds.grain.isSubyear : !ds.grain.isSubyear
            guard sourceGrain else { continue }
            out.append(Selection(dataset: ds, source: source, catCodes: cats.isEmpty ? nil : cats, filters: filters))
        }
        return out
    }

    /// Whether `code` is a standard code of any dataset's categories or filters, whatever the grain.
    func isKnown(_ code: String) -> Bool {
        let reg = server.registry
        return reg.catalog.categories.contains { !$0.isNativeOnly && $0.standardCode == code } || reg.catalog.filters.contains { $0.standardCode == code }
    }

    /// `rows` with each of `axes` at one level: values that nest (a county holds its kommuner) are summed at the
    /// coarsest level present only, so a region and its parts are never added together. Values without a level
    /// (mission types, building groups) are one level.
    func oneLevel(_ rows: [FactSeriesRow], axes: [FilterAxis]) -> [FactSeriesRow] {
        var rows = rows
        for axis in axes {
            let rank: (FactSeriesRow) -> Int = { row in
                row.filters[axis].flatMap { server.registry.filter(id: $0.id)?.level }.flatMap { RegionLevel.allCases.firstIndex(of: $0) } ?? Int.max
            }
            guard let coarsest = rows.map(rank).min() else { continue }
            rows = rows.filter { rank($0) == coarsest }
        }
        return rows
    }

    /// The comparison: one series per dataset with stored facts for the code.
    /// - Throws: ``APIError`` 400 on `category` when no category or filter of the catalogue has the code.
    func read(_ r: CompareRequest, code: String) async throws -> API.Comparison {
        guard isKnown(code) else {
            throw APIError.invalidParameter("category", "no category or filter of any dataset has the standard code '\(code)'")
        }
        let demo = try await server.isDemo()
        let table: FactTable = r.granularity.isSubyear ? .daily : .yearly
        var series: [API.ComparisonSeries] = []
        var notStored: [String] = []
        for sel in selections(code: code, granularity: r.granularity) {
            let ds = sel.dataset
            let levels = try await server.store.storedLevels(StoredLevelsQuery(sourceID: ds.sourceID, dimCode: ds.dimCode, catCodes: sel.catCodes,
                                                                                 filters: sel.filters, years: r.years, table: table))
            guard let level = StoredLevel.coarsest(levels) else {
                notStored.append(ds.key)
                continue
            }
            var filters = sel.filters
            var summed: [String] = []
            for axis in FilterAxis.allCases where filters[axis] == nil && !level.nullAxes.contains(axis) {
                // Every filter of the axis that applies: exactly the atoms whose column is not NULL.
                filters[axis] = server.registry.filters(source: ds.sourceID, axis: axis).filter { $0.applicableDimCodes.contains(ds.dimCode) }.map(\.id)
                summed.append(axis.rawValue)
            }
            let query = FactSeriesQuery(sourceID: ds.sourceID, dimCode: ds.dimCode, catCodes: sel.catCodes, filters: filters, years: r.years,
                                        granularity: r.granularity, metric: r.metric, limit: 100_000)
            let read = try await server.store.factSeries(query)
            var byPeriod: [String: Double] = [:]
            // Every axis read over several values: the summed ones and the code's own (a county's standard code is
            // also its kommuner's).
            let several = FilterAxis.allCases.filter { (filters[$0]?.count ?? 0) > 1 }
            for row in oneLevel(read.rows, axes: several) { byPeriod[row.period, default: 0] += row.value }
            let points = byPeriod.keys.sorted().map { API.ComparisonPoint(period: $0, value: byPeriod[$0] ?? 0) }
            series.append(API.ComparisonSeries(
                source: sel.source.key, sourceName: sel.source.name, dataset: ds.key, title: ds.title, dimCode: ds.dimCode,
                attribution: server.registry.attribution(dataset: ds), demo: demo,
                categories: sel.catCodes, filters: Dictionary(uniqueKeysWithValues: sel.filters.map { ($0.key.rawValue, $0.value) }),
                summedAxes: summed, total: points.reduce(0) { $0 + $1.value }, truncated: read.truncated, points: points))
        }
        let periods = Set(series.flatMap { $0.points.map(\.period) }).sorted()
        return API.Comparison(category: code, granularity: r.granularity.rawValue, metric: r.metric.rawValue, years: r.years, demo: demo,
                              periods: periods, series: series, notStored: notStored)
    }
}

extension API {
    /// `GET /v1/compare`: one standard code, one series per dataset.
    struct Comparison: Encodable {
        var category: String
        var granularity: String
        var metric: String
        var years: YearWindow?
        /// Whether the store holds demo data: then every series is demo data.
        var demo: Bool
        /// Every period of any series, ascending.
        var periods: [String]
        var series: [ComparisonSeries]
        /// Datasets that have the code but no stored facts for it in the window.
        var notStored: [String]
    }

    struct ComparisonSeries: Encodable {
        var source: String
        var sourceName: String
        var dataset: String
        var title: String
        var dimCode: Int
        /// The credit line from the catalogue, e.g. "Kilde: Statistisk sentralbyrå, tabell 12058".
        var attribution: String
        var demo: Bool
        /// The categories the code selects; `nil` when it selects filters only.
        var categories: [Int]?
        /// Per axis the filter ids the code selects.
        var filters: [String: [Int]]
        /// Axes without a NULL-as-ALL total in the store, read as the sum of their values.
        var summedAxes: [String]
        var total: Double
        var truncated: Bool
        var points: [ComparisonPoint]
    }

    struct ComparisonPoint: Encodable {
        var period: String
        var value: Double
    }
}
