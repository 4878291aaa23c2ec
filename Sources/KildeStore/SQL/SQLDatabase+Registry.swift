import KildeCore

extension SQLDatabase {
    /// Upserts every catalogue row into the registry tables.
    func syncRegistry(_ c: Catalog) async throws -> Int {
        let flag = dialect.flagPlaceholder
        for s in c.sources {
            try await execute("""
                INSERT INTO sources (source_id, key, name, publisher, attribution, url, supports_subyear, rate_limit_per_minute, options)
                VALUES (?,?,?,?,?,?,\(flag),?,?)
                ON CONFLICT (source_id) DO UPDATE SET key=excluded.key, name=excluded.name, publisher=excluded.publisher,
                  attribution=excluded.attribution, url=excluded.url, supports_subyear=excluded.supports_subyear,
                  rate_limit_per_minute=excluded.rate_limit_per_minute, options=excluded.options
                """, [.int(s.id), .text(s.key), .text(s.name), .text(s.publisher), .text(s.attribution), .text(s.url), .int(s.supportsSubyear ? 1 : 0),
                      .optional(s.rateLimitPerMinute), .text(s.options.description)])
        }
        for d in c.dimensions {
            try await execute("""
                INSERT INTO dimensions (dim_code, name, description) VALUES (?,?,?)
                ON CONFLICT (dim_code) DO UPDATE SET name=excluded.name, description=excluded.description
                """, [.int(d.code), .text(d.name), .text(d.description)])
        }
        for x in c.categories {
            try await execute("""
                INSERT INTO categories (source_id, dim_code, cat_code, native_api_code, native_name, name, standard_code, sort_order, is_native_only,
                  unit, verified)
                VALUES (?,?,?,?,?,?,?,?,\(flag),?,\(flag))
                ON CONFLICT (source_id, dim_code, cat_code) DO UPDATE SET native_api_code=excluded.native_api_code,
                  native_name=excluded.native_name, name=excluded.name, standard_code=excluded.standard_code,
                  sort_order=excluded.sort_order, is_native_only=excluded.is_native_only, unit=excluded.unit, verified=excluded.verified
                """, [.int(x.sourceID), .int(x.dimCode), .int(x.catCode), .text(x.nativeAPICode), .text(x.nativeName),
                      .text(x.name), .optional(x.standardCode), .int(x.sortOrder), .int(x.isNativeOnly ? 1 : 0),
                      .optional(x.unit), .int(x.verified ? 1 : 0)])
        }
        for f in c.filters {
            let (dims, dimsBind) = dialect.dimCodes(f.applicableDimCodes)
            try await execute("""
                INSERT INTO filters (id, source_id, axis, native_code, native_name, standard_code, applicable_dim_codes, sort_order,
                  level, valid_from, valid_to)
                VALUES (?,?,?,?,?,?,\(dims),?,?,?,?)
                ON CONFLICT (id) DO UPDATE SET source_id=excluded.source_id, axis=excluded.axis, native_code=excluded.native_code,
                  native_name=excluded.native_name, standard_code=excluded.standard_code,
                  applicable_dim_codes=excluded.applicable_dim_codes, sort_order=excluded.sort_order,
                  level=excluded.level, valid_from=excluded.valid_from, valid_to=excluded.valid_to
                """, [.int(f.id), .int(f.sourceID), .text(f.axis.rawValue), .text(f.nativeCode), .text(f.nativeName),
                      .optional(f.standardCode), dimsBind, .int(f.sortOrder), .optional(f.level?.rawValue), .optional(f.validFrom), .optional(f.validTo)])
        }
        for d in c.datasets {
            try await execute("""
                INSERT INTO datasets (key, source_id, adapter, table_id, title, dim_code, schedule, freshness_months, is_default,
                  options, grain, attribution)
                VALUES (?,?,?,?,?,?,?,?,\(flag),?,?,?)
                ON CONFLICT (key) DO UPDATE SET source_id=excluded.source_id, adapter=excluded.adapter, table_id=excluded.table_id,
                  title=excluded.title, dim_code=excluded.dim_code, schedule=excluded.schedule,
                  freshness_months=excluded.freshness_months, is_default=excluded.is_default,
                  options=excluded.options, grain=excluded.grain, attribution=excluded.attribution
                """, [.text(d.key), .int(d.sourceID), .text(d.adapter), .text(d.tableID), .text(d.title), .int(d.dimCode),
                      .text(d.schedule), .int(d.freshnessMonths), .int(d.isDefault ? 1 : 0),
                      .text(d.options.description), .text(d.grain.rawValue), .optional(d.attribution)])
        }
        try await syncIndicators(c)
        return c.sources.count + c.dimensions.count + c.categories.count + c.filters.count + c.datasets.count + c.indicators.count
    }

    /// Replaces the indicators with the catalogue's: nothing refers to them, and an indicator dropped from the
    /// catalogue must stop feeding the mart. Fixed filters are stored as filter ids.
    func syncIndicators(_ c: Catalog) async throws {
        try await execute("DELETE FROM indicators")
        let flag = dialect.flagPlaceholder
        for i in c.indicators {
            let source = c.datasets.first { $0.key == i.dataset }?.sourceID
            func filterID(_ axis: FilterAxis) -> SQLValue {
                .optional(i.filters[axis].flatMap { code in c.filters.first { $0.sourceID == source && $0.axis == axis && $0.nativeCode == code }?.id })
            }
            try await execute("""
                INSERT INTO indicators (key, dataset, cat_code, fire_type_code, building_type_code, building_age_code, unit, title, sort_order, is_default)
                VALUES (?,?,?,?,?,?,?,?,?,\(flag))
                """, [.text(i.key), .text(i.dataset), .int(i.catCode), filterID(.fireType), filterID(.buildingType), filterID(.buildingAge),
                      .text(i.unit), .text(i.title), .int(i.sortOrder), .int(i.isDefault ? 1 : 0)])
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
