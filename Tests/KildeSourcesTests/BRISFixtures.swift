import KildeCatalog
import KildeCore
import KildeSources
import KildeUpstream

/// BRIS adapters over the shipped catalogue (or a changed copy) and hand-written answers: pure, no network.
enum BRISFixtures {
    static let base = "http://127.0.0.1:9/bris"

    static func registry(_ change: (inout Catalog) -> Void = { _ in }) throws -> Registry {
        var catalog = try BundledCatalog.load()
        change(&catalog)
        return try Registry(catalog: catalog)
    }

    static func adapter(_ key: String, registry: Registry) throws -> BRISAdapter {
        guard let ds = registry.dataset(key: key), let source = registry.source(id: ds.sourceID) else { throw FixtureError("no dataset \(key)") }
        return try BRISAdapter(dataset: ds, source: source, registry: registry,
                               endpoint: BRISEndpoint(source: source, baseURL: base, options: source.options, dataset: key))
    }

    /// An answer with these buckets: label → [(series key date, count)], dated by UTC midnight.
    static func answer(_ buckets: [(String, [(String, Int)])], total: Int? = nil) -> UpstreamResponse {
        var items: [String] = []
        for (label, series) in buckets {
            let entries = series.map { date, n -> String in
                let ms = CivilDate(date).map { String($0.epochMilliseconds) } ?? date
                return "\"\(ms)\":{\"count\":\(n),\"subAggregationBuckets\":{}}"
            }
            let count = series.map(\.1).reduce(0, +)
            items.append("\"\(label)\":{\"count\":\(count),\"calculatedSubAggregationValues\":[],\"value\":null,\"subAggregationBuckets\":{\(entries.joined(separator: ","))}}")
        }
        let sum = buckets.flatMap(\.1).map(\.1).reduce(0, +)
        return raw("{\"result\":[{\"buckets\":{\(items.joined(separator: ","))},\"total\":\(total ?? sum)}]}")
    }

    static func raw(_ text: String) -> UpstreamResponse {
        UpstreamResponse(request: UpstreamRequest(method: "POST", url: "\(base)/test"), status: 200, contentType: "application/json",
                         body: Array(text.utf8), isDemo: true, attempts: 1)
    }
}
