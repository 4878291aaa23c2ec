import Foundation
import KildeCore
import KildeUpstream

/// A PxWeb service as the catalogue's source row describes it (SSB, Statistics Sweden, Finland, …): where it is,
/// which API it speaks and its limits. Builds every request Kilde sends to it.
///
/// Source options (`sources.csv`): `api` (`v2` default, or `v0`/`v1`: the older POST API SSB calls v0),
/// `language` (default `en`), `cell_limit` (cells per request, default 100000), `url_limit` (longest GET URL,
/// default 2000: SSB answers longer v2 GETs with 404), `v2_path` (default `/api/pxwebapi/v2`) and `v0_path`
/// (default `/api/v0`), the paths under the source's `url`.
public struct PxWebHost: Sendable, Hashable {
    public enum API: String, Sendable, Hashable, CaseIterable {
        case v0
        case v2
    }

    public var baseURL: String
    public var api: API
    public var language: String
    public var cellLimit: Int
    public var urlLimit: Int
    public var v2Path: String
    public var v0Path: String
    /// Whether the host also answers API v2 (for `updated`, which v0 metadata lacks). True when `api` is v2 or the
    /// source names a `v2_path`.
    public var hasV2: Bool

    /// The host of `source` as `upstream` reaches it (its base URL override and option overrides applied).
    /// - Throws: ``IngestError`` naming the option at fault.
    public init(source: Source, upstream: Upstream, dataset: String) throws(IngestError) {
        try self.init(source: source, baseURL: upstream.baseURL(of: source), options: upstream.options(of: source), dataset: dataset)
    }

    /// - Throws: ``IngestError`` naming the option at fault.
    public init(source: Source, baseURL: String, options o: AdapterOptions, dataset: String) throws(IngestError) {
        func int(_ key: String, _ fallback: Int) throws(IngestError) -> Int {
            guard let text = o[key] else { return fallback }
            guard let v = Int(text), v > 0 else {
                throw IngestError(.invalidSlice, dataset: dataset, message: "source '\(source.key)' option \(key)=\(text) is not a positive integer")
            }
            return v
        }
        switch o["api"] ?? "v2" {
        case "v2": api = .v2
        case "v0", "v1": api = .v0
        case let other: throw IngestError(.invalidSlice, dataset: dataset, message: "source '\(source.key)' option api=\(other): PxWeb speaks v2 or v0 (v1)")
        }
        self.baseURL = baseURL
        language = o["language"] ?? "en"
        cellLimit = try int("cell_limit", 100_000)
        urlLimit = try int("url_limit", 2000)
        v2Path = o["v2_path"] ?? "/api/pxwebapi/v2"
        v0Path = o["v0_path"] ?? "/api/v0"
        hasV2 = api == .v2 || o["v2_path"] != nil
    }

    /// The table's metadata: v2 `/tables/{id}/metadata` (JSON-stat 2.0 with empty `value`), v0 `GET …/table/{id}`.
    public func metadataRequest(table: String) -> UpstreamRequest {
        switch api {
        case .v2: UpstreamRequest(url: "\(baseURL)\(v2Path)/tables/\(table)/metadata?lang=\(language)", label: "\(table) metadata")
        case .v0: UpstreamRequest(url: "\(baseURL)\(v0Path)/\(language)/table/\(table)", label: "\(table) metadata (v0)")
        }
    }

    /// Reads a table's metadata: v2's, or v0's and, on a host that also speaks v2, the v2 table description for
    /// `updated`. The outcome says whether the answers were demo data (the simulator's), not the live upstream's.
    public func metadataConversation(table: String, dataset: String) -> RequestSequence<(metadata: PxWebMetadata, isDemo: Bool)> {
        var requests = [metadataRequest(table: table)]
        if api == .v0 && hasV2 { requests.append(tableInfoRequest(table: table)) }
        let api = api
        return RequestSequence(requests) { (responses) throws(IngestError) -> (metadata: PxWebMetadata, isDemo: Bool) in
            guard let first = responses.first else { throw IngestError(.unexpected, dataset: dataset, message: "no metadata response") }
            var metadata = api == .v2 ? try PxWebMetadata.parseV2(first.body, dataset: dataset) : try PxWebMetadata.parseV0(first.body, dataset: dataset)
            if responses.count > 1 { metadata.updated = try PxWebMetadata.updated(ofTableInfo: responses[1].body, dataset: dataset) }
            return (metadata, responses.contains(where: \.isDemo))
        }
    }

