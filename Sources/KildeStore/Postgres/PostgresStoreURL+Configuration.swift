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

    /// The pool's configuration.
    func clientConfiguration() throws -> PostgresClient.Configuration {
        var c: PostgresClient.Configuration
        if let socketDirectory {
            c = .init(unixSocketPath: "\(socketDirectory)/.s.PGSQL.\(port)", username: username, password: password, database: database)
        } else {
            let tls: PostgresClient.Configuration.TLS = switch sslMode {
            case .disable: .disable
            case .prefer: .prefer(tlsConfiguration())
            case .require, .verifyCA, .verifyFull: .require(tlsConfiguration())
            }
            c = .init(host: host, port: port, username: username, password: password, database: database, tls: tls)
        }
        c.options.connectTimeout = connectTimeout
        c.options.maximumConnections = maximumConnections
        c.options.additionalStartupParameters = startupParameters
        return c
    }

    /// The same settings for one direct connection.
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        var c: PostgresConnection.Configuration
        if let socketDirectory {
            c = .init(unixSocketPath: "\(socketDirectory)/.s.PGSQL.\(port)", username: username, password: password, database: database)
        } else {
            let tls: PostgresConnection.Configuration.TLS = switch sslMode {
            case .disable: .disable
            case .prefer: .prefer(try NIOSSLContext(configuration: tlsConfiguration()))
            case .require, .verifyCA, .verifyFull: .require(try NIOSSLContext(configuration: tlsConfiguration()))
            }
            c = .init(host: host, port: port, username: username, password: password, database: database, tls: tls)
        }
        c.options.connectTimeout = .nanoseconds(Int64(connectTimeout.components.seconds) * 1_000_000_000)
        c.options.additionalStartupParameters = startupParameters
        return c
    }
}
