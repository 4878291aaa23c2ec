import AsyncHTTPClient
import Foundation
import KildeCore
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle

/// Fetches upstream bytes with deadlines, gzip, per-host rate limits and retries.
///
/// One fetcher is shared by every adapter of a run; it owns an `HTTPClient`. It is a `Service`: ``run()`` waits for
/// graceful shutdown and then shuts the client down, so it lives in a `ServiceGroup` beside the store and the server.
public final class HTTPFetcher: Service {
    /// How the fetcher talks to upstreams.
    public struct Configuration: Sendable {
        /// Deadline for one attempt, body included. Defaults to 60 s.
        public var requestTimeout: Duration = .seconds(60)
        /// Connect timeout. Defaults to 10 s.
        public var connectTimeout: Duration = .seconds(10)
        /// Largest accepted body, decompressed. Defaults to 256 MiB.
        public var maxBodyBytes: Int = 256 << 20
        public var retry = RetryPolicy()
        /// Requests per minute by upstream — a URL prefix such as a source's base URL, or a host name — from the
        /// catalogue's sources (`rate_limit_per_minute`); see ``RateLimiter``. Defaults to none.
        public var rateLimits: [String: Int] = [:]
        /// Requests per minute for requests under none of ``rateLimits``, per host. Defaults to 600.
        public var defaultRateLimit: Int = 600
        public var userAgent = "kilde/0.1 (+https://github.com/kilde)"

        public init() {}
    }

    public let configuration: Configuration
    private let client: HTTPClient
    private let limiter: RateLimiter
    private let logger: Logger
    private let isShutDown = Locked(false)

