import Foundation

/// A PostgreSQL store location: `postgres://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=…`.
///
/// The password is kept for connecting and never printed: ``description`` leaves it out, and so does
/// every error message built from a URL. Query parameters follow libpq's names where they overlap.
public struct PostgresStoreURL: Sendable, Hashable, CustomStringConvertible {
    /// Transport security, with libpq's meanings.
    public enum SSLMode: String, Sendable, Hashable, CaseIterable {
        /// Plain TCP.
        case disable
        /// TLS when the server offers it, without verifying its certificate (libpq's default).
        case prefer
        /// TLS or fail, without verifying the certificate.
        case require
        /// TLS or fail; the certificate must chain to a trusted root.
        case verifyCA = "verify-ca"
        /// TLS or fail; the certificate must chain to a trusted root and name the host.
        case verifyFull = "verify-full"
    }

    /// Host name or IP address; ignored when ``socketDirectory`` is set.
    public var host: String
    /// Defaults to `5432`.
    public var port: Int
    /// The role to log in as.
    public var username: String
    /// Sent only to the server; left out of ``description``.
    public var password: String?
    /// The database holding Kilde's schemas.
    public var database: String
    /// Defaults to ``SSLMode/prefer``.
    public var sslMode: SSLMode = .prefer
    /// A directory holding the server's Unix socket (`?host=/path`); `nil` for TCP.
    public var socketDirectory: String?
    /// How long opening a connection may take (`?connect_timeout=SECONDS`). Defaults to 10 seconds.
    public var connectTimeout: Duration = .seconds(10)
    /// The server-side limit on one statement (`?statement_timeout=MILLISECONDS`, `0` = none). Defaults to 10 minutes.
    public var statementTimeoutMilliseconds: Int = 600_000
    /// The pool's connection limit (`?pool_max=N`). Defaults to
    /// ``defaultMaximumConnections(cores:)`` of this machine's active cores.
    public var maximumConnections: Int = Self.defaultMaximumConnections(cores: ProcessInfo.processInfo.activeProcessorCount)

    /// Twice `cores`, at least 2 and at most 8.
    ///
    /// More statements in flight than the cores can run only queue inside PostgreSQL. When the server shares the
    /// machine, they also stall: on 2 cores with 8 connections, 7 of 30 benchmark runs had a `/v1/facts` request
    /// wait 0.17–1.06 s for a backend that was not scheduled; with 4 connections none waited over 35 ms, for about
    /// 5% less throughput (`Benchmarks/serving/README.md`).
    public static func defaultMaximumConnections(cores: Int) -> Int { min(8, max(2, 2 * cores)) }

    /// A TCP location with the default options.
    public init(host: String, port: Int = 5432, username: String, password: String?, database: String) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
    }

    /// Parses `postgres://` or `postgresql://` URLs.
    /// - Throws: ``StoreError`` `.invalidLocation` saying what is wrong, without the password.
    public init(parsing text: String) throws {
        let shown = Self.redacted(text)
        func invalid(_ why: String) -> StoreError {
            StoreError(.invalidLocation, "invalid PostgreSQL URL '\(shown)': \(why); expected postgres://USER:PASSWORD@HOST:PORT/DATABASE")
        }
        guard text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") else { throw invalid("it must start with postgres://") }
        guard let parts = URLComponents(string: text) else { throw invalid("it is not a URL (percent-encode special characters in the password)") }
        guard let user = parts.user, !user.isEmpty else { throw invalid("no user name") }
        let path = parts.path.hasPrefix("/") ? String(parts.path.dropFirst()) : parts.path
        guard !path.isEmpty, !path.contains("/") else { throw invalid("no database name after the host") }
        self.init(host: parts.host ?? "", port: parts.port ?? 5432, username: user, password: parts.password, database: path)
        guard (1...65535).contains(port) else { throw invalid("port \(port) is out of range") }
        for item in parts.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "sslmode":
                guard let mode = SSLMode(rawValue: value) else {
                    throw invalid("sslmode must be one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                sslMode = mode
            case "host":
                guard value.hasPrefix("/") else { throw invalid("host= takes a socket directory, e.g. host=/var/run/postgresql") }
                socketDirectory = value
            case "connect_timeout":
                guard let s = Int(value), s > 0 else { throw invalid("connect_timeout must be a positive number of seconds") }
                connectTimeout = .seconds(s)
            case "statement_timeout":
                guard let ms = Int(value), ms >= 0 else { throw invalid("statement_timeout must be milliseconds (0 = none)") }
                statementTimeoutMilliseconds = ms
            case "pool_max":
                guard let n = Int(value), n >= 1 else { throw invalid("pool_max must be at least 1") }
                maximumConnections = n
            default:
                throw invalid("unknown parameter '\(item.name)' (known: sslmode, host, connect_timeout, statement_timeout, pool_max)")
            }
        }
        guard !host.isEmpty || socketDirectory != nil else { throw invalid("no host") }
    }

    /// The same server, another database: tests create a fresh database per test.
    public func with(database: String) -> PostgresStoreURL {
        var copy = self
        copy.database = database
        return copy
    }

    /// Where the store lives, without the password, e.g. `postgres://kilde@db:5432/kilde`.
    public var description: String {
        var text = "postgres://\(encodedUser)@\(server)/\(database)"
        if let socketDirectory { text += "?host=\(socketDirectory)" }
        if sslMode != .prefer { text += (socketDirectory == nil ? "?" : "&") + "sslmode=\(sslMode.rawValue)" }
        return text
    }

    /// The full URL, password included: for handing the store to a child process, never for printing.
    public var connectionString: String {
        let secret = password.map { ":" + ($0.addingPercentEncoding(withAllowedCharacters: .urlPasswordAllowed) ?? $0) } ?? ""
        var query = ["sslmode=\(sslMode.rawValue)", "connect_timeout=\(connectTimeout.components.seconds)",
                     "statement_timeout=\(statementTimeoutMilliseconds)", "pool_max=\(maximumConnections)"]
        if let socketDirectory { query.append("host=\(socketDirectory)") }
        return "postgres://\(encodedUser)\(secret)@\(server)/\(database)?" + query.joined(separator: "&")
    }

    private var encodedUser: String { username.addingPercentEncoding(withAllowedCharacters: .urlUserAllowed) ?? username }

    /// `host:port` (IPv6 in brackets), or nothing for a Unix socket.
    private var server: String {
        guard socketDirectory == nil else { return "" }
        return "\(host.contains(":") ? "[\(host)]" : host):\(port)"
    }

    /// `text` with any password in its user-info part replaced by `***`, for messages about unparsable input.
    public static func redacted(_ text: String) -> String {
        guard let scheme = text.range(of: "://") else { return text }
        let rest = text[scheme.upperBound...]
        guard let at = rest.lastIndex(of: "@") else { return text }
        let userInfo = rest[..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return text }
        return String(text[..<scheme.upperBound]) + userInfo[..<colon] + ":***" + rest[at...]
    }
}
