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
    ///
    /// A NULL axis is spelled `IS NULL` and a set one `= ?` rather than `IS [NOT DISTINCT FROM] ?`: both stores
    /// can search an index with those, while PostgreSQL cannot with `IS NOT DISTINCT FROM`.
    static func naturalKeyCondition(_ k: FactKey) -> (String, [SQLValue]) {
        var conds = ["source_id = ?", "dim_code = ?", "cat_code = ?", "year = ?"]
        var binds: [SQLValue] = [.int(k.sourceID), .int(k.dimCode), .int(k.catCode), .int(k.period.year)]
        for axis in FilterAxis.allCases {
            if let id = k.filter(axis) {
                conds.append("\(axis.column) = ?")
                binds.append(.int(id))
            } else {
                conds.append("\(axis.column) IS NULL")
            }
        }
        return (conds.joined(separator: " AND "), binds)
    }
}
