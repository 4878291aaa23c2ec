import KildeCore

extension SQLBuilder {
    /// The period label of a fact row at `granularity`: `2023`, `2023-Q1`, `2023-01`, `2023-W05` (ISO week), `2023-01-31`.
    func periodExpression(_ granularity: Granularity, prefix p: String) -> String {
        switch (granularity, dialect) {
        case (.year, _): return "\(p)year"
        case (.day, .sqlite): return "\(p)date"
        case (.month, .sqlite): return "substr(\(p)date, 1, 7)"
        case (.quarter, .sqlite): return "(substr(\(p)date, 1, 4) || '-Q' || ((CAST(substr(\(p)date, 6, 2) AS INTEGER) + 2) / 3))"
        case (.week, .sqlite): return "strftime('%G-W%V', \(p)date)"
        // CAST: works whether the PostgreSQL column is `date` or text.
        case (.day, .postgres): return "to_char(CAST(\(p)date AS date), 'YYYY-MM-DD')"
        case (.month, .postgres): return "to_char(CAST(\(p)date AS date), 'YYYY-MM')"
        case (.quarter, .postgres): return "to_char(CAST(\(p)date AS date), 'YYYY-\"Q\"Q')"
        case (.week, .postgres): return "to_char(CAST(\(p)date AS date), 'IYYY-\"W\"IW')"
        }
    }

    /// FROM, joins and WHERE of a facts read; rows without the requested metric do not match.
    mutating func seriesSource(_ q: FactSeriesQuery) -> String {
        let cond = factQuery(q.factQuery, table: q.table, alias: "f")
        return """
            FROM \(q.table) f
            JOIN categories c ON c.source_id = f.source_id AND c.dim_code = f.dim_code AND c.cat_code = f.cat_code
            WHERE \(cond) AND f.\(q.metric.rawValue) IS NOT NULL
            """
    }
}

/// The order of a facts answer: category sort order, category, filter values (by axis), period.
struct SeriesOrderKey: Comparable {
    var sortOrder: Int
    var catCode: Int
    var ids: (Int, Int, Int, Int)
    var period: String

    private var head: (Int, Int, Int, Int, Int, Int) { (sortOrder, catCode, ids.0, ids.1, ids.2, ids.3) }

    static func < (a: Self, b: Self) -> Bool { a.head != b.head ? a.head < b.head : a.period < b.period }
    static func == (a: Self, b: Self) -> Bool { a.head == b.head && a.period == b.period }
}

extension SQLDatabase {
    /// - Parameter labels: registry labels already read; the ones missing are read and added.
    func factSeries(_ q: FactSeriesQuery, labels: RegistryLabelCache) async throws -> FactSeries {
        let columns = seriesColumns(q)
        var rows = try await manyRows(seriesStatement(q, ordered: false), columns: columns)
        // More rows than the answer holds: which ones it holds depends on the order, so the store orders and cuts.
        // Otherwise every matching row is here and is ordered below, without a join and a sort in the store.
        if rows.count > q.limit { rows = try await manyRows(seriesStatement(q, ordered: true), columns: columns) }
        guard let first = rows.first else { return FactSeries(rows: [], truncated: false) }
        // Column positions once per answer, not a name lookup per cell.
        let axisColumns = q.varyingAxes.compactMap { axis in first.column(axis.column).map { (axis, $0) } }
        let catColumn = first.column("cat_code"), periodColumn = first.column("period"), valueColumn = first.column("v")
        let categories = try await categoryLabels(source: q.sourceID, dim: q.dimCode,
                                                  codes: Set(rows.compactMap { r in catColumn.flatMap(r.int(at:)) }), cache: labels)
        // Every filter value in a row is one the query asked for.
        let filters = try await filterLabels(ids: Set(q.filters.values.joined()), cache: labels)
        func filter(_ id: Int) -> FilterValue { filters[id] ?? FilterValue(id: id, code: String(id), name: String(id)) }
        // An axis filtered on one value has that value in every row.
        var constant = FilterValues()
        for (axis, ids) in q.filters where ids.count == 1 { constant[axis] = filter(ids[0]) }
        // The ordered statement's order, worked out on the keys before any answer row is built.
        let kept = rows.prefix(q.limit)
        let keys = kept.map { r in
            var ids = (-1, -1, -1, -1)
            for (n, (_, i)) in axisColumns.enumerated() {
                let id = r.int(at: i) ?? -1
                switch n { case 0: ids.0 = id; case 1: ids.1 = id; case 2: ids.2 = id; default: ids.3 = id }
            }
            let cat = catColumn.flatMap(r.int(at:)) ?? 0
            return SeriesOrderKey(sortOrder: categories[cat]?.sortOrder ?? Int.max, catCode: cat, ids: ids,
                                  period: periodColumn.flatMap(r.string(at:)) ?? "")
        }
        // The store's row order often is the answer's already.
        let inOrder = zip(keys, keys.dropFirst()).allSatisfy { $0 <= $1 }
        let order = inOrder ? Array(keys.indices) : keys.indices.sorted { keys[$0] < keys[$1] }
        let out = order.map { k in
            let r = kept[kept.startIndex + k], key = keys[k]
            var values = constant
            for (axis, i) in axisColumns {
                if let id = r.int(at: i) { values[axis] = filter(id) }
            }
            return FactSeriesRow(catCode: key.catCode, category: categories[key.catCode]?.name ?? String(key.catCode), period: key.period,
                                 filters: values, value: valueColumn.flatMap(r.double(at:)) ?? 0)
        }
        return FactSeries(rows: out, truncated: rows.count > q.limit)
    }

