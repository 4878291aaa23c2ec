/// The DDL of the marts (SPEC §9), written once in SQL both stores accept; only the floating-point type
/// name differs (`REAL` in SQLite, `double precision` in PostgreSQL), so a store passes its spelling.
///
/// Each served table has a staging twin: a build fills the staging tables, runs the data tests on them,
/// and copies them over the served tables in the same transaction only when every test passes, so a
/// failed build leaves the previous mart in place.
enum MartSchema {
    /// Columns of `kommune_dim` and its staging twin. `keyed` makes `kommune_nr` the primary key: the served table
    /// has it; the staging twin has not (since the `…_kommune_dim_staging_unkeyed` migration), so a seed listing a
    /// kommune twice reaches the data tests instead of failing the build with a constraint error.
    static func kommuneDimColumns(real: String, keyed: Bool) -> String {
        "kommune_nr TEXT NOT NULL\(keyed ? " PRIMARY KEY" : ""), kommune_name TEXT NOT NULL, fylke_nr TEXT NOT NULL, fylke_name TEXT NOT NULL, population INTEGER, lat \(real) NOT NULL, lon \(real) NOT NULL, seed_version TEXT NOT NULL"
    }

    /// Columns of `kommune_indicators`; the staging twin has the same names without NOT NULL, so the data tests
    /// (not the DDL) find bad rows and can report them.
    static func indicatorColumns(real: String, strict: Bool) -> String {
        let nn = strict ? " NOT NULL" : ""
        return "indicator TEXT\(nn), kommune_nr TEXT\(nn), year INTEGER\(nn), value \(real)\(nn), unit TEXT\(nn), kommune_name TEXT\(nn), fylke_nr TEXT\(nn), fylke_name TEXT\(nn), population INTEGER, lat \(real)\(nn), lon \(real)\(nn), updated_at TEXT\(nn)"
    }

    /// The statements of the marts migration. `real` is the store's double-precision type name.
    static func statements(real: String) -> [String] {
        [
            "CREATE TABLE kommune_dim (\(kommuneDimColumns(real: real, keyed: true)))",
            // Shipped keyed; the `…_kommune_dim_staging_unkeyed` migration drops the key again.
            "CREATE TABLE kommune_dim_staging (\(kommuneDimColumns(real: real, keyed: true)))",
            // The union of every indicator source (intermediate; rebuilt by each build, tested through the staging mart).
            "CREATE TABLE indicator_values (indicator TEXT NOT NULL, kommune_nr TEXT, year INTEGER, value \(real), unit TEXT NOT NULL, updated_at TEXT)",
            "CREATE TABLE kommune_indicators_staging (\(indicatorColumns(real: real, strict: false)))",
            "CREATE TABLE kommune_indicators (\(indicatorColumns(real: real, strict: true)))",
            // Unique (indicator, year, kommune) is the data test's key and serves `WHERE indicator = ? AND year = ?`.
            "CREATE UNIQUE INDEX kommune_indicators_indicator_year ON kommune_indicators (indicator, year, kommune_nr)",
            "CREATE INDEX kommune_indicators_kommune ON kommune_indicators (kommune_nr)",
            // Serving reads of fact_yearly: one source and dimension, a region filter, a year range.
            "CREATE INDEX fact_yearly_read_region ON fact_yearly (source_id, dim_code, region_code, year)",
        ]
    }

    /// The registry's kommune indicators (`indicators.csv`), loaded by `migrate` like the other catalogue files; the
    /// mart build reads its inputs from here. `flag` is the store's boolean type. Fixed filters reference `filters`.
    static func indicatorsTable(flag: String) -> String {
        """
        CREATE TABLE indicators (
          key TEXT PRIMARY KEY, dataset TEXT NOT NULL REFERENCES datasets(key), cat_code INTEGER NOT NULL,
          fire_type_code INTEGER REFERENCES filters(id), building_type_code INTEGER REFERENCES filters(id),
          building_age_code INTEGER REFERENCES filters(id), unit TEXT NOT NULL, title TEXT NOT NULL,
          sort_order INTEGER NOT NULL DEFAULT 0, is_default \(flag) NOT NULL)
        """
    }

    /// The kommune structures migration (`…_kommune_structures`), the statements both stores share: every kommune row
    /// names its structure; the build's intermediate tables (the indicator facts with their region's level, the
    /// crosswalk, each year's structure, each structure kommune's parts in a year) and the unmatched regions, served
    /// like the mart. `kommune_dim`'s key (now structure and number) is changed by each store its own way.
    static func structureStatements(real: String) -> [String] {
        [
            "ALTER TABLE kommune_dim_staging ADD COLUMN structure INTEGER",
            "DROP INDEX kommune_dim_staging_kommune",
            "CREATE INDEX \(dimStagingIndex)",
            // Rows served before this migration were built on the 2024 seed, the only one there was.
            "ALTER TABLE kommune_indicators ADD COLUMN structure INTEGER NOT NULL DEFAULT 2024",
            "ALTER TABLE kommune_indicators_staging ADD COLUMN structure INTEGER",
            "DROP TABLE indicator_values",
        ] + [indicatorValues(real: real), crosswalk, structureYears, parts(real: real), targets(real: real)].flatMap { $0.create() } + [
            "CREATE TABLE kommune_unmatched_staging (\(unmatchedColumns(real: real)))",
            "CREATE TABLE kommune_unmatched (\(unmatchedColumns(real: real)))",
            "CREATE INDEX kommune_unmatched_indicator_year ON kommune_unmatched (indicator, year)",
        ]
    }

