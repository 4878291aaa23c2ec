import Foundation

/// The server's Prometheus metrics, kept in memory and rendered in the text exposition format (0.0.4).
///
/// Hand-rolled on purpose: three metric families do not justify a metrics backend dependency.
public final class ServerMetrics: @unchecked Sendable {
    /// Upper bounds of the latency histogram, in seconds.
    public static let buckets: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.015, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]

    struct Histogram {
        var counts = [Int](repeating: 0, count: ServerMetrics.buckets.count)
        var count = 0
        var sum = 0.0
    }

    struct RouteKey: Hashable, Comparable {
        var method: String
        var route: String
        var status: Int
        static func < (a: RouteKey, b: RouteKey) -> Bool { (a.route, a.method, a.status) < (b.route, b.method, b.status) }
    }

    private let lock = NSLock()
    private var latency: [RouteKey: Histogram] = [:]
    private var ingestRows: [String: Int] = [:]
    private var upstreamRequests: [String: Int] = [:]
    private var upstreamErrors: [String: Int] = [:]
    private var ingestRuns: [String: Int] = [:]
    private var responseCache: [String: Int] = [:]

    public init() {}

    /// Records one answered request. `route` is the matched route template (never the raw path, which would
    /// make unbounded label values), or `unmatched`.
    public func observe(method: String, route: String, status: Int, seconds: Double) {
        lock.withLock {
            var h = latency[RouteKey(method: method, route: route, status: status)] ?? Histogram()
            for (i, bound) in Self.buckets.enumerated() where seconds <= bound { h.counts[i] += 1 }
            h.count += 1
            h.sum += seconds
            latency[RouteKey(method: method, route: route, status: status)] = h
        }
    }

    /// Adds an ingest run's row counters by outcome (`added`, `updated`, `identical`, `deleted`).
    public func addIngestRows(_ byOutcome: [String: Int]) {
        lock.withLock { for (k, v) in byOutcome { ingestRows[k, default: 0] += v } }
    }

    /// Counts a finished ingest run by its status.
    public func countIngestRun(status: String) {
        lock.withLock { ingestRuns[status, default: 0] += 1 }
    }

    /// Counts a read answered from the response cache (`hit`) or computed (`miss`).
    func countResponseCache(hit: Bool) {
        lock.withLock { responseCache[hit ? "hit" : "miss", default: 0] += 1 }
    }

    public func addUpstream(source: String, requests: Int, errors: Int) {
        lock.withLock {
            upstreamRequests[source, default: 0] += requests
            upstreamErrors[source, default: 0] += errors
        }
    }

    /// The exposition text.
    public func render() -> String {
        lock.withLock {
            var out = "# HELP kilde_http_request_duration_seconds Time to answer an HTTP request, by route template.\n"
            out += "# TYPE kilde_http_request_duration_seconds histogram\n"
            for (key, h) in latency.sorted(by: { $0.key < $1.key }) {
                let labels = "method=\"\(Self.escape(key.method))\",route=\"\(Self.escape(key.route))\",status=\"\(key.status)\""
                for (i, bound) in Self.buckets.enumerated() {
                    out += "kilde_http_request_duration_seconds_bucket{\(labels),le=\"\(Self.format(bound))\"} \(h.counts[i])\n"
                }
                out += "kilde_http_request_duration_seconds_bucket{\(labels),le=\"+Inf\"} \(h.count)\n"
                out += "kilde_http_request_duration_seconds_sum{\(labels)} \(Self.format(h.sum))\n"
                out += "kilde_http_request_duration_seconds_count{\(labels)} \(h.count)\n"
            }
            out += Self.counter("kilde_ingest_rows_total", help: "Fact rows handled by ingests run by this server, by outcome.", label: "outcome", ingestRows)
            out += Self.counter("kilde_ingest_runs_total", help: "Ingest runs finished by this server, by status.", label: "status", ingestRuns)
            out += Self.counter("kilde_upstream_requests_total", help: "Upstream requests made by ingests run by this server, by source.", label: "source", upstreamRequests)
            out += Self.counter("kilde_response_cache_total", help: "Reads answered from kept answers (hit) or computed (miss).", label: "result", responseCache)
            out += Self.counter("kilde_upstream_errors_total", help: "Upstream errors (retried attempts and failed slices), by source.", label: "source", upstreamErrors)
            return out
        }
    }

    static func counter(_ name: String, help: String, label: String, _ values: [String: Int]) -> String {
        var out = "# HELP \(name) \(help)\n# TYPE \(name) counter\n"
        for (k, v) in values.sorted(by: { $0.key < $1.key }) { out += "\(name){\(label)=\"\(escape(k))\"} \(v)\n" }
        return out
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }

    static func format(_ v: Double) -> String { v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v) }
}
