import Hummingbird

/// The server's paths and their methods, so a known path asked with another method answers
/// `405 Method Not Allowed` with `Allow`, not 404 (Hummingbird's trie reports both as not found).
enum RouteTable {
    static let methods: [(template: [Substring], allow: String)] = [
        ("/", "GET"), ("/map", "GET"), ("/explore", "GET"), ("/runs", "GET"), ("/lineage", "GET"), ("/api", "GET"), ("/explore/ingest", "POST"), ("/explore/compare", "GET"),
        ("/healthz", "GET"), ("/metrics", "GET"), ("/v1/openapi.json", "GET"), ("/v1/sources", "GET"), ("/v1/assets", "GET"),
        ("/v1/assets/{key}/materializations", "GET"),
        ("/v1/dimensions", "GET"), ("/v1/categories", "GET"), ("/v1/filters", "GET"), ("/v1/facts", "GET"), ("/v1/indicators", "GET"),
        ("/v1/kommune-indicators", "GET"), ("/v1/compare", "GET"), ("/v1/reconcile", "GET"), ("/v1/runs", "GET"), ("/v1/runs/{id}", "GET"), ("/v1/ingest/status/{id}", "GET"),
        ("/v1/admin/ingest", "POST"),
    ].map { ($0.0.split(separator: "/"), $0.1) }

    /// The methods `path` answers, or `nil` when no route has this path.
    static func allowed(_ path: String) -> String? {
        let parts = path.split(separator: "/")
        return methods.first { t in
            t.template.count == parts.count && zip(t.template, parts).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
        }?.allow
    }
}
