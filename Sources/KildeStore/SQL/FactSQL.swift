import KildeCore

/// Statements on facts whose shape both stores share, for `fact_yearly` and `fact_daily` alike.
enum FactSQL {
    /// The binds of a multi-row `VALUES` list: 10 per row, the period as the table keeps it.
    /// - Throws: ``StoreError`` when a fact's period does not fit `table` (a daily fact sent to `fact_yearly`).
    static func binds(_ rows: [Fact], metric: Metric, table: FactTable, at: String) throws -> [SQLValue] {
        var binds: [SQLValue] = []
        binds.reserveCapacity(rows.count * 10)
        for f in rows {
            binds += [.int(f.key.sourceID), .int(f.key.dimCode), .int(f.key.catCode), try period(f.key, table: table), .optional(f.key.fireType),
                      .optional(f.key.buildingType), .optional(f.key.region), .optional(f.key.buildingAge), .optional(f.metric(metric)), .text(at)]
        }
        return binds
    }

    /// A key's period as a bind for `table`'s period column.
    static func period(_ key: FactKey, table: FactTable) throws -> SQLValue {
        switch (key.period, table) {
        case (.year(let y), .yearly): return .int(y)
        case (.day(let d), .daily): return .text(d.description)
        default: throw StoreError(.constraint, "a fact of period \(key.period) was sent to \(table.rawValue)")
        }
    }

    /// The columns the binds fill, in order.
    static func insertColumns(_ metric: Metric, table: FactTable) -> String {
        "source_id, dim_code, cat_code, \(table.periodColumn), fire_type_code, building_type_code, region_code, building_age_code, \(metric.rawValue), ingested_at"
    }

    /// `count` rows of 10 placeholders.
    static func valuesList(_ count: Int, dialect: SQLDialect, table: FactTable) -> String {
        let period = table == .daily ? dialect.datePlaceholder : "?"
        return Array(repeating: "(?,?,?,\(period),?,?,?,?,?,?)", count: count).joined(separator: ",")
    }

    /// Selects one natural key, NULLs matching NULLs.
    ///
    /// A NULL axis is spelled `IS NULL` and a set one `= ?` rather than `IS [NOT DISTINCT FROM] ?`: both stores
    /// can search an index with those, while PostgreSQL cannot with `IS NOT DISTINCT FROM`.
    static func naturalKeyCondition(_ k: FactKey, table: FactTable, dialect: SQLDialect) throws -> (String, [SQLValue]) {
        let period = table == .daily ? dialect.datePlaceholder : "?"
        var conds = ["source_id = ?", "dim_code = ?", "cat_code = ?", "\(table.periodColumn) = \(period)"]
        var binds: [SQLValue] = [.int(k.sourceID), .int(k.dimCode), .int(k.catCode), try Self.period(k, table: table)]
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
