import KildeCore
import KildeStore

/// How kommune values are shown: as stored, or (for counts) per 1,000 inhabitants of the kommune.
enum Normalization: String, CaseIterable {
    case none
    case per1000 = "per_1000"

    /// The unit of normalised values.
    static let per1000Unit = "per_1000_inhabitants"
}

/// Reads one indicator's served mart for a year (the latest when none is given): the kommune values on the year's
/// structure, the national value and the regions not drawn.
struct IndicatorRead {
    let server: ServerContext

    /// The indicator `key` names, or the catalogue's default when `key` is `nil`.
    /// - Throws: ``APIError`` 400 on `indicator` for an unknown key, 404 when the catalogue has no indicators.
    func indicator(_ key: String?) throws(APIError) -> Indicator {
        let registry = server.registry
        guard let key else {
            guard let d = registry.defaultIndicator else { throw .notFound("the catalogue has no kommune indicators (indicators.csv)") }
            return d
        }
        guard let i = registry.indicator(key: key) else {
            throw .invalidParameter("indicator", "unknown indicator '\(key)' (known: \(registry.indicators.map(\.key).joined(separator: ", ")))")
        }
        return i
    }

    /// - Parameter normalize: ``Normalization/per1000`` divides each count by the kommune's population (from
    ///   `kommune_dim`), and the national value by the structure's; a kommune without a population is then unmatched.
    func read(_ indicator: Indicator, year requested: Int?, normalize: Normalization = .none) async throws -> API.KommuneIndicators {
        let attribution = server.registry.dataset(key: indicator.dataset).map(server.registry.attribution(dataset:)) ?? ""
        let years = try await server.store.indicatorYears(indicator: indicator.key)
        if let requested, !years.isEmpty, !years.contains(requested) {
            throw APIError.notFound("indicator '\(indicator.key)' has no year \(requested) in the mart (it has \(years.first ?? 0)–\(years.last ?? 0))")
        }
        let year = requested ?? years.last
        var rows: [KommuneIndicatorRow] = []
        var unmatched: [UnmatchedRegion] = []
        var national: Double?
        if let year {
            rows = try await server.store.kommuneIndicators(indicator: indicator.key, year: year)
            unmatched = try await server.store.unmatchedRegions(indicator: indicator.key, year: year)
            // The whole country is the fact with every axis NULL (NULL-as-ALL), not a sum of kommuner.
            national = unmatched.first { $0.reason == .country }?.value
        }
        let structure = rows.first?.structure ?? unmatched.lazy.compactMap(\.structure).first
            ?? year.flatMap { KommuneSeed.structure(forYear: $0, among: server.map.structures) }
        var values = rows.map(API.KommuneValue.init)
        var notDrawn = unmatched.map(API.Unmatched.init)
        var unit = indicator.unit
        if normalize == .per1000 {
            unit = Normalization.per1000Unit
            let kommuner = try await server.store.kommuner().filter { $0.structure == structure }
            let inhabitants = kommuner.compactMap(\.population).reduce(0, +)
            national = national.flatMap { inhabitants > 0 ? $0 * 1000 / Double(inhabitants) : nil }
            notDrawn += values.filter { ($0.population ?? 0) <= 0 }.map {
                API.Unmatched(code: $0.kommune, name: $0.name, reason: "no_population", target: nil, value: $0.value)
            }
            values = values.compactMap { v in
                guard let p = v.population, p > 0 else { return nil }
                var out = v
                out.value = v.value * 1000 / Double(p)
                return out
            }
        }
        return API.KommuneIndicators(indicator: indicator.key, title: indicator.title, unit: unit, normalize: normalize.rawValue, year: year,
                                     structure: structure, demo: try await server.isDemo(), attribution: attribution, national: national,
                                     rows: values, unmatched: notDrawn)
    }
}
