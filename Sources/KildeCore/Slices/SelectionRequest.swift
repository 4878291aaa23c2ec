/// A run's selection as a person or a program writes it — a year window, filter tokens per axis name, a metric —
/// before it is checked against a dataset: what `kilde ingest`, `kilde plan`, `POST /v1/admin/ingest` and the
/// explorer's "fetch this slice" all accept, parsed and resolved here once.
public struct SelectionRequest: Sendable, Hashable, Codable {
    /// `2023` or `2015-2024`; `nil` keeps the plan's own windows.
    public var years: String?
    /// Tokens per axis name (`fire_type`, `building_type`, `building_age`, `region`), as `GET /v1/facts` takes them:
    /// native codes, filter ids, standard codes.
    public var filters: [String: [String]]
    /// `value` or `value_kr`: only the slices of that metric pass; `nil` keeps every pass.
    public var metric: String?

    public init(years: String? = nil, filters: [String: [String]] = [:], metric: String? = nil) {
        self.years = years
        self.filters = filters
        self.metric = metric
    }

    /// The selection for `dataset`.
    /// - Throws: ``SelectionError`` naming the parameter at fault: `years`, `metric`, `filters` (an unknown axis) or
    ///   the axis whose tokens are empty, match nothing or do not apply to the dataset's dimension.
    public func resolve(dataset: DatasetDefinition, registry: Registry) throws(SelectionError) -> SliceSelection {
        var window: YearWindow?
        if let years {
            guard let w = YearWindow(parsing: years) else { throw SelectionError("years", "'years' must look like 2023 or 2015-2024, not '\(years)'") }
            window = w
        }
        var chosen: Metric?
        if let metric {
            guard let m = Metric(rawValue: metric) else { throw SelectionError("metric", "'metric' must be value or value_kr, not '\(metric)'") }
            chosen = m
        }
        var tokens: [FilterAxis: [String]] = [:]
        for (name, values) in filters.sorted(by: { $0.key < $1.key }) {
            guard let axis = FilterAxis(rawValue: name) else {
                let axes = FilterAxis.allCases.map(\.rawValue).joined(separator: ", ")
                throw SelectionError("filters", "unknown filter axis '\(name)'; the axes are \(axes)")
            }
            // An empty list would silently mean "not narrowed", the opposite of what a caller naming the axis wants.
            guard !values.isEmpty, !values.contains(where: \.isEmpty) else {
                throw SelectionError(name, "'\(name)' needs one or more non-empty filter tokens")
            }
            tokens[axis, default: []] += values
        }
        let ids: [FilterAxis: [Int]]
        do {
            ids = try registry.filterIDs(tokens: tokens, source: dataset.sourceID, dimCode: dataset.dimCode)
        } catch {
            throw SelectionError(error.axis.rawValue, error.description)
        }
        return SliceSelection(filters: ids, years: window, metric: chosen)
    }
}

/// A selection that does not fit its dataset, naming the parameter at fault (an HTTP edge reports it as such).
public struct SelectionError: Error, CustomStringConvertible, Sendable, Hashable {
    /// `years`, `metric`, `filters`, or an axis name.
    public var parameter: String
    public var description: String

    public init(_ parameter: String, _ description: String) {
        self.parameter = parameter
        self.description = description
    }
}
