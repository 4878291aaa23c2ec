import KildeCore

/// Inbound translation of BRASK result pages into facts (SPEC §6):
///
/// - each body row's label → the category of the dataset's dimension whose `native_name` it is (a label without
///   one is skipped, counted and named in a warning);
/// - each column → the period: a year column of a yearly table, or a day of the month a daily page shows (the page's
///   own form says which year and month it was asked for); days a month does not have (30 February) are dropped;
/// - each cell's number → the slice's metric (`value`, or `value_kr` in thousands of NOK as delivered), with the
///   slice's filter ids; empty and zero cells are not stored; the SUM row and column are not facts.
///
/// The upstream's own totals are the SUM row (per year or per day) and the SUM × SUM cell (the whole table): the
/// pipeline fails the slice when the facts do not add up to them, as for BRIS's bucket series.
struct BRASKTransform {
    let adapter: BRASKAdapter

    var dataset: String { adapter.dataset.key }
    var name: String { adapter.upstreamName }

    func transform(_ pages: [[UInt8]], slice: Slice) throws(IngestError) -> TransformOutput {
        var out = Accumulator(slice: slice, source: adapter.dataset.sourceID)
        for page in pages {
            if slice.table == .daily {
                try daily(page, slice: slice, into: &out)
            } else {
                try yearly(page, slice: slice, into: &out)
            }
        }
        let warnings = out.skippedLabels.sorted { $0.key < $1.key }.map { label, amount in
            "skipped row '\(label)' (\(JSONNumber.format(amount)) in all): no category of source \(adapter.source.key) dim \(slice.dimCode) has native_name '\(label)'"
        } + out.impossibleDays.map { "dropped \(JSONNumber.format($0.1)) on \($0.0), a day its month does not have" }
        return TransformOutput(facts: out.facts, totals: SliceTotals(facts: out.facts, metric: slice.metric), apiTotal: out.upstream.total,
                               skippedUnmapped: out.skippedCells, warnings: warnings, reconcileWith: out.upstream)
    }

    /// What the pages add up to, page by page.
    struct Accumulator {
        let slice: Slice
        let source: Int
        var facts: [Fact] = []
        /// The SUM row entries, per period.
        var sumRow = SliceTotals()
        /// The SUM × SUM cells of the pages (or, for a yearly window narrower than the table, its columns' sums).
        var sumTimesSum = 0.0
        var skippedLabels: [String: Double] = [:]
        var skippedCells = 0
        var impossibleDays: [(String, Double)] = []

        /// A body cell: stored unless empty or zero, skipped (and counted) when its row has no category.
        /// - Throws: ``IngestError`` `.malformedResponse` for a negative number: no count or damage is negative, and
        ///   the store would refuse the row anyway.
        mutating func cell(_ value: Double?, row category: Category?, label: String, period: Period) throws(IngestError) {
            guard let value, value != 0 else { return }
            guard value > 0 else {
                throw IngestError(.malformedResponse, dataset: slice.dataset, slice: slice.label, message: "row '\(label)' has \(JSONNumber.format(value)) at \(period)")
            }
            guard let category else {
                skippedLabels[label, default: 0] += value
                skippedCells += 1
                return
            }
            let key = FactKey(sourceID: source, dimCode: slice.dimCode, catCode: category.catCode, period: period,
                              fireType: slice.filters[.fireType]?.first, buildingType: slice.filters[.buildingType]?.first,
                              region: slice.filters[.region]?.first, buildingAge: slice.filters[.buildingAge]?.first)
            facts.append(slice.metric == .value ? Fact(key: key, value: value) : Fact(key: key, valueKr: value))
        }

        /// A page's SUM row entry for a period. The SUM × SUM cells are added to the total apart (``sumTimesSum``):
        /// the upstream's total is the cell it prints, not the sum of its SUM row.
        mutating func upstreamTotal(_ value: Double?, at period: Period) {
            guard let value, value != 0 else { return }
            sumRow.add(value, at: period)
        }

        /// The SUM row per period with the SUM × SUM cells as the total: what the facts must add up to.
        var upstream: SliceTotals {
            var t = sumRow
            t.total = sumTimesSum
            return t
        }
    }

