import ArgumentParser
import Foundation
import KildeCatalog
import KildeCore
import KildeIngest
import KildeSources
import KildeStore
import KildeUpstream
import Logging

/// Options every store-using command shares.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Store: sqlite:PATH or postgres://USER:PASSWORD@HOST:PORT/DATABASE[?sslmode=disable|prefer|require] (default: the embedded file, see `kilde up --help`). Also KILDE_STORE.",
        discussion: "Prefer KILDE_STORE for a URL with a password: command lines are visible to other users of the machine."))
    var store: String?

    @Option(name: .long, help: "Catalogue directory with the CSV files (default: the shipped catalogue). Also KILDE_CATALOG.")
    var catalog: String?

    @Flag(name: .long, help: "Use the demo store (data from the built-in simulator).")
    var demo = false

    @Flag(name: .long, help: "Machine-readable JSON output.")
    var json = false

    func registry() throws -> Registry {
        let dir = catalog ?? ProcessInfo.processInfo.environment["KILDE_CATALOG"]
        do {
            return try BundledCatalog.registry(from: dir.map { URL(fileURLWithPath: $0) })
        } catch {
            throw CLIError(.usage, "\(error)")
        }
    }

    var location: StoreLocation {
        get throws {
            let spec = store ?? ProcessInfo.processInfo.environment["KILDE_STORE"]
            guard let spec else { return .sqlite(path: StoreLocation.defaultPath(demo: demo)) }
            do { return try StoreLocation.parse(spec) } catch { throw CLIError(.usage, "\(error)") }
        }
    }

    /// Opens the store; the caller closes it.
    func open() async throws -> any FactStore {
        do {
            return try await location.open()
        } catch let e as StoreError {
            throw CLIError(.store, e.message)
        }
    }
}

/// Options for commands that reach upstreams.
struct UpstreamOptions: ParsableArguments {
    @Option(name: .long, help: "SSB base URL (default https://data.ssb.no). Also KILDE_SSB_URL.")
    var ssbURL: String?

    @Option(name: .long, help: "PxWeb API version: v2 (default) or v0.")
    var pxwebAPI: String = "v2"

    @Option(name: .long, help: "Requests per minute per upstream host (default: SSB's 30).")
    var rateLimit: Int?

    func pxweb(baseURL override: String? = nil) throws -> PxWebClient.Configuration {
        guard let api = PxWebClient.API(rawValue: pxwebAPI) else { throw CLIError(.usage, "--pxweb-api must be v0 or v2") }
        var c = PxWebClient.Configuration()
        c.baseURL = override ?? ssbURL ?? ProcessInfo.processInfo.environment["KILDE_SSB_URL"] ?? c.baseURL
        c.api = api
        return c
    }

    func fetcherConfiguration(host: String?) -> HTTPFetcher.Configuration {
        var c = HTTPFetcher.Configuration()
        if let rateLimit, let host { c.rateLimits[host] = rateLimit; c.defaultRateLimit = rateLimit }
        return c
    }
}

/// `--filter AXIS=TOKEN[,TOKEN…]` options (`kilde query`, `kilde ingest`) → filter ids of `dataset`'s dimension.
///
/// Tokens are native codes (0301, EKA03), filter ids or standard codes (03 = every region of county 03); a
/// repeated axis adds its tokens. Resolution is the read API's: ``Registry/filterIDs(tokens:source:dimCode:)``.
func resolveFilters(_ specs: [String], dataset: String, registry: Registry) throws -> [FilterAxis: [Int]] {
    guard let ds = registry.dataset(key: dataset) else { throw CLIError(.usage, "unknown dataset '\(dataset)'; see `kilde catalog`") }
    var tokens: [FilterAxis: [String]] = [:]
    for spec in specs {
        let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, let axis = FilterAxis(rawValue: parts[0]) else { throw CLIError(.usage, "--filter must be AXIS=TOKENS, not '\(spec)'") }
        tokens[axis, default: []] += parts[1].split(separator: ",").map(String.init)
    }
    do {
        return try registry.filterIDs(tokens: tokens, source: ds.sourceID, dimCode: ds.dimCode)
    } catch {
        throw CLIError(.usage, error.description)
    }
}

/// A failure the CLI reports as one line and an exit code, without a stack trace.
struct CLIError: Error, CustomStringConvertible {
    enum Kind: Int32 {
        case slicesFailed = 1, usage = 2, store = 3, upstream = 4, activeRun = 5
    }

    var kind: Kind
    var message: String

    init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    var description: String { message }

    /// Maps library errors to CLI errors with the right exit code.
    static func from(_ error: any Error) -> CLIError {
        switch error {
        case let e as CLIError: return e
        case let e as IngestError:
            switch e.code {
            case .activeRun: return CLIError(.activeRun, e.description)
            case .unknownDataset, .invalidSlice, .filterNotPlanned: return CLIError(.usage, e.description)
            case .store: return CLIError(.store, e.description)
            default: return CLIError(.upstream, e.description)
            }
        case let e as StoreError:
            if case .activeRun = e.code { return CLIError(.activeRun, e.message) }
            return CLIError(.store, e.message)
        case let e as UpstreamError: return CLIError(.upstream, e.description)
        default: return CLIError(.upstream, "\(error)")
        }
    }
}

extension AsyncParsableCommand {
    /// Runs `body`, printing any error as one line on stderr and exiting with its code.
    func reporting(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let e as ExitCode {
            throw e
        } catch {
            let e = CLIError.from(error)
            FileHandle.standardError.write(Data("kilde: \(e.message)\n".utf8))
            throw ExitCode(e.kind.rawValue)
        }
    }
}