    public init(configuration: Configuration = .init(), logger: Logger = Logger(label: "kilde.upstream")) {
        self.configuration = configuration
        var config = HTTPClient.Configuration(
            timeout: .init(connect: .nanoseconds(Int64(RetryPolicy.milliseconds(configuration.connectTimeout) * 1_000_000))),
            decompression: .enabled(limit: .ratio(200)))
        config.redirectConfiguration = .follow(max: 5, allowCycles: false)
        self.client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: config)
        self.limiter = RateLimiter(limits: configuration.rateLimits, defaultPerMinute: configuration.defaultRateLimit)
        self.logger = logger
    }

    /// Waits for graceful shutdown (or cancellation), then shuts the HTTP client down.
    public func run() async throws {
        try? await gracefulShutdown()
        try await shutdown()
    }

    /// Shuts the HTTP client down; later calls do nothing.
    public func shutdown() async throws {
        let first = isShutDown.withLock { done in
            defer { done = true }
            return !done
        }
        if first { try await client.shutdown() }
    }

    /// Fetches `request`, retrying 429 / 5xx / timeouts with backoff, and returns the whole body. A status the request
    /// lists in ``UpstreamRequest/answeredStatuses`` is returned like a 2xx, without retrying.
    /// - Parameters:
    ///   - budget: pays for every attempt, retries included; when it is spent the fetch fails at once, naming it.
    ///   - cookies: sends the jar's cookies for the host and keeps the ones the response sets.
    ///   - onRetry: called before each wait, with the attempt that failed and the delay.
    /// - Throws: ``UpstreamError`` when the last attempt fails, the status is not retryable and not 2xx, or the
    ///   budget is spent; `CancellationError` when the task is cancelled.
    public func fetch(_ request: UpstreamRequest, budget: RequestBudget? = nil, cookies: CookieJar? = nil,
                      onRetry: @Sendable (Int, Duration, String) -> Void = { _, _, _ in }) async throws -> UpstreamResponse {
        guard let url = URL(string: request.url), let host = url.host else {
            throw UpstreamError(method: request.method, url: request.url, status: nil, attempts: 0, reason: "invalid URL")
        }
        var attempt = 0
        while true {
            attempt += 1
            if let budget, let freeIn = budget.spend() { throw budget.exhausted(request, attempts: attempt - 1, freeIn: freeIn) }
            try await limiter.acquire(url: request.url, host: host)
            var failure: (status: Int?, reason: String, retryAfter: Duration?)
            do {
                var sent = request
                if let cookie = cookies?.header(host: host) { sent.headers.append(("Cookie", cookie)) }
                let response = try await attemptOnce(sent)
                cookies?.store(response.setCookies, host: host)
                if (200...299).contains(response.status) || request.answeredStatuses.contains(response.status) {
                    var ok = response
                    ok.attempts = attempt
                    return ok
                }
                let snippet = String(decoding: response.body.prefix(200), as: UTF8.self)
                failure = (response.status, "HTTP \(response.status) \(snippet)", RetryPolicy.parseRetryAfter(response.retryAfter))
                guard RetryPolicy.isRetryable(status: response.status) else {
                    throw UpstreamError(method: request.method, url: request.url, status: response.status, attempts: attempt, reason: failure.reason)
                }
            } catch let error as UpstreamError {
                throw error
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                failure = (nil, Self.describe(error), nil)
            }
            guard attempt < configuration.retry.maxAttempts else {
                throw UpstreamError(method: request.method, url: request.url, status: failure.status, attempts: attempt, reason: failure.reason)
            }
            if let asked = failure.retryAfter, asked > configuration.retry.maxRetryAfter {
                throw UpstreamError(method: request.method, url: request.url, status: failure.status, attempts: attempt,
                                    reason: "the upstream asked to wait \(Self.seconds(asked)) s (Retry-After), more than the \(Self.seconds(configuration.retry.maxRetryAfter)) s Kilde waits")
            }
            let wait = configuration.retry.delay(afterAttempt: attempt, retryAfter: failure.retryAfter, random: Double.random(in: 0..<1))
            logger.info("retrying upstream request", metadata: ["host": "\(host)", "request": "\(request.label)", "attempt": "\(attempt)",
                                                                "wait": "\(wait)", "reason": "\(failure.reason.prefix(200))"])
            onRetry(attempt, wait, failure.reason)
            try await Task.sleep(for: wait)
        }
    }

    /// A body shorter than its `Content-Length`: transient, so retried.
    private struct TruncatedBody: Error, CustomStringConvertible {
        var received: Int
        var declared: Int
        var description: String { "truncated body: \(received) of \(declared) bytes" }
    }

    /// One attempt, bounded by ``Configuration/requestTimeout`` from the first byte sent to the last byte of the body:
    /// the client's deadline alone does not stop an answer whose head came in time and whose body trickles.
    private func attemptOnce(_ request: UpstreamRequest) async throws -> UpstreamResponse {
        let timeout = configuration.requestTimeout
        return try await withThrowingTaskGroup(of: UpstreamResponse?.self) { group in
            group.addTask { try await self.exchange(request) }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let response = first else { throw HTTPClientError.deadlineExceeded }
            return response
        }
    }

    private func exchange(_ request: UpstreamRequest) async throws -> UpstreamResponse {
        var r = HTTPClientRequest(url: request.url)
        r.method = HTTPMethod(rawValue: request.method)
        r.headers.add(name: "User-Agent", value: configuration.userAgent)
        r.headers.add(name: "Accept-Encoding", value: "gzip, deflate")
        for (k, v) in request.headers { r.headers.add(name: k, value: v) }
        if let body = request.body { r.body = .bytes(ByteBuffer(bytes: body)) }
        let deadline = NIODeadline.now() + .nanoseconds(Int64(RetryPolicy.milliseconds(configuration.requestTimeout) * 1_000_000))
        let response = try await client.execute(r, deadline: deadline, logger: logger)
        let buffer = try await response.body.collect(upTo: configuration.maxBodyBytes)
        if let declared = response.headers.first(name: "content-length").flatMap(Int.init),
           response.headers.first(name: "content-encoding") == nil, declared != buffer.readableBytes {
            throw TruncatedBody(received: buffer.readableBytes, declared: declared)
        }
        var result = UpstreamResponse(request: request, status: Int(response.status.code),
                                      contentType: response.headers.first(name: "content-type"),
                                      body: Array(buffer.readableBytesView),
                                      isDemo: response.headers.first(name: "x-kilde-demo") == "1", attempts: 1)
        result.retryAfter = response.headers.first(name: "retry-after")
        result.setCookies = response.headers["set-cookie"]
        return result
    }

    static func seconds(_ d: Duration) -> String {
        JSONNumber.format(Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
    }

    static func describe(_ error: any Error) -> String {
        if let e = error as? HTTPClientError {
            switch e {
            case .deadlineExceeded, .readTimeout, .connectTimeout: return "timeout"
            default: return "\(e)"
            }
        }
        return "\(error)"
    }
}
