import KildeCore
import KildeUpstream

/// How this process reaches upstreams: one HTTP fetcher for all of them, where each source lives (the catalogue's
/// `url`, unless overridden, e.g. to the built-in simulator), and an optional budget that pays for every request.
public struct Upstream: Sendable {
    public var fetcher: HTTPFetcher
    /// Base URLs by source key, replacing the catalogue's (a mirror, a test server, the simulator).
    public var baseURLs: [String: String]
    /// Options merged over every source's catalogue options (e.g. `api=v0` to read PxWeb hosts through API v0).
    public var sourceOptions: AdapterOptions
    /// Pays for every request made through these clients when set (see ``RequestBudget``).
    public private(set) var budget: RequestBudget?

    public init(fetcher: HTTPFetcher, baseURLs: [String: String] = [:], sourceOptions: AdapterOptions = AdapterOptions()) {
        self.fetcher = fetcher
        self.baseURLs = baseURLs
        self.sourceOptions = sourceOptions
    }

    /// These clients with every request paid for by `budget`.
    public func budgeted(_ budget: RequestBudget) -> Upstream {
        var u = self
        u.budget = budget
        return u
    }

    /// Where `source` lives: its override, else the catalogue's `url`, without a trailing slash.
    public func baseURL(of source: Source) -> String {
        let url = baseURLs[source.key] ?? source.url
        return url.hasSuffix("/") ? String(url.dropLast()) : url
    }

    /// `source`'s options with ``sourceOptions`` laid over them.
    public func options(of source: Source) -> AdapterOptions {
        var o = source.options
        for (k, v) in sourceOptions.values { o[k] = v }
        return o
    }
}
