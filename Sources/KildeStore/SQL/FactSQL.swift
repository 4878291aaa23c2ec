import KildeCore

/// Statements on facts whose shape both stores share.
enum FactSQL {
    /// The binds of a multi-row `VALUES` list for `fact_yearly`: 10 per row.
    static func binds(_ rows: [Fact], metric: Metric, at: String) throws -> [SQLValue] {
        var binds: [SQLValue] = []
        binds.reserveCapacity(rows.count * 10)
        for f in rows {
            guard case .year(let y) = f.key.period else { throw StoreError(.constraint, "a daily fact was sent to fact_yearly") }
            binds += [.int(f.key.sourceID), .int(f.key.dimCode), .int(f.key.catCode), .int(y), .optional(f.key.fireType),
                      .optional(f.key.buildingType), .optional(f.key.region), .optional(f.key.buildingAge), .optional(f.metric(metric)), .text(at)]
        }
        return binds
    }

    /// The columns the binds fill, in order.
    static func insertColumns(_ metric: Metric) -> String {
        "source_id, dim_code, cat_code, year, fire_type_code, building_type_code, region_code, building_age_code, \(metric.rawValue), ingested_at"
    }

    /// `count` rows of 10 placeholders.
    static func valuesList(_ count: Int) -> String {
        Array(repeating: "(?,?,?,?,?,?,?,?,?,?)", count: count).joined(separator: ",")
    }

    /// Selects one natural key, NULLs matching NULLs.
    static func naturalKeyCondition(_ k: FactKey, dialect: SQLDialect) -> (String, [SQLValue]) {
        let same = dialect == .sqlite ? "IS" : "IS NOT DISTINCT FROM"
        let cond = "source_id = ? AND dim_code = ? AND cat_code = ? AND year = ? AND fire_type_code \(same) ? AND building_type_code \(same) ? AND region_code \(same) ? AND building_age_code \(same) ?"
        return (cond, [.int(k.sourceID), .int(k.dimCode), .int(k.catCode), .int(k.period.year), .optional(k.fireType),
                       .optional(k.buildingType), .optional(k.region), .optional(k.buildingAge)])
    }
}