    /// A v2 code list (`/codelists/{id}`): the values a variable takes through it, e.g. an aggregation of ages.
    public func codelistRequest(id: String) -> UpstreamRequest {
        let path = id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? id
        return UpstreamRequest(url: "\(baseURL)\(v2Path)/codelists/\(path)?lang=\(language)", label: "code list \(id)")
    }

    /// The v2 table description, which carries `updated` (SSB's v0 metadata does not).
    public func tableInfoRequest(table: String) -> UpstreamRequest {
        UpstreamRequest(url: "\(baseURL)\(v2Path)/tables/\(table)?lang=\(language)", label: "\(table) table info")
    }

    /// The data requests for a selection: one, or several disjoint ones when it has more cells than the host allows.
    /// A v2 selection whose GET URL would exceed ``urlLimit`` is sent as the v2 POST form (the selection as a JSON
    /// body), which has no such limit.
    public func dataRequests(table: String, selection: PxWebSelection, sizes: [String: Int], codes: [String: [String]]) -> [UpstreamRequest] {
        let parts = selection.split(limit: cellLimit, sizes: sizes, codes: codes)
        return parts.enumerated().map { i, part in
            var label = "\(table) data (\(part.summary))"
            if parts.count > 1 { label += " part \(i + 1)/\(parts.count)" }
            return dataRequest(table: table, selection: part, label: label)
        }
    }

    func dataRequest(table: String, selection: PxWebSelection, label: String) -> UpstreamRequest {
        switch api {
        case .v0:
            let query = selection.variables.map { v -> [String: Any] in
                switch v.values {
                case .items(let items): ["code": v.code, "selection": ["filter": "item", "values": items]]
                case .all: ["code": v.code, "selection": ["filter": "all", "values": ["*"]]]
                }
            }
            let body: [String: Any] = ["query": query, "response": ["format": "json-stat2"]]
            let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()
            return UpstreamRequest(method: "POST", url: "\(baseURL)\(v0Path)/\(language)/table/\(table)",
                                   headers: [("Content-Type", "application/json")], body: Array(data), label: label)
        case .v2:
            let base = "\(baseURL)\(v2Path)/tables/\(table)/data?lang=\(language)&outputFormat=json-stat2"
            var items: [URLQueryItem] = []
            for v in selection.variables {
                let value: String
                switch v.values {
                case .items(let list): value = list.joined(separator: ",")
                case .all: value = "*"
                }
                items.append(URLQueryItem(name: "valueCodes[\(v.code)]", value: value))
                if let codelist = v.codelist { items.append(URLQueryItem(name: "codelist[\(v.code)]", value: codelist)) }
            }
            var c = URLComponents()
            c.queryItems = items
            let query = c.percentEncodedQuery?.replacingOccurrences(of: "[", with: "%5B").replacingOccurrences(of: "]", with: "%5D") ?? ""
            let get = "\(base)&\(query)"
            if get.utf8.count <= urlLimit { return UpstreamRequest(url: get, label: label) }
            let selections = selection.variables.map { v -> [String: Any] in
                var s: [String: Any] = ["variableCode": v.code]
                switch v.values {
                case .items(let list): s["valueCodes"] = list
                case .all: s["valueCodes"] = ["*"]
                }
                if let codelist = v.codelist { s["codelist"] = codelist }
                return s
            }
            let data = (try? JSONSerialization.data(withJSONObject: ["selection": selections], options: [.sortedKeys])) ?? Data()
            return UpstreamRequest(method: "POST", url: base, headers: [("Content-Type", "application/json")], body: Array(data), label: label)
        }
    }
}
