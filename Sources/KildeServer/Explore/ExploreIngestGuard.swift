import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import KildeCore
import KildeUpstream

/// The checks in front of the explorer's "fetch this slice" (`POST /explore/ingest`), each a refusal a test drives:
///
/// - the offer is a token the server signed (HMAC-SHA256 keyed by its ingest key) for exactly the dataset, years and
///   filters the page showed, and only for a short while: any other selection, or a forged or stale token, is 403;
/// - the request comes from the explorer's own origin (`Origin` and `Sec-Fetch-Site`), else 403; the route sends no
///   permissive CORS headers either (``ServingMiddleware``);
/// - the slice is still empty (checked by the route), else 409;
/// - each client starts at most ``ExploreIngestPolicy/perClient`` ingests per window, else 429;
/// - all these ingests together spend at most ``ExploreIngestPolicy/upstreamRequestsPerHour`` upstream requests
///   (``budget``), else 429 before a run starts, and a running one fails its remaining slices naming the budget.
public final class ExploreIngestGuard: Sendable {
    public let policy: ExploreIngestPolicy
    /// Pays for the upstream requests of every ingest this guard admits.
    public let budget: RequestBudget
    /// The signing key's bytes (`SymmetricKey` is not `Sendable`).
    private let key: [UInt8]
    private let clients: Locked<[String: SlidingWindow]>
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    /// Seconds since 1970 now; injected by tests that need an old token.
    private let now: @Sendable () -> Int

    /// - Parameter ingestKey: the server's ingest key; the tokens are signed with a key derived from it.
    public init(policy: ExploreIngestPolicy, ingestKey: String, now: @escaping @Sendable () -> Int = { Int(Date().timeIntervalSince1970) }) {
        self.policy = policy
        self.budget = RequestBudget(limit: policy.upstreamRequestsPerHour, purpose: "the explorer's upstream budget")
        // Derived, not the key itself: a leaked page never helps guess the admin key.
        self.key = Array(SHA256.hash(data: Data("kilde explore ingest v1\u{0}\(ingestKey)".utf8)))
        self.clients = Locked([:])
        self.start = clock.now
        self.now = now
    }

    // MARK: The page's token

    /// The token a page carries for offering to fetch `selection` of `dataset`: `v1.<issued>.<hmac>`.
    public func token(dataset: String, selection: SliceSelection) -> String {
        let issued = now()
        return "v1.\(issued).\(signature(issued: issued, dataset: dataset, selection: selection))"
    }

    /// Checks that `token` was signed by this server for this very selection and has not expired.
    /// - Throws: ``APIError`` 403 naming `token`.
    func verify(_ token: String?, dataset: String, selection: SliceSelection) throws(APIError) {
        guard let token, !token.isEmpty else {
            throw Self.forbidden("token", "the explorer's offer token is missing: fetch from the explore page that shows the empty slice")
        }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "v1", let issued = Int(parts[1]) else { throw Self.forbidden("token", "the offer token is malformed") }
        let expected = signature(issued: issued, dataset: dataset, selection: selection)
        guard ServerContext.keysMatch(String(parts[2]), expected) else {
            throw Self.forbidden("token", "the offer token was not issued for this selection: the explorer fetches only the slice its page showed")
        }
        let age = now() - issued
        guard age >= -60, age <= policy.tokenLifetime.components.seconds else {
            throw Self.forbidden("token", "the offer token has expired; reload the explore page")
        }
    }

