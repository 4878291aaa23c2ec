import PostgresNIO

/// Turns driver errors into ``StoreError``s with one line a person can act on.
///
/// `PSQLError.description` is deliberately generic (it may not leak query text); the useful parts are the
/// server's message and SQLSTATE, or the underlying network error. Neither contains the password.
enum PostgresErrorMapping {
    static func storeError(_ error: any Error, location: String) -> any Error {
        switch error {
        case let e as StoreError: return e
        case is CancellationError: return error
        case let e as PSQLError: return storeError(e, location: location)
        default: return StoreError(.other, "PostgreSQL (\(location)): \(error)")
        }
    }

    static func storeError(_ e: PSQLError, location: String) -> StoreError {
        if let info = e.serverInfo {
            let state = info[.sqlState] ?? ""
            let message = info[.message] ?? "error"
            let detail = info[.detail].map { " (\($0))" } ?? ""
            switch state {
            case let s where s.hasPrefix("23") || s == "P0001":
                // Integrity constraints and trigger checks: the store rejected a row.
                return StoreError(.constraint, "store rejected the row: \(message)\(detail)", sqlState: state)
            case let s where s.hasPrefix("08") || s.hasPrefix("28") || s == "3D000" || s.hasPrefix("57P"):
                // Connection, authentication, missing database, server shutting down.
                return StoreError(.connection, "cannot use PostgreSQL at \(location): \(message)", sqlState: state)
            case "57014":
                return StoreError(.other, "PostgreSQL cancelled a statement at \(location): \(message) (see statement_timeout)", sqlState: state)
            default:
                return StoreError(.other, "PostgreSQL: \(message)\(detail) [SQLSTATE \(state)]", sqlState: state)
            }
        }
        switch e.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .poolClosed, .uncleanShutdown,
             .sslUnsupported, .failedToAddSSLHandler, .receivedUnencryptedDataAfterSSLRequest:
            return StoreError(.connection, "cannot reach PostgreSQL at \(location): \(reason(e))")
        case .unsupportedAuthMechanism, .authMechanismRequiresPassword, .saslError:
            return StoreError(.connection, "cannot log in to PostgreSQL at \(location): \(reason(e))")
        case .tooManyParameters:
            return StoreError(.other, "PostgreSQL: a statement had more than 65,535 parameters")
        default:
            return StoreError(.other, "PostgreSQL (\(location)): \(reason(e))")
        }
    }

    /// The most specific human text available: the underlying network error, else the code.
    static func reason(_ e: PSQLError) -> String {
        if let underlying = e.underlying { return "\(underlying)" }
        switch e.code {
        case .sslUnsupported: return "the server does not offer TLS (sslmode=require); use sslmode=prefer or disable"
        case .authMechanismRequiresPassword: return "the server asks for a password and the URL has none"
        default: return "\(e.code)"
        }
    }
}
