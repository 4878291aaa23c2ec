import Foundation

/// Builds and sends PxWeb requests: v0 (`POST /api/v0/{lang}/table/{id}` with a JSON query) and
/// v2 (`GET /api/pxwebapi/v2/tables/{id}/data` with `valueCodes[…]`), splitting selections above the cell limit.
public struct PxWebClient: Sendable {
    public enum API: String, Sendable, CaseIterable {
        case v0
        case v2
    }

    /// Where and how to reach a PxWeb service.
    public struct Configuration: Sendable {
        /// Scheme and host, e.g. `https://data.ssb.no`. Defaults to SSB.
        public var baseURL: String = "https://data.ssb.no"
        /// Defaults to ``API/v2``.
        public var api: API = .v2
        /// Defaults to `no`.
        public var language: String = "no"
        /// Most cells one request may ask for. Defaults to SSB's 800,000.
        public var cellLimit: Int = 800_000

        public init() {}

        public init(baseURL: String, api: API = .v2) {
            self.baseURL = baseURL
            self.api = api
        }
    }

    public var configuration: Configuration
    let fetcher: HTTPFetcher
    /// Pays for this client's requests when set (see ``RequestBudget``).
    public var budget: RequestBudget?

    public init(configuration: Configuration, fetcher: HTTPFetcher) {
        self.configuration = configuration
        self.fetcher = fetcher
    }

    var base: String { configuration.baseURL.hasSuffix("/") ? String(configuration.baseURL.dropLast()) : configuration.baseURL }

    /// The request for a table's metadata (v2: JSON-stat 2.0 with empty `value`; v0: the variables listing).
    public func metadataRequest(table: String) -> UpstreamRequest {
        switch configuration.api {
        case .v2: UpstreamRequest(url: "\(base)/api/pxwebapi/v2/tables/\(table)/metadata?lang=\(configuration.language)")
        case .v0: UpstreamRequest(url: "\(base)/api/v0/\(configuration.language)/table/\(table)")
        }
    }

    /// The data requests for a selection: one, or several disjoint ones when it exceeds the cell limit.
    public func dataRequests(table: String, selection: PxWebSelection, sizes: [String: Int] = [:], codes: [String: [String]] = [:]) -> [UpstreamRequest] {
        selection.split(limit: configuration.cellLimit, sizes: sizes, codes: codes).map { dataRequest(table: table, selection: $0) }
    }

    /// One data request in the configured API version, asking for JSON-stat 2.0.
    public func dataRequest(table: String, selection: PxWebSelection) -> UpstreamRequest {
        switch configuration.api {
        case .v0:
            let query = selection.variables.map { v -> [String: Any] in
                switch v.values {
                case .items(let items): ["code": v.code, "selection": ["filter": "item", "values": items]]
                case .all: ["code": v.code, "selection": ["filter": "all", "values": ["*"]]]
                }
            }
            let body: [String: Any] = ["query": query, "response": ["format": "json-stat2"]]
            let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()
            return UpstreamRequest(method: "POST", url: "\(base)/api/v0/\(configuration.language)/table/\(table)",
                                   headers: [("Content-Type", "application/json")], body: Array(data))
        case .v2:
            var items = [URLQueryItem(name: "lang", value: configuration.language), URLQueryItem(name: "outputFormat", value: "json-stat2")]
            for v in selection.variables {
                let value: String
                switch v.values {
                case .items(let list): value = list.joined(separator: ",")
                case .all: value = "*"
                }
                items.append(URLQueryItem(name: "valueCodes[\(v.code)]", value: value))
            }
            var c = URLComponents()
            c.queryItems = items
            let query = c.percentEncodedQuery?.replacingOccurrences(of: "[", with: "%5B").replacingOccurrences(of: "]", with: "%5D") ?? ""
            return UpstreamRequest(url: "\(base)/api/pxwebapi/v2/tables/\(table)/data?\(query)")
        }
    }

    /// Sends requests one after another (the rate limit applies per host anyway).
    public func fetch(_ requests: [UpstreamRequest], onRetry: @escaping @Sendable (Int, Duration, String) -> Void = { _, _, _ in }) async throws -> [UpstreamResponse] {
        var out: [UpstreamResponse] = []
        for r in requests { out.append(try await fetcher.fetch(r, budget: budget, onRetry: onRetry)) }
        return out
    }
}
