import KildeCore

extension SQLDatabase {
    /// Builds `kommune_indicators` (SPEC §9) inside the caller's transaction: seed → `kommune_dim_staging`,
    /// the indicator union → `indicator_values`, the join → `kommune_indicators_staging`, then the data tests.
    /// Only when every test passes are the staging tables copied over the served ones; otherwise the served
    /// mart stays as it was and the tests say why.
    func buildKommuneIndicators(seed: KommuneSeed, indicators: [IndicatorDefinition]) async throws -> (rows: Int, tests: [MartTestResult]) {
        try await execute("DELETE FROM kommune_dim_staging")
        for start in stride(from: 0, to: seed.kommuner.count, by: 100) {
            let chunk = seed.kommuner[start..<min(start + 100, seed.kommuner.count)]
            var b = SQLBuilder(dialect, "INSERT INTO kommune_dim_staging (kommune_nr, kommune_name, fylke_nr, fylke_name, population, lat, lon, seed_version) VALUES ")
            let rows = chunk.map { k in
                "(\(b.bind(.text(k.number))), \(b.bind(.text(k.name))), \(b.bind(.text(k.fylkeNumber))), \(b.bind(.text(k.fylkeName))), "
                    + "\(b.bind(.optional(k.population))), \(b.bind(.double(k.latitude))), \(b.bind(.double(k.longitude))), \(b.bind(.text(seed.version))))"
            }
            b.append(rows.joined(separator: ", "))
            try await execute(b)
        }

        try await execute("DELETE FROM indicator_values")
        if !indicators.isEmpty {
            var b = SQLBuilder(dialect, "INSERT INTO indicator_values (indicator, kommune_nr, year, value, unit, updated_at) ")
            // One SELECT per indicator source, like Atlas's per-source dbt models, unioned. A kommune is a region
            // filter with a 4-digit native code (county aggregates are EKAnn); the other axes must be NULL, i.e. the
            // upstream total on them. CAST: PostgreSQL cannot type a bare parameter in a select list.
            let selects = indicators.map { d in
                """
                SELECT CAST(\(b.bind(.text(d.key))) AS TEXT), rg.native_code, f.year, f.value, CAST(\(b.bind(.text(d.unit))) AS TEXT), f.ingested_at
                FROM fact_yearly f JOIN filters rg ON rg.id = f.region_code
                WHERE f.source_id = \(b.bind(.int(d.sourceID))) AND f.dim_code = \(b.bind(.int(d.dimCode))) AND f.cat_code = \(b.bind(.int(d.catCode)))
                  AND f.fire_type_code IS NULL AND f.building_type_code IS NULL AND f.building_age_code IS NULL
                  AND length(rg.native_code) = 4 AND f.value IS NOT NULL
                """
            }
            b.append(selects.joined(separator: "\nUNION ALL\n"))
            try await execute(b)
        }

        try await execute("DELETE FROM kommune_indicators_staging")
        // LEFT JOIN, never JOIN: a kommune missing from kommune_dim must stay visible to the relationship test
        // instead of silently disappearing from the mart. A kommune the seed lists twice doubles its rows here, and
        // the unique tests report it.
        try await execute("""
            INSERT INTO kommune_indicators_staging (\(Self.martColumns))
            SELECT iv.indicator, iv.kommune_nr, iv.year, iv.value, iv.unit, k.kommune_name, k.fylke_nr, k.fylke_name, k.population, k.lat, k.lon, iv.updated_at
            FROM indicator_values iv LEFT JOIN kommune_dim_staging k ON k.kommune_nr = iv.kommune_nr
            """)

        let tests = try await martTests()
        let rows = try await execute("SELECT count(*) AS n FROM kommune_indicators_staging").first?.int("n") ?? 0
        if tests.allSatisfy(\.passed) {
            try await execute("DELETE FROM kommune_dim")
            try await execute("INSERT INTO kommune_dim SELECT * FROM kommune_dim_staging")
            try await execute("DELETE FROM kommune_indicators")
            try await execute("INSERT INTO kommune_indicators (\(Self.martColumns)) SELECT \(Self.martColumns) FROM kommune_indicators_staging")
        }
        return (rows, tests)
    }

    static var martColumns: String {
        "indicator, kommune_nr, year, value, unit, kommune_name, fylke_nr, fylke_name, population, lat, lon, updated_at"
    }