    /// Columns of the unmatched regions: values of an indicator the mart did not draw on a kommune, and why.
    static func unmatchedColumns(real: String) -> String {
        "indicator TEXT NOT NULL, year INTEGER NOT NULL, structure INTEGER, native_code TEXT, region_name TEXT, level TEXT, reason TEXT NOT NULL, target TEXT, value \(real)"
    }

    /// One of the build's work tables: its columns and the index the build joins it on.
    struct WorkTable: Sendable {
        var name: String
        var columns: String
        /// `index_name ON table (columns)`.
        var index: String?

        /// The table and its index, created with `table` (`CREATE TABLE`, or a store's variant) and `index`.
        func create(table: String = "CREATE TABLE", index indexKeyword: String = "CREATE INDEX") -> [String] {
            ["\(table) \(name) (\(columns))"] + (index.map { ["\(indexKeyword) \($0)"] } ?? [])
        }
    }

    /// Every indicator's facts with their region's level.
    static func indicatorValues(real: String) -> WorkTable {
        WorkTable(name: "indicator_values", columns: """
            indicator TEXT NOT NULL, year INTEGER NOT NULL, region_code INTEGER, native_code TEXT,
              region_name TEXT, level TEXT, value \(real) NOT NULL, unit TEXT NOT NULL, updated_at TEXT
            """, index: "indicator_values_code ON indicator_values (indicator, year, native_code)")
    }

    static let crosswalk = WorkTable(name: "kommune_crosswalk",
                                     columns: "structure INTEGER NOT NULL, code TEXT NOT NULL, valid_from INTEGER, valid_to INTEGER, target TEXT NOT NULL",
                                     index: "kommune_crosswalk_code ON kommune_crosswalk (structure, code)")

    static let structureYears = WorkTable(name: "structure_years", columns: "year INTEGER PRIMARY KEY, structure INTEGER NOT NULL")

    /// Each structure kommune's parts in a year: the codes in use that year that became it, with their values.
    static func parts(real: String) -> WorkTable {
        WorkTable(name: "kommune_parts", columns: """
            indicator TEXT NOT NULL, year INTEGER NOT NULL, structure INTEGER NOT NULL, target TEXT NOT NULL,
              code TEXT NOT NULL, region_name TEXT, value \(real), split INTEGER NOT NULL, updated_at TEXT
            """, index: "kommune_parts_code ON kommune_parts (indicator, year, code)")
    }

    /// Per indicator, year and structure kommune: how many codes it was made of that year, how many had a value, their
    /// sum, and whether one of them was split (its area went to more than one kommune). A table, not a view: the build
    /// joins it twice, and PostgreSQL re-aggregated a view for every row it joined.
    static func targets(real: String) -> WorkTable {
        WorkTable(name: "kommune_targets", columns: """
            indicator TEXT NOT NULL, year INTEGER NOT NULL, structure INTEGER NOT NULL, target TEXT NOT NULL,
              parts INTEGER NOT NULL, found INTEGER NOT NULL, total \(real), split INTEGER NOT NULL, updated_at TEXT
            """, index: "kommune_targets_target ON kommune_targets (indicator, year, target)")
    }

    /// The staging kommune_dim's index since the structures migration.
    static let dimStagingIndex = "kommune_dim_staging_structure ON kommune_dim_staging (structure, kommune_nr)"

    /// The build's work tables as every migration above leaves them, for a store that keeps them per connection
    /// instead (SQLite: `CREATE TEMP TABLE`): each build fills them from empty and nothing reads them after its
    /// transaction, so they need not be in the store's file.
    static func workTables(real: String) -> [WorkTable] {
        [
            WorkTable(name: "kommune_dim_staging", columns: "\(kommuneDimColumns(real: real, keyed: false)), structure INTEGER", index: dimStagingIndex),
            indicatorValues(real: real),
            WorkTable(name: "kommune_indicators_staging", columns: "\(indicatorColumns(real: real, strict: false)), structure INTEGER"),
            crosswalk,
            structureYears,
            parts(real: real),
            targets(real: real),
            WorkTable(name: "kommune_unmatched_staging", columns: unmatchedColumns(real: real)),
        ]
    }

    /// The migration after the marts one (`…_kommune_dim_staging_unkeyed` on both stores) drops the staging twin's
    /// key; this index takes its place for the build's join and the relationship test.
    static let stagingKommuneIndex = "CREATE INDEX kommune_dim_staging_kommune ON kommune_dim_staging (kommune_nr)"
}
