import ArgumentParser
import Foundation
import KildeCatalog
import KildeCore
import KildeIngest
import KildeSimulator
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

/// Options for commands that reach upstreams. Where each source lives and how fast Kilde may ask it come from the
/// catalogue (`sources.csv`); these override them.
struct UpstreamOptions: ParsableArguments {
    @Option(name: .long, help: "Base URL of the source `ssb` (default: the catalogue's, https://data.ssb.no). Also KILDE_SSB_URL.")
    var ssbURL: String?

    @Option(name: .long, help: ArgumentHelp("A source's base URL, KEY=URL (e.g. scb=https://statistikdatabasen.scb.se). Repeatable.", valueName: "key=url"))
    var sourceURL: [String] = []

    @Option(name: .long, help: "Send every source the simulator knows to a running `kilde sim` at this URL (e.g. http://127.0.0.1:8089).")
    var simURL: String?

    @Option(name: .long, help: "PxWeb API version for every PxWeb source: v2 or v0 (default: each source's own).")
    var pxwebAPI: String?

    @Option(name: .long, help: "Requests per minute per upstream host (default: each source's own, e.g. SSB's 30).")
    var rateLimit: Int?

    /// Base URLs by source key: the simulator's (when one runs), then --sim-url, --source-url and --ssb-url, each
    /// overriding the one before.
    func baseURLs(simulator: [String: String] = [:], registry: Registry) throws -> [String: String] {
        var out = simulator
        if let simURL { out.merge(RunningSimulator.baseURLs(at: simURL)) { _, new in new } }
        for spec in sourceURL {
            let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, registry.source(key: parts[0]) != nil else {
                throw CLIError(.usage, "--source-url must be KEY=URL with a source key from the catalogue (\(registry.catalog.sources.map(\.key).joined(separator: ", "))), not '\(spec)'")
            }
            out[parts[0]] = parts[1]
        }
        if let ssb = ssbURL ?? ProcessInfo.processInfo.environment["KILDE_SSB_URL"].flatMap({ $0.isEmpty ? nil : $0 }) { out["ssb"] = ssb }
        return out
    }

    /// The upstream clients: one fetcher with the catalogue's rate limit per source's base URL (or --rate-limit for
    /// all), so sources behind one host (the simulator) do not share the strictest one's limit.
    /// The caller shuts the fetcher down.
    /// - Parameter attempts: attempts per request; `nil` keeps the fetcher's default (an ingest's patience).
    func upstream(registry: Registry, simulator: [String: String] = [:], attempts: Int? = nil) throws -> Upstream {
        var options = AdapterOptions()
        if let pxwebAPI {
            guard ["v0", "v2"].contains(pxwebAPI) else { throw CLIError(.usage, "--pxweb-api must be v0 or v2") }
            options["api"] = pxwebAPI
        }
        let urls = try baseURLs(simulator: simulator, registry: registry)
        var c = HTTPFetcher.Configuration()
        for source in registry.catalog.sources {
            let base = urls[source.key] ?? source.url
            if let limit = rateLimit ?? source.rateLimitPerMinute { c.rateLimits[base] = min(limit, c.rateLimits[base] ?? limit) }
        }
        if let rateLimit { c.defaultRateLimit = rateLimit }
        if let attempts { c.retry.maxAttempts = attempts }
        return Upstream(fetcher: HTTPFetcher(configuration: c), baseURLs: urls, sourceOptions: options)
    }
}

/// Runs `body` with the upstream clients and shuts them down after, whatever happens.
func withUpstream<T>(_ options: UpstreamOptions, registry: Registry, attempts: Int? = nil, _ body: (Upstream) async throws -> T) async throws -> T {
    let upstream = try options.upstream(registry: registry, attempts: attempts)
    do {
        let result = try await body(upstream)
        try? await upstream.fetcher.shutdown()
        return result
    } catch {
        try? await upstream.fetcher.shutdown()
        throw error
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
            case .store, .storeUnreachable: return CLIError(.store, e.description)
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
            printErr("kilde: \(e.message)\n")
            throw ExitCode(e.kind.rawValue)
        }
    }
}

/// The part of a dataset's plan a run covers, as `kilde ingest` and `kilde plan` take it: the same selection
/// `POST /v1/admin/ingest` takes as JSON, parsed and resolved by ``SelectionRequest``.
struct SelectionOptions: ParsableArguments {
    @Option(name: [.customLong("years"), .customLong("year")], help: "Only these years, e.g. 2020-2024 or 2023.")
    var years: String?

    @Option(name: .long, help: "AXIS=TOKEN[,TOKEN…]: only slices with these filter values (axes: fire_type, building_type, building_age, region). Repeatable.")
    var filter: [String] = []

    @Option(name: .long, help: "value or value_kr: only the slices of that metric pass (BRASK's counts or damage in thousands of NOK).")
    var metric: String?

    /// The request, before it is checked against a dataset.
    func request() throws -> SelectionRequest {
        var filters: [String: [String]] = [:]
        for spec in filter {
            let (axis, tokens) = try Self.axisTokens(spec, option: "--filter")
            filters[axis, default: []] += tokens
        }
        return SelectionRequest(years: years, filters: filters, metric: metric)
    }

    /// `AXIS=TOKEN[,TOKEN…]` split into the axis name and its tokens.
    /// - Throws: ``CLIError`` `.usage` naming `option` when there is no `=`.
    static func axisTokens(_ spec: String, option: String) throws -> (axis: String, tokens: [String]) {
        let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { throw CLIError(.usage, "\(option) must be AXIS=TOKENS, not '\(spec)'") }
        return (parts[0], parts[1].split(separator: ",").map(String.init))
    }

    /// The selection for `dataset`. With no filter and no metric, an unknown dataset is left to the pipeline, which
    /// lists the known ones.
    func resolve(dataset key: String, registry: Registry) throws -> SliceSelection {
        let request = try request()
        guard let dataset = registry.dataset(key: key) else {
            guard request.filters.isEmpty, request.metric == nil else { throw CLIError(.usage, "unknown dataset '\(key)'; see `kilde catalog`") }
            return SliceSelection(years: try years.map(parseYears))
        }
        do {
            return try request.resolve(dataset: dataset, registry: registry)
        } catch {
            throw CLIError(.usage, "--\(error.parameter == "years" || error.parameter == "metric" ? error.parameter : "filter"): \(error.description)")
        }
    }
}
