import Foundation
import KildeCore

extension SQLDatabase {
    /// Upserts every catalogue row into the registry tables, 100 rows a statement (the catalogue holds a row per
    /// region code, and a statement per row made every command's start pay for a thousand round trips).
    func syncRegistry(_ c: Catalog) async throws -> Int {
        try await insertChunked(c.sources, into: """
            sources (source_id, key, name, publisher, attribution, url, supports_subyear, rate_limit_per_minute, options)
            """, upsert: Self.upsert(key: "source_id", set: "key, name, publisher, attribution, url, supports_subyear, rate_limit_per_minute, options")) { b, s in
            [b.bind(.int(s.id)), b.bind(.text(s.key)), b.bind(.text(s.name)), b.bind(.text(s.publisher)), b.bind(.text(s.attribution)),
             b.bind(.text(s.url)), b.flag(s.supportsSubyear), b.bind(.optional(s.rateLimitPerMinute)), b.bind(.text(s.options.description))]
        }
        try await insertChunked(c.dimensions, into: "dimensions (dim_code, name, description)",
                                upsert: Self.upsert(key: "dim_code", set: "name, description")) { b, d in
            [b.bind(.int(d.code)), b.bind(.text(d.name)), b.bind(.text(d.description))]
        }
        try await insertChunked(c.categories, into: """
            categories (source_id, dim_code, cat_code, native_api_code, native_name, name, standard_code, sort_order, is_native_only, unit, verified)
            """, upsert: Self.upsert(key: "source_id, dim_code, cat_code",
                                     set: "native_api_code, native_name, name, standard_code, sort_order, is_native_only, unit, verified")) { b, x in
            [b.bind(.int(x.sourceID)), b.bind(.int(x.dimCode)), b.bind(.int(x.catCode)), b.bind(.text(x.nativeAPICode)), b.bind(.text(x.nativeName)),
             b.bind(.text(x.name)), b.bind(.optional(x.standardCode)), b.bind(.int(x.sortOrder)), b.flag(x.isNativeOnly),
             b.bind(.optional(x.unit)), b.flag(x.verified)]
        }
        try await insertChunked(c.filters, into: """
            filters (id, source_id, axis, native_code, native_name, standard_code, applicable_dim_codes, sort_order, level, valid_from, valid_to)
            """, upsert: Self.upsert(key: "id", set: """
                source_id, axis, native_code, native_name, standard_code, applicable_dim_codes, sort_order, level, valid_from, valid_to
                """)) { b, f in
            [b.bind(.int(f.id)), b.bind(.int(f.sourceID)), b.bind(.text(f.axis.rawValue)), b.bind(.text(f.nativeCode)), b.bind(.text(f.nativeName)),
             b.bind(.optional(f.standardCode)), b.bind(dialect.dimCodes(f.applicableDimCodes).bind), b.bind(.int(f.sortOrder)),
             b.bind(.optional(f.level?.rawValue)), b.bind(.optional(f.validFrom)), b.bind(.optional(f.validTo))]
        }
        try await insertChunked(c.datasets, into: """
            datasets (key, source_id, adapter, table_id, title, dim_code, schedule, freshness_months, is_default, options, grain, attribution)
            """, upsert: Self.upsert(key: "key", set: """
                source_id, adapter, table_id, title, dim_code, schedule, freshness_months, is_default, options, grain, attribution
                """)) { b, d in
            [b.bind(.text(d.key)), b.bind(.int(d.sourceID)), b.bind(.text(d.adapter)), b.bind(.text(d.tableID)), b.bind(.text(d.title)),
             b.bind(.int(d.dimCode)), b.bind(.text(d.schedule)), b.bind(.int(d.freshnessMonths)), b.flag(d.isDefault),
             b.bind(.text(d.options.description)), b.bind(.text(d.grain.rawValue)), b.bind(.optional(d.attribution))]
        }
        try await syncIndicators(c)
        return c.sources.count + c.dimensions.count + c.categories.count + c.filters.count + c.datasets.count + c.indicators.count
    }

    /// `ON CONFLICT (key) DO UPDATE` setting each of the comma-separated `set` columns to the inserted row's.
    static func upsert(key: String, set: String) -> String {
        "ON CONFLICT (\(key)) DO UPDATE SET " + set.split(separator: ",").map { c in
            let column = c.trimmingCharacters(in: .whitespacesAndNewlines)
            return "\(column)=excluded.\(column)"
        }.joined(separator: ", ")
    }

    /// Replaces the indicators with the catalogue's: nothing refers to them, and an indicator dropped from the
    /// catalogue must stop feeding the mart. Fixed filters are stored as filter ids.
    func syncIndicators(_ c: Catalog) async throws {
        try await execute("DELETE FROM indicators")
        try await insertChunked(c.indicators, into: """
            indicators (key, dataset, cat_code, fire_type_code, building_type_code, building_age_code, unit, title, sort_order, is_default)
            """) { b, i in
            let source = c.datasets.first { $0.key == i.dataset }?.sourceID
            func filterID(_ axis: FilterAxis) -> SQLValue {
                .optional(i.filters[axis].flatMap { code in c.filters.first { $0.sourceID == source && $0.axis == axis && $0.nativeCode == code }?.id })
            }
            return [b.bind(.text(i.key)), b.bind(.text(i.dataset)), b.bind(.int(i.catCode)), b.bind(filterID(.fireType)),
                    b.bind(filterID(.buildingType)), b.bind(filterID(.buildingAge)), b.bind(.text(i.unit)), b.bind(.text(i.title)),
                    b.bind(.int(i.sortOrder)), b.flag(i.isDefault)]
        }
    }

    func tableCounts() async throws -> [String: Int] {
        var out: [String: Int] = [:]
        for t in ["sources", "dimensions", "categories", "filters", "datasets", "fact_yearly", "fact_daily",
                  "ingest_runs", "extraction_state", "raw_artifacts", "source_totals"] {
            out[t] = try await execute("SELECT count(*) AS n FROM \(t)").first?.int("n") ?? 0
        }
        return out
    }

    func dataKind() async throws -> DataKind? {
        try await execute("SELECT value FROM store_meta WHERE key = 'data_kind'").first?.string("value").flatMap(DataKind.init(rawValue:))
    }
}

extension SQLDialect {
    /// Run after a migration's registry sync: a new PostgreSQL store's registry has no planner statistics until
    /// autovacuum reaches it, and without them the fact checks' anti-join against `filters` (estimated at 3 rows, not
    /// a thousand) becomes a nested loop: 1 s instead of milliseconds for a first load of 26,800 rows.
    var registryStatistics: [String] { self == .postgres ? ["ANALYZE registry.categories, registry.filters"] : [] }

    /// Taken first in the registry sync's transaction, so two processes starting on one store sync one after the
    /// other. PostgreSQL's `ON CONFLICT (source_id)` handles only that key: two syncs inserting the same new source
    /// at once failed on its other unique key (`key`). SQLite's `BEGIN IMMEDIATE` already serialises them.
    var registrySyncLock: String? { self == .postgres ? "SELECT pg_advisory_xact_lock(\(PostgresSchema.migrationLock))" : nil }
}
