import Hummingbird
import KildeCore
import KildeStore

/// `GET /v1/facts` parameters, validated against the catalogue into a ``FactSeriesQuery``.
struct FactsRequest {
    static let parameters: Set<String> = Set(["dataset", "category", "years", "granularity", "metric", "totals", "format", "limit"])
        .union(FilterAxis.allCases.map(\.rawValue))

    var query: FactSeriesQuery
    var source: Source
    var dataset: DatasetDefinition
    var totalsByCategory = false
    var totalsByPeriod = false
    var format: OutputFormat

    /// - Parameter extra: parameter names the calling page also accepts (e.g. the explorer's `run`).
    init(_ request: Request, registry: Registry, extra: Set<String> = []) throws(APIError) {
        let p = try QueryParameters(request, allowed: Self.parameters.union(extra))
        format = try OutputFormat.negotiate(p, request)
        // The dataset names the source and the dimension.
        guard let key = try p.one("dataset") else {
            throw .invalidParameter("dataset", "'dataset' is required" + (registry.catalog.datasets.first.map { ", e.g. dataset=\($0.key)" } ?? ""))
        }
        let ds = try registry.apiDataset(key: key)
        guard let s = registry.source(id: ds.sourceID) else { throw .invalidParameter("dataset", "dataset '\(key)' has no source") }
        dataset = ds
        source = s
        let dimCode = ds.dimCode

        // Without a choice, the dataset's own grain: a monthly table reads its months.
        let granularity = try p.choice("granularity", Granularity.self) ?? Granularity(ds.grain)
        // SPEC §7: sub-year grains read fact_daily only, and only for sources that publish sub-year data.
        if granularity.isSubyear && !source.supportsSubyear {
            throw .invalidParameter("granularity", "source '\(source.key)' publishes no sub-year data; granularity must be year")
        }
        var tokens: [FilterAxis: [String]] = [:]
        for axis in FilterAxis.allCases {
            tokens[axis] = try p.list(axis.rawValue)
        }
        let filters = try registry.apiFilterIDs(tokens: tokens, source: source.id, dimCode: dimCode)
        var catCodes: [Int]?
        if let tokens = try p.list("category") {
            let known = registry.categories(source: source.id, dim: dimCode).filter { !$0.isNativeOnly }
            var codes: [Int] = []
            for t in tokens {
                let matches = known.filter { String($0.catCode) == t || $0.standardCode == t }
                guard !matches.isEmpty else { throw .invalidParameter("category", "no stored category of dimension \(dimCode) matches '\(t)'") }
                codes += matches.map(\.catCode)
            }
            catCodes = codes
        }
        if let totals = try p.list("totals") {
            for t in totals {
                switch t {
                case "category": totalsByCategory = true
                case "period": totalsByPeriod = true
                case "true", "all": totalsByCategory = true; totalsByPeriod = true
                default: throw .invalidParameter("totals", "'totals' takes category, period or all, not '\(t)'")
                }
            }
        }
        query = FactSeriesQuery(sourceID: source.id, dimCode: dimCode, catCodes: catCodes, filters: filters, years: try p.years(),
                                granularity: granularity, metric: try p.choice("metric", Metric.self) ?? .value,
                                limit: try p.int("limit", in: 1...100_000) ?? 10_000)
    }
}
