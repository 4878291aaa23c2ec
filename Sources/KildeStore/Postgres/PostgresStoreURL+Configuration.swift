import PostgresNIO

extension PostgresStoreURL {
    /// Run-time parameters every connection starts with: the schemas the shared SQL's unqualified names
    /// resolve in, and the server-side statement timeout.
    var startupParameters: [(String, String)] {
        [("search_path", PostgresSchema.searchPath), ("statement_timeout", String(statementTimeoutMilliseconds)),
         ("application_name", "kilde")]
    }

    /// The TLS configuration for ``sslMode``, with libpq's meaning of each mode.
    func tlsConfiguration() -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch sslMode {
        case .disable, .prefer, .require: tls.certificateVerification = .none
        case .verifyCA: tls.certificateVerification = .noHostnameVerification
        case .verifyFull: tls.certificateVerification = .fullVerification
        }
        return tls
    }

    /// The server's Unix socket file, when connecting through one.
    var socketPath: String? { socketDirectory.map { "\($0)/.s.PGSQL.\(port)" } }

    /// Whether TLS is off, tried, or demanded; the two driver configurations spell each differently.
    enum TLSPolicy { case off, tried, demanded }

    var tlsPolicy: TLSPolicy {
        switch sslMode {
        case .disable: .off
        case .prefer: .tried
        case .require, .verifyCA, .verifyFull: .demanded
        }
    }

    /// The pool's configuration.
    func clientConfiguration() throws -> PostgresClient.Configuration {
        var c: PostgresClient.Configuration
        if let socketPath {
            c = .init(unixSocketPath: socketPath, username: username, password: password, database: database)
        } else {
            let tls: PostgresClient.Configuration.TLS = switch tlsPolicy {
            case .off: .disable
            case .tried: .prefer(tlsConfiguration())
            case .demanded: .require(tlsConfiguration())
            }
            c = .init(host: host, port: port, username: username, password: password, database: database, tls: tls)
        }
        c.options.connectTimeout = connectTimeout
        c.options.maximumConnections = maximumConnections
        c.options.additionalStartupParameters = startupParameters
        return c
    }

    /// The same settings for one direct connection (the reachability check at open).
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        var c: PostgresConnection.Configuration
        if let socketPath {
            c = .init(unixSocketPath: socketPath, username: username, password: password, database: database)
        } else {
            let tls: PostgresConnection.Configuration.TLS = switch tlsPolicy {
            case .off: .disable
            case .tried: .prefer(try NIOSSLContext(configuration: tlsConfiguration()))
            case .demanded: .require(try NIOSSLContext(configuration: tlsConfiguration()))
            }
            c = .init(host: host, port: port, username: username, password: password, database: database, tls: tls)
        }
        c.options.connectTimeout = .nanoseconds(Int64(connectTimeout.components.seconds) * 1_000_000_000)
        c.options.additionalStartupParameters = startupParameters
        return c
    }
}
