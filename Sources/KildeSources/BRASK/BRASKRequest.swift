import KildeCore
import KildeUpstream

/// What one post asks for: a yearly table (every year, or a window of years, as columns), or the 31 days of one
/// month. Errors name it as the failing cursor, e.g. `BRASK POST 500 (2024-01)`.
public enum BRASKCursor: Sendable, Hashable, CustomStringConvertible {
    /// Years as columns: the window's years, or every year BRASK has (`nil`).
    case years(YearWindow?)
    /// The months of one year as columns (the daily gates' tier 2).
    case months(year: Int)
    /// The days of one month as columns.
    case month(year: Int, month: Int)

    public var description: String {
        switch self {
        case .years(nil): "all years"
        case .years(let w?): w.first == w.last ? String(w.first) : "\(w.first)–\(w.last)"
        case .months(let y): "\(y) by month"
        case .month(let y, let m): "\(y)-\(m < 10 ? "0" : "")\(m)"
        }
    }
}

/// Outbound translation: a slice (and a cursor within it) → the BRASK form's choices and the post that sends them
/// back with the form's hidden fields, through the catalogue.
///
/// Every post names every control it relies on — row, column, years, months, each axis's list box (empty: all) and
/// the metric — because the page it answers carries the previous query's selection, and a post sends the form as
/// set. A slice's filter becomes its one value in the axis's list box, so every cell of the answer carries exactly
/// the slice's filter ids.
struct BRASKRequest: Sendable {
    let adapter: BRASKAdapter
    let slice: Slice

    var controls: BRASKControls { adapter.controls }
    var dataset: String { adapter.dataset.key }

    /// `GET` the form: it starts a session (a cookie) and carries the state a post must send back. Never shared with
    /// another conversation: its state belongs to the session it started.
    func formPage() -> UpstreamRequest {
        var r = UpstreamRequest(url: adapter.formURL, label: "\(adapter.upstreamName) GET form")
        r.isShareable = false
        return r
    }

    /// The choices for `cursor`, by control id.
    /// - Throws: ``IngestError`` for a slice with several values on an axis, a filter not of the source, an axis
    ///   the form has no list box for, or a dimension other than the dataset's.
    func choices(_ cursor: BRASKCursor) throws(IngestError) -> [String: [String]] {
        guard slice.dimCode == adapter.dataset.dimCode else {
            throw IngestError(.invalidSlice, dataset: dataset, slice: slice.label, message: "row '\(adapter.row)' answers dim \(adapter.dataset.dimCode), not \(slice.dimCode)")
        }
        var c: [String: [String]] = [controls.row: [adapter.row], controls.metric: [controls.metricValue(slice.metric)]]
        switch cursor {
        case .years(let window):
            c[controls.column] = [controls.yearColumn]
            c[controls.year] = window.map { $0.years.map(String.init) } ?? []
            c[controls.month] = []
        case .months(let y):
            c[controls.column] = [controls.monthColumn]
            c[controls.year] = [String(y)]
            c[controls.month] = []
        case .month(let y, let m):
            c[controls.column] = [controls.dayColumn]
            c[controls.year] = [String(y)]
            c[controls.month] = [String(m)]
        }
        for axis in FilterAxis.allCases {
            let code = try adapter.registry.singleNativeCode(slice, axis: axis, source: adapter.source, upstream: adapter.upstreamName)
            guard let box = controls.axes[axis] else {
                if code == nil { continue }
                throw IngestError(.invalidSlice, dataset: dataset, slice: slice.label, message: "the BRASK form has no list box for \(axis.rawValue)")
            }
            c[box] = code.map { [$0] } ?? []
        }
        return c
    }

    /// The post for `cursor` through `form`: its hidden fields, the choices, the submit button. HTTP 500 is an
    /// answer the conversation reads (ASP.NET's error page says whether the state went stale or the year has no
    /// data), not a failure to retry.
    /// - Throws: ``IngestError`` `.codeNotOffered` when the form does not offer a value (its event validation would
    ///   refuse the post), naming the control and the values on offer.
    func post(_ form: BRASKForm, _ cursor: BRASKCursor) throws(IngestError) -> UpstreamRequest {
        let chosen = try choices(cursor)
        let fields: [(String, String)]
        do throws(BRASKPageError) {
            fields = try form.submission(chosen, submit: controls.submit).map { ($0.name, $0.value) }
        } catch {
            throw IngestError(.codeNotOffered, dataset: dataset, slice: slice.label, message: "\(adapter.upstreamName) (\(cursor)): \(error.message)", underlying: error)
        }
        var r = UpstreamRequest.form(url: adapter.formURL, fields: fields, label: "\(adapter.upstreamName) POST \(adapter.row) \(slice.metric.rawValue) (\(cursor))")
        r.answeredStatuses = [500]
        r.isShareable = false
        return r
    }
}