    /// The data tests of `kommune_indicators_staging`: not-null, unique (indicator, kommune, year), and every
    /// kommune present in `kommune_dim_staging`; and of `kommune_dim_staging`: unique kommune number.
    ///
    /// Only these tests keep duplicates out of the served tables: neither staging table has a key, so a seed listing a
    /// kommune twice (which the LEFT JOIN turns into two mart rows per indicator and year) is reported here with
    /// the keys it doubles, instead of aborting the build with a constraint error that names none.
    func martTests() async throws -> [MartTestResult] {
        let nulls = try await execute("""
            SELECT count(*) AS n FROM kommune_indicators_staging
            WHERE indicator IS NULL OR kommune_nr IS NULL OR year IS NULL OR value IS NULL OR unit IS NULL OR updated_at IS NULL
            """).first?.int("n") ?? 0
        let duplicates = try await execute("""
            SELECT indicator, kommune_nr, year FROM kommune_indicators_staging
            GROUP BY indicator, kommune_nr, year HAVING count(*) > 1 ORDER BY indicator, kommune_nr, year
            """)
        let orphans = try await execute("""
            SELECT s.kommune_nr, count(*) AS n FROM kommune_indicators_staging s
            WHERE s.kommune_nr IS NOT NULL AND NOT EXISTS (SELECT 1 FROM kommune_dim_staging k WHERE k.kommune_nr = s.kommune_nr)
            GROUP BY s.kommune_nr ORDER BY s.kommune_nr
            """)
        let orphanRows = orphans.compactMap { $0.int("n") }.reduce(0, +)
        // Tested on its own too: a kommune listed twice that no indicator row refers to doubles no mart key, and the
        // swap would then fail on kommune_dim's primary key.
        let repeated = try await execute("""
            SELECT kommune_nr, count(*) AS n FROM kommune_dim_staging GROUP BY kommune_nr HAVING count(*) > 1 ORDER BY kommune_nr
            """)
        func sample(_ rows: [SQLRow], _ describe: (SQLRow) -> String) -> String {
            rows.prefix(10).map(describe).joined(separator: ", ") + (rows.count > 10 ? ", …" : "")
        }
        return [
            MartTestResult(name: "not_null", passed: nulls == 0, failures: nulls,
                           detail: nulls == 0 ? "" : "\(nulls) rows with a NULL key, value, unit or updated_at"),
            MartTestResult(name: "unique_indicator_kommune_year", passed: duplicates.isEmpty, failures: duplicates.count,
                           detail: duplicates.isEmpty ? "" : "keys (indicator/kommune/year) in more than one row: "
                               + sample(duplicates) { "\($0.string("indicator") ?? "?")/\($0.string("kommune_nr") ?? "?")/\($0.string("year") ?? "?")" }),
            MartTestResult(name: "relationships_kommune_dim", passed: orphans.isEmpty, failures: orphanRows,
                           detail: orphans.isEmpty ? "" : "kommuner missing from kommune_dim: "
                               + sample(orphans) { "\($0.string("kommune_nr") ?? "?") (\($0.int("n") ?? 0) rows)" }),
            MartTestResult(name: "unique_kommune_dim", passed: repeated.isEmpty, failures: repeated.count,
                           detail: repeated.isEmpty ? "" : "kommuner listed more than once in the seed: "
                               + sample(repeated) { "\($0.string("kommune_nr") ?? "?") (\($0.int("n") ?? 0) rows)" }),
        ]
    }

    func kommuneIndicators(indicator: String, year: Int) async throws -> [KommuneIndicatorRow] {
        try await execute("""
            SELECT \(Self.martColumns) FROM kommune_indicators WHERE indicator = ? AND year = ? ORDER BY kommune_nr
            """, [.text(indicator), .int(year)]).compactMap { r in
            guard let nr = r.string("kommune_nr"), let year = r.int("year"), let value = r.double("value"),
                  let lat = r.double("lat"), let lon = r.double("lon") else { return nil }
            return KommuneIndicatorRow(indicator: r.string("indicator") ?? indicator, kommuneNumber: nr, kommuneName: r.string("kommune_name") ?? "",
                                       fylkeNumber: r.string("fylke_nr") ?? "", fylkeName: r.string("fylke_name") ?? "", year: year,
                                       value: value, unit: r.string("unit") ?? "", population: r.int("population"),
                                       latitude: lat, longitude: lon, updatedAt: r.string("updated_at") ?? "")
        }
    }

    func indicatorYears(indicator: String) async throws -> [Int] {
        try await execute("SELECT DISTINCT year FROM kommune_indicators WHERE indicator = ? ORDER BY year", [.text(indicator)]).compactMap { $0.int("year") }
    }

    func servedKommuner() async throws -> [Kommune] {
        try await execute("SELECT kommune_nr, kommune_name, fylke_nr, fylke_name, population, lat, lon FROM kommune_dim ORDER BY kommune_nr").compactMap { r in
            guard let nr = r.string("kommune_nr"), let lat = r.double("lat"), let lon = r.double("lon") else { return nil }
            return Kommune(number: nr, name: r.string("kommune_name") ?? nr, fylkeNumber: r.string("fylke_nr") ?? "", fylkeName: r.string("fylke_name") ?? "",
                           population: r.int("population"), latitude: lat, longitude: lon)
        }
    }
}
