import KildeCore

extension SQLDatabase {
    /// Builds `kommune_indicators` (SPEC §9) inside the caller's transaction: the seed → `kommune_dim_staging` and
    /// `kommune_crosswalk`, the indicators' facts → `indicator_values`, each year's values onto the kommuner of the
    /// structure it is drawn in → `kommune_indicators_staging` (and what cannot be drawn → `kommune_unmatched_staging`),
    /// then the data tests. Only when no test of severity `error` fails are the staging tables copied over the served
    /// ones; otherwise the served mart stays as it was and the tests say why.
    ///
    /// A year's value reaches a kommune of its structure through the crosswalk: the codes in use that year whose area
    /// the kommune took over. One code carries its value (a kommune renumbered, or unchanged). Several (kommuner that
    /// merged) carry their sum when the indicator is a count and every one of them has a value; values that cannot be
    /// summed (percentages) and incomplete sums are not carried, nor is anything of a kommune later split. What is not
    /// carried, and every region that is not a kommune (the country, counties, Svalbard, "unknown"), is unmatched.
    /// - Returns: the rows staged, the tests and, for a build swapped in, what it changed in the served mart
    ///   (`nil` when a test refused the swap).
    func buildKommuneIndicators(seed: KommuneSeed) async throws -> (rows: Int, tests: [MartTestResult], changes: MartChanges?) {
        for statement in dialect.martWorkTables { try await execute(statement) }
        try await execute("DELETE FROM kommune_dim_staging")
        try await insertChunked(seed.kommuner, into: "kommune_dim_staging (structure, kommune_nr, kommune_name, fylke_nr, fylke_name, population, lat, lon, seed_version)") { b, k in
            [b.bind(.int(k.structure)), b.bind(.text(k.number)), b.bind(.text(k.name)), b.bind(.text(k.fylkeNumber)), b.bind(.text(k.fylkeName)),
             b.bind(.optional(k.population)), b.bind(.double(k.latitude)), b.bind(.double(k.longitude)), b.bind(.text(seed.version))]
        }
        try await execute("DELETE FROM kommune_crosswalk")
        try await insertChunked(seed.crosswalk, into: "kommune_crosswalk (structure, code, valid_from, valid_to, target)") { b, c in
            [b.bind(.int(c.structure)), b.bind(.text(c.code)), b.bind(.optional(c.validFrom)), b.bind(.optional(c.validTo)), b.bind(.text(c.target))]
        }

        // Every indicator's facts: its category, the fixed filters it names and NULL on its other axes (the upstream
        // total on them), any region. A NULL region is the whole country.
        try await execute("DELETE FROM indicator_values")
        try await execute("""
            INSERT INTO indicator_values (indicator, year, region_code, native_code, region_name, level, value, unit, updated_at)
            SELECT i.key, f.year, f.region_code, rg.native_code, rg.native_name,
              CASE WHEN f.region_code IS NULL THEN CAST(? AS TEXT) ELSE rg.level END, f.value, i.unit, f.ingested_at
            FROM indicators i JOIN datasets d ON d.key = i.dataset
            JOIN fact_yearly f ON f.source_id = d.source_id AND f.dim_code = d.dim_code AND f.cat_code = i.cat_code
            LEFT JOIN filters rg ON rg.id = f.region_code
            WHERE f.value IS NOT NULL AND f.fire_type_code IS NOT DISTINCT FROM i.fire_type_code
              AND f.building_type_code IS NOT DISTINCT FROM i.building_type_code AND f.building_age_code IS NOT DISTINCT FROM i.building_age_code
            """, [.text(RegionLevel.country.rawValue)])

        try await execute("DELETE FROM structure_years")
        let years = try await execute("SELECT DISTINCT year FROM indicator_values").compactMap { $0.int("year") }
        try await insertChunked(years.compactMap { y in seed.structure(forYear: y).map { (y, $0) } }, into: "structure_years (year, structure)") { b, p in
            [b.bind(.int(p.0)), b.bind(.int(p.1))]
        }

        // The parts of each structure kommune in each indicator's year: the crosswalk's codes in use that year, with
        // the value each has (NULL when it has none) and whether it was split.
        try await execute("DELETE FROM kommune_parts")
        try await execute("""
            INSERT INTO kommune_parts (indicator, year, structure, target, code, region_name, value, split, updated_at)
            SELECT iy.indicator, iy.year, sy.structure, cw.target, cw.code, iv.region_name, iv.value,
              CASE WHEN (SELECT count(*) FROM kommune_crosswalk c2 WHERE c2.structure = cw.structure AND c2.code = cw.code) > 1 THEN 1 ELSE 0 END,
              iv.updated_at
            FROM (SELECT DISTINCT indicator, year FROM indicator_values) iy
            JOIN structure_years sy ON sy.year = iy.year
            JOIN kommune_crosswalk cw ON cw.structure = sy.structure
              AND (cw.valid_from IS NULL OR cw.valid_from <= iy.year) AND (cw.valid_to IS NULL OR cw.valid_to >= iy.year)
            LEFT JOIN indicator_values iv ON iv.indicator = iy.indicator AND iv.year = iy.year AND iv.native_code = cw.code AND iv.level = ?
            """, [.text(RegionLevel.municipality.rawValue)])
        try await execute("DELETE FROM kommune_targets")
        try await execute("""
            INSERT INTO kommune_targets (indicator, year, structure, target, parts, found, total, split, updated_at)
            SELECT indicator, year, structure, target, count(*), count(value), sum(value), max(split), max(updated_at)
            FROM kommune_parts GROUP BY indicator, year, structure, target
            """)

        try await execute("DELETE FROM kommune_indicators_staging")
        // LEFT JOIN, never JOIN: a kommune missing from kommune_dim must stay visible to the relationship test
        // instead of silently disappearing from the mart. A kommune the seed lists twice doubles its rows here, and
        // the unique tests report it.
        try await execute("""
            INSERT INTO kommune_indicators_staging (\(Self.martColumns))
            SELECT t.indicator, t.target, t.year, t.structure, t.total, i.unit, k.kommune_name, k.fylke_nr, k.fylke_name, k.population, k.lat, k.lon, t.updated_at
            FROM kommune_targets t JOIN indicators i ON i.key = t.indicator
            LEFT JOIN kommune_dim_staging k ON k.structure = t.structure AND k.kommune_nr = t.target
            WHERE \(Self.carried)
            """, [.text(Indicator.countUnit)])
        // A kommune code with no crosswalk row in its year (a code the seed does not know, or a seed without structures)
        // goes in as it is, so the relationship test names it instead of the mart losing it.
        try await execute("""
            INSERT INTO kommune_indicators_staging (\(Self.martColumns))
            SELECT iv.indicator, iv.native_code, iv.year, sy.structure, iv.value, iv.unit, k.kommune_name, k.fylke_nr, k.fylke_name, k.population, k.lat, k.lon, iv.updated_at
            FROM indicator_values iv LEFT JOIN structure_years sy ON sy.year = iv.year
            LEFT JOIN kommune_dim_staging k ON k.structure = sy.structure AND k.kommune_nr = iv.native_code
            WHERE iv.level = ? AND NOT EXISTS (SELECT 1 FROM kommune_parts p WHERE p.indicator = iv.indicator AND p.year = iv.year AND p.code = iv.native_code)
            """, [.text(RegionLevel.municipality.rawValue)])

        try await execute("DELETE FROM kommune_unmatched_staging")
        // Regions that are not kommuner, by their level (none: outside the kommune division).
        try await execute("""
            INSERT INTO kommune_unmatched_staging (indicator, year, structure, native_code, region_name, level, reason, target, value)
            SELECT iv.indicator, iv.year, sy.structure, iv.native_code, iv.region_name, iv.level, coalesce(iv.level, CAST(? AS TEXT)), NULL, iv.value
            FROM indicator_values iv LEFT JOIN structure_years sy ON sy.year = iv.year
            WHERE iv.level IS NULL OR iv.level <> ?
            """, [.text(UnmatchedReason.notAKommune.rawValue), .text(RegionLevel.municipality.rawValue)])
        // Kommune values that were not carried to their structure kommune.
        try await execute("""
            INSERT INTO kommune_unmatched_staging (indicator, year, structure, native_code, region_name, level, reason, target, value)
            SELECT p.indicator, p.year, p.structure, p.code, p.region_name, CAST(? AS TEXT),
              CASE WHEN t.split > 0 THEN CAST(? AS TEXT) WHEN t.found < t.parts THEN CAST(? AS TEXT) ELSE CAST(? AS TEXT) END, p.target, p.value
            FROM kommune_parts p
            JOIN kommune_targets t ON t.indicator = p.indicator AND t.year = p.year AND t.target = p.target
            JOIN indicators i ON i.key = p.indicator
            WHERE p.value IS NOT NULL AND NOT (\(Self.carried))
            """, [.text(RegionLevel.municipality.rawValue), .text(UnmatchedReason.split.rawValue), .text(UnmatchedReason.mergerIncomplete.rawValue),
                  .text(UnmatchedReason.mergedNotSummable.rawValue), .text(Indicator.countUnit)])

        let tests = try await martTests()
        let rows = try await execute("SELECT count(*) AS n FROM kommune_indicators_staging").first?.int("n") ?? 0
        var changes: MartChanges?
        if !tests.contains(where: \.blocks) {
            changes = try await martChanges()
            let dim = "structure, kommune_nr, kommune_name, fylke_nr, fylke_name, population, lat, lon, seed_version"
            try await execute("DELETE FROM kommune_dim")
            try await execute("INSERT INTO kommune_dim (\(dim)) SELECT \(dim) FROM kommune_dim_staging")
            try await execute("DELETE FROM kommune_indicators")
            try await execute("INSERT INTO kommune_indicators (\(Self.martColumns)) SELECT \(Self.martColumns) FROM kommune_indicators_staging")
            try await execute("DELETE FROM kommune_unmatched")
            try await execute("INSERT INTO kommune_unmatched (\(Self.unmatchedColumns)) SELECT \(Self.unmatchedColumns) FROM kommune_unmatched_staging")
        }
        return (rows, tests, changes)
    }