    func yearly(_ page: [UInt8], slice: Slice, into out: inout Accumulator) throws(IngestError) {
        let cursor = slice.years.map { "\($0.first)–\($0.last)" } ?? "all years"
        try checkColumn(try form(page, slice: slice), adapter.controls.yearColumn, slice: slice, cursor: cursor)
        let pivot = try parse(page, columns: .any, cursor: cursor)
        var years: [Int] = []
        for label in pivot.columnLabels {
            guard label.count == 4, let y = Int(label) else {
                throw IngestError(.schemaChanged, dataset: dataset, slice: slice.label, message: "\(name): column '\(label)' of the yearly table is not a year")
            }
            years.append(y)
        }
        let kept = years.indices.filter { slice.years?.contains(years[$0]) ?? true }
        for (r, label) in pivot.rowLabels.enumerated() {
            let category = category(label, slice: slice)
            for c in kept { try out.cell(pivot.values[r][c], row: category, label: label, period: .year(years[c])) }
        }
        for c in kept { out.upstreamTotal(pivot.columnSums[c], at: .year(years[c])) }
        // SUM × SUM is the table's total; a window narrower than the table's years cannot use it.
        out.sumTimesSum += kept.count == years.count ? pivot.total ?? 0 : kept.reduce(0) { $0 + (pivot.columnSums[$1] ?? 0) }
    }

    func daily(_ page: [UInt8], slice: Slice, into out: inout Accumulator) throws(IngestError) {
        let form = try form(page, slice: slice)
        let (year, month) = try shownMonth(form, slice: slice)
        let cursor = BRASKCursor.month(year: year, month: month)
        try checkColumn(form, adapter.controls.dayColumn, slice: slice, cursor: "\(cursor)")
        let pivot = try parse(page, columns: .days, cursor: "\(cursor)")
        // Columns are 1…31 (checked by the parser): a day the month does not have is dropped, with anything in it.
        let days = pivot.columnLabels.map { Int($0).flatMap { CivilDate(year: year, month: month, day: $0) } }
        for (r, label) in pivot.rowLabels.enumerated() {
            let category = category(label, slice: slice)
            for (c, day) in days.enumerated() {
                guard let day else {
                    if let v = pivot.values[r][c], v != 0 { out.impossibleDays.append(("\(cursor)-\(pivot.columnLabels[c])", v)) }
                    continue
                }
                try out.cell(pivot.values[r][c], row: category, label: label, period: .day(day))
            }
        }
        for (c, day) in days.enumerated() {
            if let day { out.upstreamTotal(pivot.columnSums[c], at: .day(day)) }
        }
        out.sumTimesSum += pivot.total ?? 0
    }

    /// The category a row label stands for, or `nil` (the cell is skipped and counted).
    func category(_ label: String, slice: Slice) -> Category? {
        adapter.registry.category(source: adapter.dataset.sourceID, dim: slice.dimCode, nativeName: label).flatMap { $0.isNativeOnly ? nil : $0 }
    }

    func parse(_ page: [UInt8], columns: BRASKResultPage.Columns, cursor: String) throws(IngestError) -> BRASKPivot {
        do throws(BRASKPageError) {
            return try BRASKResultPage.parse(page, columns: columns)
        } catch {
            throw IngestError(error.code == .badNumber ? .malformedResponse : .schemaChanged, dataset: dataset, slice: nil,
                              message: "\(name) (\(cursor)): \(error.description)", underlying: error)
        }
    }

    /// A result page's own form: its list boxes keep the query's selection, so the page says what it shows.
    func form(_ page: [UInt8], slice: Slice) throws(IngestError) -> BRASKForm {
        do throws(BRASKPageError) { return try BRASKForm.parse(page) } catch {
            throw IngestError(.schemaChanged, dataset: dataset, slice: slice.label, message: "\(name): a result page without its form: \(error.description)", underlying: error)
        }
    }

    /// The page shows the column dimension the slice needs (years for a yearly slice, days for a daily one).
    func checkColumn(_ form: BRASKForm, _ expected: String, slice: Slice, cursor: String) throws(IngestError) {
        let shown = form.select(adapter.controls.column)?.submittedValues ?? []
        guard shown == [expected] else {
            throw IngestError(.schemaChanged, dataset: dataset, slice: slice.label,
                              message: "\(name) (\(cursor)): the page's columns are \(adapter.controls.column)=\(shown), not \(expected)")
        }
    }

    /// The year and month a daily page shows, as its own form says.
    func shownMonth(_ form: BRASKForm, slice: Slice) throws(IngestError) -> (Int, Int) {
        let controls = adapter.controls
        let years = form.select(controls.year)?.submittedValues ?? [], months = form.select(controls.month)?.submittedValues ?? []
        guard years.count == 1, months.count == 1, let y = Int(years[0]), let m = Int(months[0]), (1...12).contains(m) else {
            throw IngestError(.schemaChanged, dataset: dataset, slice: slice.label,
                              message: "\(name): a daily page must show one year and one month; its form has \(controls.year)=\(years) \(controls.month)=\(months)")
        }
        return (y, m)
    }
}