    private func signature(issued: Int, dataset: String, selection: SliceSelection) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(issued)\n\(Self.canonical(dataset: dataset, selection: selection))".utf8), using: SymmetricKey(data: key))
        return mac.map { String(format: "%02x", $0) }.joined()
    }

    /// The selection as one string: dataset, years and the filter ids per axis, in a fixed order.
    static func canonical(dataset: String, selection: SliceSelection) -> String {
        let years = selection.years.map { "\($0.first)-\($0.last)" } ?? "*"
        let filters = FilterAxis.allCases.compactMap { axis in
            selection.filters[axis].map { "\(axis.rawValue)=\($0.sorted().map(String.init).joined(separator: ","))" }
        }
        return ([dataset, years] + filters).joined(separator: "\n")
    }

    // MARK: Origin

    /// Refuses a request a browser sent from another site: `Sec-Fetch-Site` other than `same-origin`, or an
    /// `Origin` whose host and port are not this server's (`Host`). Clients that send neither (curl) still need the
    /// token, which only a page of this server holds.
    /// - Throws: ``APIError`` 403 naming `Origin`.
    func checkOrigin(_ request: Request) throws(APIError) {
        if let site = request.headers[.secFetchSite], site != "same-origin" {
            throw Self.forbidden("Origin", "the explorer's ingest accepts requests from its own pages only (Sec-Fetch-Site: \(site))")
        }
        guard let origin = request.headers[.origin] else { return }
        let authority = request.head.authority
        guard let url = URLComponents(string: origin), let host = url.host, let authority,
              Self.sameHost(host: host, port: url.port, scheme: url.scheme, authority: authority) else {
            throw Self.forbidden("Origin", "the explorer's ingest accepts requests from its own pages only, not from \(origin)")
        }
    }

    static func sameHost(host: String, port: Int?, scheme: String?, authority: String) -> Bool {
        let defaultPort = scheme == "https" ? 443 : 80
        let origin = "\(host.lowercased()):\(port ?? defaultPort)"
        let parts = authority.lowercased().split(separator: ":", omittingEmptySubsequences: false)
        // `[::1]:8080` has colons inside the brackets; the port is after the last one when the host is bracketed.
        let own: String
        if authority.hasPrefix("["), let close = authority.lastIndex(of: "]") {
            let h = authority[authority.index(after: authority.startIndex)..<close].lowercased()
            let rest = authority[authority.index(after: close)...]
            own = "\(h):\(rest.hasPrefix(":") ? String(rest.dropFirst()) : String(defaultPort))"
        } else {
            own = parts.count == 2 ? "\(parts[0]):\(parts[1])" : "\(parts[0]):\(defaultPort)"
        }
        return origin == own
    }

    // MARK: Rates

    /// Admits one more ingest from `client`, or throws 429 with how long to wait.
    func admit(client: String) throws(APIError) {
        let t = clock.now - start
        let wait: Duration? = clients.withLock { windows in
            // Forget idle clients now and then, so the table stays as small as the set of recent clients.
            if windows.count > 4096 { windows = windows.filter { !$0.value.isIdle(now: t) } }
            var window = windows[client] ?? SlidingWindow(limit: policy.perClient, window: policy.clientWindow)
            let wait = window.record(now: t)
            windows[client] = window
            return wait
        }
        if let wait {
            throw Self.tooMany(retryAfter: wait, "this client may start \(policy.perClient) ingests per \(RequestBudget.span(policy.clientWindow)) from the explorer")
        }
        guard budget.remaining > 0 else {
            throw Self.tooMany(retryAfter: .seconds(60), "the explorer's upstream budget of \(budget.limit) requests per hour is spent")
        }
    }

    static func forbidden(_ parameter: String, _ detail: String) -> APIError {
        APIError(.forbidden, title: "Forbidden", detail: detail, parameter: parameter)
    }

    static func tooMany(retryAfter: Duration, _ detail: String) -> APIError {
        var e = APIError(.tooManyRequests, title: "Too many requests", detail: detail)
        e.retryAfter = max(1, Int(retryAfter.components.seconds) + (retryAfter.components.attoseconds > 0 ? 1 : 0))
        return e
    }
}

extension HTTPField.Name {
    // swift-format-ignore: NeverForceUnwrap
    /// Sent by browsers with every request: `same-origin`, `same-site`, `cross-site` or `none`. The literal is a valid name.
    static let secFetchSite = HTTPField.Name("sec-fetch-site")!
}