    /// The facts read's result columns, in order (``seriesStatement(_:ordered:)`` selects them by these names).
    func seriesColumns(_ q: FactSeriesQuery) -> [String] {
        ["cat_code", "period"] + q.varyingAxes.map(\.column) + ["v"]
    }

    /// The facts read's statement, reading the ``FactSeriesQuery/varyingAxes`` columns: unordered (the caller
    /// orders), or ordered by the categories' sort order and cut at the limit.
    func seriesStatement(_ q: FactSeriesQuery, ordered: Bool) -> SQLBuilder {
        var b = SQLBuilder(dialect)
        let period = b.periodExpression(q.granularity, prefix: "f.")
        let cond = b.factQuery(q.factQuery, table: q.table, alias: "f")
        let columns = q.varyingAxes.map { ", f.\($0.column)" }.joined()
        // Sub-year grains sum the days of each bucket. A yearly atom is already one row per key (the natural key
        // is unique), so `year` needs no GROUP BY and its temporary B-tree.
        let value = q.granularity.isSubyear ? "sum(f.\(q.metric.rawValue))" : "f.\(q.metric.rawValue)"
        let grouping = q.granularity.isSubyear ? "GROUP BY f.cat_code, \(period)\(columns)\(ordered ? ", c.sort_order" : "")" : ""
        let join = ordered ? "JOIN categories c ON c.source_id = f.source_id AND c.dim_code = f.dim_code AND c.cat_code = f.cat_code" : ""
        let order = ordered ? "ORDER BY c.sort_order, f.cat_code\(columns), period" : ""
        // The result columns as ``seriesColumns(_:)`` names them, each computed by its expression (an axis: its column).
        let computed = ["cat_code": "f.cat_code", "period": period, "v": value]
        let select = seriesColumns(q).map { "\(computed[$0] ?? "f.\($0)") AS \($0)" }.joined(separator: ", ")
        b.append("""
            SELECT \(select)
            FROM \(q.table) f \(join)
            WHERE \(cond) AND f.\(q.metric.rawValue) IS NOT NULL
            \(grouping)
            \(order)
            LIMIT \(b.bind(.int(q.limit + 1)))
            """)
        return b
    }

    /// The labels of `ids`: from `cache`, reading (and keeping) only the ones it does not have.
    func filterLabels(ids: Set<Int>, cache: RegistryLabelCache) async throws -> [Int: FilterValue] {
        let (known, missing) = cache.filters(ids)
        guard !missing.isEmpty else { return known }
        let read = try await filterLabels(ids: missing)
        cache.add(filters: read)
        return known.merging(read) { a, _ in a }
    }

    /// A dimension's category labels: from `cache` when it has all of `codes`, else read (and kept) again.
    func categoryLabels(source: Int, dim: Int, codes: Set<Int>, cache: RegistryLabelCache) async throws -> [Int: RegistryLabelCache.CategoryLabel] {
        if let kept = cache.categories(source: source, dim: dim, covering: codes) { return kept }
        var read: [Int: RegistryLabelCache.CategoryLabel] = [:]
        for r in try await execute("SELECT cat_code, name, sort_order FROM categories WHERE source_id = ? AND dim_code = ?", [.int(source), .int(dim)]) {
            guard let code = r.int("cat_code") else { continue }
            read[code] = .init(name: r.string("name") ?? String(code), sortOrder: r.int("sort_order") ?? Int.max)
        }
        cache.set(categories: read, source: source, dim: dim)
        return read
    }

