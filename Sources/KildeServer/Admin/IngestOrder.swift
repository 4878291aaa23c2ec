import KildeCore

/// An ingest asked for by `POST /v1/admin/ingest` or the explorer's "fetch this slice" form, validated against the
/// catalogue with the read API's rules: the dataset, and the selection (filters per axis, years) its run covers.
struct IngestOrder {
    var dataset: DatasetDefinition
    var selection: SliceSelection

    /// - Parameters:
    ///   - years: `2023` or `2015-2024`; `nil` keeps the plan's own windows.
    ///   - filters: tokens per axis name, as `GET /v1/facts` takes them (native codes, filter ids, standard codes).
    /// - Throws: ``APIError`` 400 naming `dataset`, `years`, `filters` (for an unknown axis) or the axis whose
    ///   tokens match nothing or do not apply to the dataset's dimension.
    init(dataset key: String, years: String?, filters: [String: [String]], registry: Registry) throws(APIError) {
        dataset = try registry.apiDataset(key: key)
        var window: YearWindow?
        if let years {
            guard let w = YearWindow(parsing: years) else { throw .invalidParameter("years", "'years' must look like 2023 or 2015-2024, not '\(years)'") }
            window = w
        }
        var tokens: [FilterAxis: [String]] = [:]
        for (name, values) in filters.sorted(by: { $0.key < $1.key }) {
            guard let axis = FilterAxis(rawValue: name) else {
                let axes = FilterAxis.allCases.map(\.rawValue).joined(separator: ", ")
                throw .invalidParameter("filters", "unknown filter axis '\(name)'; the axes are \(axes)")
            }
            // An empty list would silently mean "not narrowed", the opposite of what a caller naming the axis wants.
            guard !values.isEmpty, !values.contains(where: \.isEmpty) else {
                throw .invalidParameter(name, "'\(name)' needs one or more non-empty filter tokens")
            }
            tokens[axis] = values
        }
        selection = SliceSelection(filters: try registry.apiFilterIDs(tokens: tokens, source: dataset.sourceID, dimCode: dataset.dimCode),
                                   years: window)
    }
}
