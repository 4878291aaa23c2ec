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
            return .sqlite(path: expandingTilde(path))
        }
        if spec.hasPrefix("postgres://") || spec.hasPrefix("postgresql://") { return .postgres(try PostgresStoreURL(parsing: spec)) }
        if spec.hasSuffix(".sqlite") || spec.hasSuffix(".db") { return .sqlite(path: expandingTilde(spec)) }
        throw StoreError(.invalidLocation, "unknown store '\(PostgresStoreURL.redacted(spec))': use sqlite:PATH or postgres://USER:PASSWORD@HOST:PORT/DATABASE")
    }

    /// The default embedded store: `$KILDE_HOME` or `~/.local/share/kilde`, `kilde.sqlite` or `kilde-demo.sqlite`.
    public static func defaultPath(demo: Bool, environment env: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let data = env["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (home(env) + "/.local/share")
        let kilde = env["KILDE_HOME"].flatMap { $0.isEmpty ? nil : expandingTilde($0, env) } ?? (data + "/kilde")
        return kilde + (demo ? "/kilde-demo.sqlite" : "/kilde.sqlite")
    }

    /// The home directory: `$HOME` first (a container, CI or a sandbox sets it elsewhere), else the account's.
    static func home(_ env: [String: String]) -> String {
        env["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
    }

    /// `~` and `~/…` resolved against ``home(_:)`` (Foundation's expansion reads the account's home, not `$HOME`).
    static func expandingTilde(_ path: String, _ env: [String: String] = ProcessInfo.processInfo.environment) -> String {
        guard path == "~" || path.hasPrefix("~/") else { return path }
        return home(env) + path.dropFirst()
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
