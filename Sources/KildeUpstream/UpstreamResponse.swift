import Foundation

/// A request to an upstream, as built by a source adapter.
public struct UpstreamRequest: Sendable, Hashable {
    public var method: String
    public var url: String
    public var headers: [(String, String)]
    public var body: [UInt8]?
    /// What the request is for, short enough for a log line and a progress bar, e.g. `12058 data (372 regions)`;
    /// logs show it instead of a URL that can run to kilobytes.
    public var label: String
    /// Statuses that are answers for the conversation to read, not failures: a response with one of them is returned
    /// as it came, never retried (an ASP.NET application's error page is HTTP 500 and says why; asking again cannot
    /// change a stale form state or a year without data). Defaults to none: every status outside 2xx is a failure.
    public var answeredStatuses: Set<Int> = []
    /// Whether another conversation of the run may be given this request's response instead of sending it again.
    /// Defaults to `true`; a request whose answer belongs to one session (a form page that starts a session and
    /// carries its state) is `false`, so every conversation gets a page of its own.
    public var isShareable = true

    public init(method: String = "GET", url: String, headers: [(String, String)] = [], body: [UInt8]? = nil, label: String? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.label = label ?? "\(method) \(URLComponents(string: url)?.path ?? url)"
    }

    /// A form post (`application/x-www-form-urlencoded`), as a browser sends an HTML form: fields in the given order.
    public static func form(url: String, fields: [(String, String)], label: String? = nil) -> UpstreamRequest {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._*")
        func encode(_ s: String) -> String {
            (s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s).replacingOccurrences(of: "%20", with: "+")
        }
        let body = fields.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
        return UpstreamRequest(method: "POST", url: url, headers: [("Content-Type", "application/x-www-form-urlencoded")],
                               body: Array(body.utf8), label: label)
    }

    public static func == (a: UpstreamRequest, b: UpstreamRequest) -> Bool {
        a.method == b.method && a.url == b.url && a.body == b.body && a.headers.map { "\($0.0):\($0.1)" } == b.headers.map { "\($0.0):\($0.1)" }
    }

    public func hash(into h: inout Hasher) {
        h.combine(method)
        h.combine(url)
        h.combine(body)
    }
}

/// A complete upstream response: the raw bytes, before any parsing.
public struct UpstreamResponse: Sendable {
    public var request: UpstreamRequest
    public var status: Int
    public var contentType: String?
    public var body: [UInt8]
    /// The upstream marked the response as demo data (the built-in simulator does, via `X-Kilde-Demo`).
    public var isDemo: Bool
    /// Attempts it took, including retries.
    public var attempts: Int
    /// The `Retry-After` header, if any.
    public var retryAfter: String?
    /// The `Set-Cookie` header values, in order.
    public var setCookies: [String] = []

    public init(request: UpstreamRequest, status: Int, contentType: String?, body: [UInt8], isDemo: Bool, attempts: Int) {
        self.request = request
        self.status = status
        self.contentType = contentType
        self.body = body
        self.isDemo = isDemo
        self.attempts = attempts
    }
}

/// An upstream request that failed after retries, with the status and a short reason.
public struct UpstreamError: Error, CustomStringConvertible, Sendable {
    public var method: String
    public var url: String
    /// The last HTTP status, or `nil` for a transport failure (timeout, refused connection).
    public var status: Int?
    public var attempts: Int
    public var reason: String

    public init(method: String, url: String, status: Int?, attempts: Int, reason: String) {
        self.method = method
        self.url = url
        self.status = status
        self.attempts = attempts
        self.reason = reason
    }

    /// The URL cut to a readable length: a selection of hundreds of codes makes a very long query string.
    public var shortURL: String {
        url.count <= 160 ? url : String(url.prefix(157)) + "…"
    }

    public var description: String {
        // A request a budget refused before any attempt was never sent.
        guard attempts > 0 else { return "\(method) not sent: \(reason) (\(shortURL))" }
        let what = status.map { "\(method) \($0)" } ?? "\(method) failed"
        return "\(what) after \(attempts) attempt\(attempts == 1 ? "" : "s"): \(reason) (\(shortURL))"
    }
}
