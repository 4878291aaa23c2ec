import KildeCore

extension SQLDatabase {
    func queryFacts(_ q: FactQuery) async throws -> [FactRow] {
        let table = q.grain == .year ? "fact_yearly" : "fact_daily"
        let period = q.grain == .year ? "f.year" : "f.date"
        var b = SQLBuilder(dialect)
        let cond = b.factQuery(q, table: table, alias: "f")
        b.append("""
            SELECT s.key AS source_key, f.dim_code, f.cat_code, c.name AS category, \(period) AS period,
              ft.native_name AS fire_type, bt.native_name AS building_type, rg.native_name AS region, rg.native_code AS region_code,
              ba.native_name AS building_age, f.value, f.value_kr, f.ingested_at
            FROM \(table) f
            JOIN sources s ON s.source_id = f.source_id
            JOIN categories c ON c.source_id = f.source_id AND c.dim_code = f.dim_code AND c.cat_code = f.cat_code
            LEFT JOIN filters ft ON ft.id = f.fire_type_code
            LEFT JOIN filters bt ON bt.id = f.building_type_code
            LEFT JOIN filters rg ON rg.id = f.region_code
            LEFT JOIN filters ba ON ba.id = f.building_age_code
            WHERE \(cond)
            ORDER BY f.source_id, f.dim_code, c.sort_order, f.cat_code, rg.sort_order, \(period)
            """)
        if let limit = q.limit { b.append(" LIMIT \(b.bind(.int(limit)))") }
        return try await execute(b).map { r in
            FactRow(sourceKey: r.string("source_key") ?? "", dimCode: r.int("dim_code") ?? 0, catCode: r.int("cat_code") ?? 0,
                    category: r.string("category") ?? "", period: r.string("period") ?? "",
                    fireType: r.string("fire_type"), buildingType: r.string("building_type"), region: r.string("region"),
                    regionCode: r.string("region_code"), buildingAge: r.string("building_age"),
                    value: r.double("value"), valueKr: r.double("value_kr"), ingestedAt: r.string("ingested_at") ?? "")
        }
    }

    func latestPeriod(sourceID: Int, dimCode: Int, subyear: Bool) async throws -> String? {
        let period = subyear ? "date" : "year"
        var b = SQLBuilder(dialect)
        // CAST: SQLite keeps the date as text and the year as an integer; PostgreSQL has a date and an integer.
        b.append("SELECT CAST(max(\(period)) AS TEXT) AS period FROM \(subyear ? "fact_daily" : "fact_yearly") WHERE source_id = \(b.bind(.int(sourceID))) AND dim_code = \(b.bind(.int(dimCode)))")
        return try await execute(b).first?.string("period")
    }
}