    /// Filter labels, read once per answer rather than joined four times into every row.
    func filterLabels(ids: Set<Int>) async throws -> [Int: FilterValue] {
        guard !ids.isEmpty else { return [:] }
        var b = SQLBuilder(dialect)
        let cond = b.inList("id", ids.sorted())
        b.append("SELECT id, native_code, native_name FROM filters WHERE \(cond)")
        var out: [Int: FilterValue] = [:]
        for r in try await execute(b) {
            guard let id = r.int("id") else { continue }
            out[id] = FilterValue(id: id, code: r.string("native_code") ?? "", name: r.string("native_name") ?? "")
        }
        return out
    }

    func factTotals(_ q: FactSeriesQuery) async throws -> FactTotals {
        var byCat = SQLBuilder(dialect)
        let catSource = byCat.seriesSource(q)
        byCat.append("SELECT f.cat_code, c.name AS category, c.sort_order, sum(f.\(q.metric.rawValue)) AS v \(catSource) GROUP BY f.cat_code, c.name, c.sort_order ORDER BY c.sort_order, f.cat_code")
        var byPeriod = SQLBuilder(dialect)
        let period = byPeriod.periodExpression(q.granularity, prefix: "f.")
        let periodSource = byPeriod.seriesSource(q)
        byPeriod.append("SELECT \(period) AS period, sum(f.\(q.metric.rawValue)) AS v \(periodSource) GROUP BY \(period) ORDER BY period")
        return FactTotals(
            byCategory: try await execute(byCat).map { .init(catCode: $0.int("cat_code") ?? 0, category: $0.string("category") ?? "", value: $0.double("v") ?? 0) },
            byPeriod: try await execute(byPeriod).map { .init(period: $0.string("period") ?? "", value: $0.double("v") ?? 0) })
    }

    func assetRows() async throws -> [AssetStatus] {
        let datasets = try await execute("""
            SELECT d.key, d.title, d.table_id, d.source_id, d.dim_code, d.freshness_months, s.key AS source_key, s.attribution,
              (SELECT max(r.finished_at) FROM ingest_runs r WHERE r.dataset = d.key AND r.status = 'complete') AS last_ok,
              (SELECT r.status FROM ingest_runs r WHERE r.dataset = d.key ORDER BY r.id DESC LIMIT 1) AS last_status,
              (SELECT count(*) FROM fact_yearly f WHERE f.source_id = d.source_id AND f.dim_code = d.dim_code)
                + (SELECT count(*) FROM fact_daily f WHERE f.source_id = d.source_id AND f.dim_code = d.dim_code) AS n
            FROM datasets d JOIN sources s ON s.source_id = d.source_id ORDER BY d.key
            """)
        let records = try await latestMaterializations()
        var out = datasets.map { r in
            AssetStatus(key: r.string("key") ?? "", kind: .dataset, title: r.string("title") ?? "", sourceKey: r.string("source_key"),
                        attribution: r.string("attribution"), tableID: r.string("table_id"), sourceID: r.int("source_id"), dimCode: r.int("dim_code"),
                        freshnessMonths: r.int("freshness_months") ?? 12, lastMaterializedAt: r.string("last_ok"),
                        lastRunStatus: r.string("last_status").flatMap(RunStatus.init(rawValue:)), rows: r.int("n") ?? 0,
                        lastMaterialization: records[r.string("key") ?? ""])
        }
        let mart = try await execute("""
            SELECT (SELECT max(r.finished_at) FROM ingest_runs r WHERE r.dataset = ? AND r.status = 'complete') AS last_ok,
              (SELECT r.status FROM ingest_runs r WHERE r.dataset = ? ORDER BY r.id DESC LIMIT 1) AS last_status,
              (SELECT count(*) FROM kommune_indicators) AS n
            """, [.text(KommuneIndicatorMart.asset), .text(KommuneIndicatorMart.asset)]).first
        // A mart is as fresh as its inputs allow: the strictest input policy applies.
        let inputKeys = Set(try await execute("SELECT DISTINCT dataset FROM indicators").compactMap { $0.string("dataset") })
        let inputs = out.filter { inputKeys.contains($0.key) }
        out.append(AssetStatus(key: KommuneIndicatorMart.asset, kind: .mart, title: "Kommune indicators (kommune_indicators)",
                               sourceKey: nil, attribution: nil, tableID: nil, sourceID: nil, dimCode: nil,
                               freshnessMonths: inputs.map(\.freshnessMonths).min() ?? 13, lastMaterializedAt: mart?.string("last_ok"),
                               lastRunStatus: mart?.string("last_status").flatMap(RunStatus.init(rawValue:)), rows: mart?.int("n") ?? 0,
                               lastMaterialization: records[KommuneIndicatorMart.asset]))
        return out
    }
}
