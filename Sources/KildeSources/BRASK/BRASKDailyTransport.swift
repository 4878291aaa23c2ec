import KildeCore
import KildeUpstream

/// The BRASK side of the daily gates (``DailyGate``): each cursor is one post of the session's form — the yearly
/// table (every year BRASK has, so a window reaching past the data never asks for a year BRASK answers with HTTP
/// 500), one year with the months as columns, one month with the 31 days as columns.
struct BRASKDailyTransport: DailyTransport {
    private var state: BRASKSession

    init(session: BRASKSession) {
        self.state = session
    }

    var session: String? { state.key }

    var adapter: BRASKAdapter { state.request.adapter }

    static func cursor(_ c: DailyCursor) -> BRASKCursor {
        switch c {
        case .years: .years(nil)
        case .months(let y): .months(year: y)
        case .days(let y, let m): .month(year: y, month: m)
        }
    }

    mutating func start(_ cursor: DailyCursor) throws(IngestError) -> UpstreamRequest {
        try state.start(Self.cursor(cursor))
    }

    mutating func receive(_ response: UpstreamResponse, for cursor: DailyCursor) throws(IngestError) -> DailyTransportStep {
        try state.receive(response, for: Self.cursor(cursor))
    }

    /// The SUM row of the yearly table, per year column.
    func yearlySums(_ answer: UpstreamResponse) throws(IngestError) -> [Int: Double] {
        let (pivot, _) = try read(answer, column: adapter.controls.yearColumn, cursor: .years(nil))
        var out: [Int: Double] = [:]
        for (c, label) in pivot.columnLabels.enumerated() {
            guard label.count == 4, let y = Int(label) else {
                throw IngestError(.schemaChanged, dataset: adapter.dataset.key, slice: state.request.slice.label,
                                  message: "\(adapter.upstreamName) (all years): column '\(label)' of the yearly table is not a year")
            }
            if let sum = pivot.columnSums[c], sum != 0 { out[y] = sum }
        }
        return out
    }

    /// The SUM row of a year's table by month. Month columns carry the month list box's labels (`Januar`, …): the
    /// page's own form maps them to month numbers, so no month name is spelt here.
    func monthlySums(_ answer: UpstreamResponse, year: Int) throws(IngestError) -> [Int: Double] {
        let cursor = BRASKCursor.months(year: year)
        let (pivot, form) = try read(answer, column: adapter.controls.monthColumn, cursor: cursor)
        var months: [String: Int] = [:]
        for option in form.select(adapter.controls.month)?.options ?? [] {
            if let m = Int(option.value), (1...12).contains(m) { months[BRASKPage.label(option.label)] = m }
        }
        var out: [Int: Double] = [:]
        for (c, label) in pivot.columnLabels.enumerated() {
            guard let m = months[label] else {
                throw IngestError(.schemaChanged, dataset: adapter.dataset.key, slice: state.request.slice.label,
                                  message: "\(adapter.upstreamName) (\(cursor)): column '\(label)' is no month of the form's \(adapter.controls.month)")
            }
            if let sum = pivot.columnSums[c], sum != 0 { out[m, default: 0] += sum }
        }
        return out
    }

    /// A result page's table and its own form, checked to have `column` as its columns.
    private func read(_ answer: UpstreamResponse, column: String, cursor: BRASKCursor) throws(IngestError) -> (BRASKPivot, BRASKForm) {
        let transform = BRASKTransform(adapter: adapter)
        let slice = state.request.slice
        let form = try transform.form(answer.body, slice: slice)
        try transform.checkColumn(form, column, slice: slice, cursor: "\(cursor)")
        return (try transform.parse(answer.body, columns: .any, cursor: "\(cursor)"), form)
    }
}