    /// Whether a structure kommune (`t`, a `kommune_targets` row, with its indicator `i`) carries a value: every part
    /// has one, none was split, and there is one part or the indicator is a count (one bind: the count unit).
    static var carried: String { "t.found = t.parts AND t.split = 0 AND (t.parts = 1 OR i.unit = ?)" }

    static var martColumns: String {
        "indicator, kommune_nr, year, structure, value, unit, kommune_name, fylke_nr, fylke_name, population, lat, lon, updated_at"
    }

    static var unmatchedColumns: String { "indicator, year, structure, native_code, region_name, level, reason, target, value" }



    /// The data tests of `kommune_indicators_staging`: not-null, unique (indicator, kommune, year), and every
    /// kommune present in `kommune_dim_staging` for its structure; of `kommune_dim_staging`: unique kommune per
    /// structure; and, as a warning that does not stop the swap, the regions the mart does not draw.
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
            SELECT s.kommune_nr, s.structure, count(*) AS n FROM kommune_indicators_staging s
            WHERE s.kommune_nr IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM kommune_dim_staging k WHERE k.structure = s.structure AND k.kommune_nr = s.kommune_nr)
            GROUP BY s.kommune_nr, s.structure ORDER BY s.kommune_nr, s.structure
            """)
        let orphanRows = orphans.compactMap { $0.int("n") }.reduce(0, +)
        // Tested on its own too: a kommune listed twice that no indicator row refers to doubles no mart key, and the
        // swap would then fail on kommune_dim's primary key.
        let repeated = try await execute("""
            SELECT structure, kommune_nr, count(*) AS n FROM kommune_dim_staging GROUP BY structure, kommune_nr HAVING count(*) > 1
            ORDER BY structure, kommune_nr
            """)
        let unmatched = try await execute("""
            SELECT indicator, year, native_code, reason, count(*) AS n FROM kommune_unmatched_staging
            GROUP BY indicator, year, native_code, reason ORDER BY indicator, year, native_code
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
                               + sample(orphans) { "\($0.string("kommune_nr") ?? "?") (structure \($0.string("structure") ?? "?"), \($0.int("n") ?? 0) rows)" }),
            MartTestResult(name: "unique_kommune_dim", passed: repeated.isEmpty, failures: repeated.count,
                           detail: repeated.isEmpty ? "" : "kommuner listed more than once in the seed: "
                               + sample(repeated) { "\($0.string("kommune_nr") ?? "?") (\($0.int("n") ?? 0) rows)" }),
            MartTestResult(name: "unmatched_regions", passed: unmatched.isEmpty, failures: unmatched.count,
                           detail: unmatched.isEmpty ? "" : "values not drawn on a kommune (indicator/year/region: reason): "
                               + sample(unmatched) { "\($0.string("indicator") ?? "?")/\($0.string("year") ?? "?")/\($0.string("native_code") ?? "national"): \($0.string("reason") ?? "?")" },
                           severity: .warn),
        ]
    }

    func kommuneIndicators(indicator: String, year: Int) async throws -> [KommuneIndicatorRow] {
        try await execute("""
            SELECT \(Self.martColumns) FROM kommune_indicators WHERE indicator = ? AND year = ? ORDER BY kommune_nr
            """, [.text(indicator), .int(year)]).compactMap { r in
            guard let nr = r.string("kommune_nr"), let year = r.int("year"), let structure = r.int("structure"), let value = r.double("value"),
                  let lat = r.double("lat"), let lon = r.double("lon") else { return nil }
            return KommuneIndicatorRow(indicator: r.string("indicator") ?? indicator, structure: structure, kommuneNumber: nr,
                                       kommuneName: r.string("kommune_name") ?? "", fylkeNumber: r.string("fylke_nr") ?? "",
                                       fylkeName: r.string("fylke_name") ?? "", year: year, value: value, unit: r.string("unit") ?? "",
                                       population: r.int("population"), latitude: lat, longitude: lon, updatedAt: r.string("updated_at") ?? "")
        }
    }

    func unmatchedRegions(indicator: String, year: Int) async throws -> [UnmatchedRegion] {
        try await execute("""
            SELECT \(Self.unmatchedColumns) FROM kommune_unmatched WHERE indicator = ? AND year = ? ORDER BY reason, native_code, target
            """, [.text(indicator), .int(year)]).compactMap { r in
            guard let year = r.int("year"), let reason = r.string("reason").flatMap(UnmatchedReason.init(rawValue:)), let value = r.double("value") else { return nil }
            return UnmatchedRegion(indicator: r.string("indicator") ?? indicator, year: year, structure: r.int("structure"), code: r.string("native_code"),
                                   name: r.string("region_name"), reason: reason, target: r.string("target"), value: value)
        }
    }

    func indicatorYears(indicator: String) async throws -> [Int] {
        // A year whose every value is unmatched (e.g. only county aggregates) is still a year of the indicator.
        try await execute("""
            SELECT year FROM kommune_indicators WHERE indicator = ? UNION SELECT year FROM kommune_unmatched WHERE indicator = ? ORDER BY year
            """, [.text(indicator), .text(indicator)]).compactMap { $0.int("year") }
    }

    func servedKommuner() async throws -> [Kommune] {
        try await execute("""
            SELECT structure, kommune_nr, kommune_name, fylke_nr, fylke_name, population, lat, lon FROM kommune_dim ORDER BY structure, kommune_nr
            """).compactMap { r in
            guard let structure = r.int("structure"), let nr = r.string("kommune_nr"), let lat = r.double("lat"), let lon = r.double("lon") else { return nil }
            return Kommune(structure: structure, number: nr, name: r.string("kommune_name") ?? nr, fylkeNumber: r.string("fylke_nr") ?? "",
                           fylkeName: r.string("fylke_name") ?? "", population: r.int("population"), latitude: lat, longitude: lon)
        }
    }
}

extension SQLDialect {
    /// What a mart build runs first: SQLite keeps the build's work tables per connection, as temporary tables
    /// (``SQLiteSchema/workTables``); PostgreSQL has them in the `marts` schema.
    var martWorkTables: [String] { self == .sqlite ? SQLiteSchema.workTables : [] }
}
