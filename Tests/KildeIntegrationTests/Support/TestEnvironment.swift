import Foundation
import KildeCatalog
import KildeCore
import KildeIngest
import KildeSimulator
import KildeSources
@testable import KildeStore
import KildeUpstream
import Testing

/// The stores the behavioural tests run against: SQLite always; PostgreSQL when `KILDE_TEST_POSTGRES_URL`
/// names a server (`scripts/with-postgres` starts one and sets it).
enum StoreKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite
    case postgres

    var description: String { rawValue }

    /// `KILDE_TEST_STORES=postgres` (or `sqlite`, or both comma-separated) narrows the list.
    static var enabled: [StoreKind] {
        let available: [StoreKind] = PostgresTestServer.url == nil ? [.sqlite] : [.sqlite, .postgres]
        guard let only = ProcessInfo.processInfo.environment["KILDE_TEST_STORES"], !only.isEmpty else { return available }
        let wanted = Set(only.split(separator: ",").compactMap { StoreKind(rawValue: $0.trimmingCharacters(in: .whitespaces)) })
        return available.filter(wanted.contains)
    }
}

/// A simulator on loopback, a fresh store and a pipeline pointed at both.
final class TestEnvironment: Sendable {
    let registry: Registry
    let sim: RunningSimulator
    let store: any FactStore
    let fetcher: HTTPFetcher
    let pipeline: IngestPipeline
    let directory: URL
    let storePath: String
    /// `--store` / `KILDE_STORE` for a `kilde` child process on the same store (it may hold a password).
    let storeSpec: String
    /// The per-test database, dropped by ``stop()``.
    let postgresDatabase: PostgresStoreURL?

    /// - Parameter catalog: changes the shipped catalogue before anything uses it (a test's own dataset, say).
    static func start(_ kind: StoreKind, sim: RunningSimulator, registry: Registry, api: PxWebHost.API = .v2,
                      kinds: AdapterKinds = .builtIn) async throws -> TestEnvironment {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kilde-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("kilde.sqlite").path
        let store: any FactStore
        var database: PostgresStoreURL?
        do {
            switch kind {
            case .sqlite:
                store = try await SQLiteFactStore.open(path: path)
            case .postgres:
                let url = try await PostgresTestServer.createDatabase()
                database = url
                store = try await PostgresFactStore.open(url)
            }
        } catch {
            if let database { await PostgresTestServer.dropDatabase(database) }
            throw error
        }
        var config = HTTPFetcher.Configuration()
        config.retry = .fast
        config.defaultRateLimit = 100_000
        config.requestTimeout = .seconds(20)
        let fetcher = HTTPFetcher(configuration: config)
        let upstream = Upstream(fetcher: fetcher, baseURLs: sim.baseURLs, sourceOptions: ["api": api.rawValue])
        let pipeline = IngestPipeline(store: store, registry: registry, upstream: upstream, bronze: Bronze.beside(storePath: path), kinds: kinds)
        return TestEnvironment(registry: registry, sim: sim, store: store, fetcher: fetcher, pipeline: pipeline, directory: dir, storePath: path,
                               storeSpec: database?.connectionString ?? "sqlite:" + path, postgresDatabase: database)
    }

    init(registry: Registry, sim: RunningSimulator, store: any FactStore, fetcher: HTTPFetcher, pipeline: IngestPipeline, directory: URL, storePath: String,
         storeSpec: String, postgresDatabase: PostgresStoreURL?) {
        self.registry = registry
        self.sim = sim
        self.store = store
        self.fetcher = fetcher
        self.pipeline = pipeline
        self.directory = directory
        self.storePath = storePath
        self.storeSpec = storeSpec
        self.postgresDatabase = postgresDatabase
    }

    func stop() async {
        try? await fetcher.shutdown()
        try? await store.close()
        if let postgresDatabase { await PostgresTestServer.dropDatabase(postgresDatabase) }
        try? FileManager.default.removeItem(at: directory)
    }

    /// Runs `body` with a started environment, its store migrated, and always stops it. The simulator, the store
    /// and the HTTP client live for `body` (the latter two as services, as in `kilde`).
    /// - Parameter catalog: changes the shipped catalogue before anything uses it (a test's own dataset, say).
    static func with<T>(_ kind: StoreKind, api: PxWebHost.API = .v2, kinds: AdapterKinds = .builtIn,
                        catalog: (Catalog) throws -> Catalog = { $0 }, _ body: (TestEnvironment) async throws -> T) async throws -> T {
        let registry = try Registry(catalog: catalog(try BundledCatalog.load()))
        return try await RunningSimulator.with(registry: registry) { sim in
            let env = try await start(kind, sim: sim, registry: registry, api: api, kinds: kinds)
            do {
                let r = try await ServiceScope.run([env.store, env.fetcher]) {
                    _ = try await env.store.migrate(catalog: env.registry.catalog)
                    return try await body(env)
                }
                await env.stop()
                return r
            } catch {
                await env.stop()
                throw error
            }
        }
    }

    var state: SimulatorState { sim.simulator.state }

    /// Every stored fact of a dataset, keyed, for before/after comparisons.
    func snapshot(_ key: String) async throws -> [String: Double] {
        let ds = try dataset(key)
        let rows = try await store.queryFacts(FactQuery(sourceID: ds.sourceID, dimCode: ds.dimCode, anyAxes: Set(FilterAxis.allCases)))
        var out: [String: Double] = [:]
        for r in rows { out["\(r.catCode)|\(r.period)|\(r.buildingType ?? "-")|\(r.regionCode ?? "-")"] = r.value }
        return out
    }

    func dataset(_ key: String) throws -> DatasetDefinition {
        guard let ds = registry.dataset(key: key) else { throw TestFailure("no dataset \(key)") }
        return ds
    }

    /// The sum of stored atoms over a slice's keys.
    func storedSum(_ slice: Slice) async throws -> Double {
        let ds = try dataset(slice.dataset)
        var q = FactQuery(sourceID: ds.sourceID, dimCode: slice.dimCode, filters: slice.filters, years: slice.years)
        q.grain = .year
        return try await store.queryFacts(q).compactMap(\.value).reduce(0, +)
    }

    /// What the simulated upstream holds for a slice: the sum over its cells, and each cell, from the generator itself.
    func upstreamCells(_ slice: Slice, revised: Bool) throws -> [String: Double] {
        let ds = try dataset(slice.dataset)
        guard let table = sim.simulator.tables.tables[ds.tableID] else { throw TestFailure("table \(ds.tableID) not simulated") }
        let national = try #require(ds.options["national"])
        let regions = slice.filters[.region].map { registry.nativeCodes(ofFilters: $0, source: ds.sourceID, axis: .region).codes } ?? [national]
        // A building-type filter asks for the contents code it is; none asks for the stored codes that are no filter.
        let contents = slice.filters[.buildingType].map { registry.nativeCodes(ofFilters: $0, source: ds.sourceID, axis: .buildingType).codes }
            ?? registry.categories(source: ds.sourceID, dim: slice.dimCode)
                .filter { !$0.isNativeOnly && registry.filter(source: ds.sourceID, axis: .buildingType, nativeCode: $0.nativeAPICode) == nil }
                .map(\.nativeAPICode)
        let years = slice.years.map { Array($0.years) } ?? table.time.values.compactMap { Int($0.code) }
        var out: [String: Double] = [:]
        for r in regions { for c in contents { for y in years {
            if let v = table.value(region: r, contents: c, year: y, revised: revised), v != 0 { out["\(r)|\(c)|\(y)"] = v }
        } } }
        return out
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
