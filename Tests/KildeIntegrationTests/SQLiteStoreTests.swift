import Foundation
import KildeCatalog
import KildeCore
@testable import KildeStore
import Testing

/// What only the embedded store has: its physical design for serving reads.
@Suite("SQLite store")
struct SQLiteStoreTests {
    @Test("a yearly facts read searches the read index by every axis and never looks its rows up in the table", arguments: [
        // The typical explore read, several regions (a varying axis), the national series (region NULL), categories,
        // another filter axis and the BRASK metric.
        FactSeriesQuery(sourceID: 5, dimCode: 5, filters: [.region: [50301]], years: YearWindow(first: 2015, last: 2024)),
        FactSeriesQuery(sourceID: 5, dimCode: 5, filters: [.region: [50301, 54601]], years: YearWindow(first: 2015, last: 2024)),
        FactSeriesQuery(sourceID: 5, dimCode: 5),
        FactSeriesQuery(sourceID: 5, dimCode: 5, catCodes: [510, 511], filters: [.region: [50301]]),
        FactSeriesQuery(sourceID: 5, dimCode: 5, filters: [.region: [50301], .buildingType: [64]]),
        FactSeriesQuery(sourceID: 5, dimCode: 5, filters: [.region: [50301]], metric: .valueKr),
    ])
    func coveringReadIndex(_ q: FactSeriesQuery) async throws {
        try await TestEnvironment.with(.sqlite) { env in
            let db = try #require(env.store as? SQLiteFactStore).readDatabase
            for ordered in [false, true] {
                let statement = db.seriesStatement(q, ordered: ordered)
                let plan = try await db.execute("EXPLAIN QUERY PLAN " + statement.sql, statement.binds).compactMap { $0.string("detail") }
                let factScan = plan.filter { $0.contains(" f ") || $0.hasSuffix(" f") }
                #expect(!factScan.isEmpty && factScan.allSatisfy { $0.contains("USING COVERING INDEX fact_yearly_read_region") },
                        "ordered: \(ordered), plan: \(plan)")
                // Every axis is an equality (IN, or IS NULL when omitted) the index searches by, not a filter on
                // the rows of a year range: a read of one building-age value steps over no other.
                #expect(factScan.allSatisfy { $0.contains("building_age_code=?") }, "ordered: \(ordered), plan: \(plan)")
            }
        }
    }

    /// Two first `kilde` commands on a fresh file race to switch it to WAL; SQLite reports the loser busy at once,
    /// without waiting on its busy timeout. Each round is a new file, so every round is a first open.
    @Test("two stores opening and migrating one fresh file at once both succeed (no 'database is locked')")
    func concurrentFirstOpen() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kilde-first-open-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let catalog = try BundledCatalog.load()
        for round in 0..<100 {
            let path = dir.appendingPathComponent("\(round).sqlite").path
            // Results, not throws: a store that opened is closed even when the other did not (an open connection
            // must not be dropped).
            async let first = Self.open(path)
            async let second = Self.open(path)
            let opened = await [first, second]
            let stores = opened.compactMap { try? $0.get() }
            guard stores.count == 2 else {
                for store in stores { try await store.close() }
                Issue.record("round \(round): \(opened)")
                return
            }
            async let migrated = Self.migrate(stores[0], catalog)
            async let alsoMigrated = Self.migrate(stores[1], catalog)
            let outcomes = await [migrated, alsoMigrated]
            for store in stores { try await store.close() }
            let reports = try outcomes.map { try $0.get() }
            // Each migration is applied once, by whichever store took its lock first.
            let applied = reports.flatMap(\.applied)
            #expect(applied.count == Set(applied).count && Set(applied) == Set(SQLiteSchema.migrations.map(\.version)), "\(reports.map(\.applied))")
        }
    }

    static func migrate(_ store: SQLiteFactStore, _ catalog: Catalog) async -> Result<MigrationReport, any Error> {
        do { return .success(try await store.migrate(catalog: catalog)) } catch { return .failure(error) }
    }

    static func open(_ path: String) async -> Result<SQLiteFactStore, any Error> {
        do { return .success(try await SQLiteFactStore.open(path: path)) } catch { return .failure(error) }
    }
}
