import Foundation

/// Where a store lives, parsed from `--store` / `KILDE_STORE`.
public enum StoreLocation: Sendable, Hashable, CustomStringConvertible {
    /// An embedded SQLite file.
    case sqlite(path: String)
    /// A PostgreSQL database.
    case postgres(PostgresStoreURL)

    /// Parses `sqlite:PATH`, a bare path ending in `.sqlite` / `.db`, or `postgres://USER:PASSWORD@HOST:PORT/DATABASE`.
    /// - Throws: ``StoreError`` `.invalidLocation` naming what is accepted; a password in `spec` is never repeated.
    public static func parse(_ spec: String) throws -> StoreLocation {
        if spec.hasPrefix("sqlite:") {
            let path = String(spec.dropFirst("sqlite:".count))
            guard !path.isEmpty else { throw StoreError(.invalidLocation, "sqlite: needs a path, e.g. sqlite:./kilde.sqlite") }
            return .sqlite(path: (path as NSString).expandingTildeInPath)
        }
        if spec.hasPrefix("postgres://") || spec.hasPrefix("postgresql://") { return .postgres(try PostgresStoreURL(parsing: spec)) }
        if spec.hasSuffix(".sqlite") || spec.hasSuffix(".db") { return .sqlite(path: (spec as NSString).expandingTildeInPath) }
        throw StoreError(.invalidLocation, "unknown store '\(PostgresStoreURL.redacted(spec))': use sqlite:PATH or postgres://USER:PASSWORD@HOST:PORT/DATABASE")
    }

    /// The default embedded store: `$KILDE_HOME` or `~/.local/share/kilde`, `kilde.sqlite` or `kilde-demo.sqlite`.
    public static func defaultPath(demo: Bool) -> String {
        let env = ProcessInfo.processInfo.environment
        let home = env["KILDE_HOME"] ?? ((env["XDG_DATA_HOME"] ?? (NSHomeDirectory() + "/.local/share")) + "/kilde")
        return home + (demo ? "/kilde-demo.sqlite" : "/kilde.sqlite")
    }

    /// Safe to print: a PostgreSQL location leaves out the password.
    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let url): url.description
        }
    }

    /// The embedded file's path, used to place bronze beside it; `nil` for a server.
    public var filePath: String? {
        switch self {
        case .sqlite(let path): path
        case .postgres: nil
        }
    }

    /// Opens the store.
    public func open() async throws -> any FactStore {
        switch self {
        case .sqlite(let path): try await SQLiteFactStore.open(path: path)
        case .postgres(let url): try await PostgresFactStore.open(url)
        }
    }
}
