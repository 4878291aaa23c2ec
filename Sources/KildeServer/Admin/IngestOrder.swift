import KildeCore

/// An ingest asked for by `POST /v1/admin/ingest` or the explorer's "fetch this slice" form, validated against the
/// catalogue with the read API's rules: the dataset, and the selection (filters per axis, years, metric) its run
/// covers. The selection is parsed by ``SelectionRequest``, as `kilde ingest` and `kilde plan` parse theirs.
struct IngestOrder {
    var dataset: DatasetDefinition
    var selection: SliceSelection
    /// The selection as asked, which the queued job keeps (the worker resolves it again when it runs).
    var request: SelectionRequest

    /// - Parameters:
    ///   - years: `2023` or `2015-2024`; `nil` keeps the plan's own windows.
    ///   - filters: tokens per axis name, as `GET /v1/facts` takes them (native codes, filter ids, standard codes).
    ///   - metric: `value` or `value_kr`; `nil` keeps every metric pass of the plan.
    /// - Throws: ``APIError`` 400 naming `dataset`, `years`, `metric`, `filters` (for an unknown axis) or the axis whose
    ///   tokens match nothing or do not apply to the dataset's dimension.
    init(dataset key: String, years: String?, filters: [String: [String]], metric: String? = nil, registry: Registry) throws(APIError) {
        dataset = try registry.apiDataset(key: key)
        request = SelectionRequest(years: years, filters: filters, metric: metric)
        do throws(SelectionError) {
            selection = try request.resolve(dataset: dataset, registry: registry)
        } catch {
            throw .invalidParameter(error.parameter, error.description)
        }
    }
}
