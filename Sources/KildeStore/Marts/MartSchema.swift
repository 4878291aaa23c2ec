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

    /// The migration after the marts one (`…_kommune_dim_staging_unkeyed` on both stores) drops the staging twin's
    /// key; this index takes its place for the build's join and the relationship test.
    static let stagingKommuneIndex = "CREATE INDEX kommune_dim_staging_kommune ON kommune_dim_staging (kommune_nr)"
}
