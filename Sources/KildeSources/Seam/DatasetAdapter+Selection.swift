import KildeCore

extension DatasetAdapter {
    /// `plan` narrowed to `selection`, for every adapter alike: the slices a run of that selection fetches.
    ///
    /// The narrowing itself is ``SliceSelection/narrow(_:)``; this names the dataset and the filter's native
    /// code when a selected value cannot be served.
    /// - Throws: ``IngestError`` `.filterNotPlanned` (its `underlying` is the ``UnplannedFilter``, which carries the
    ///   axis) when no planned slice covers a selected filter value.
    public func narrow(_ plan: [Slice], to selection: SliceSelection, registry: Registry) throws(IngestError) -> [Slice] {
        do {
            return try selection.narrow(plan)
        } catch {
            let value = registry.filter(id: error.filterID).map { "'\($0.nativeCode)' (filter \($0.id))" } ?? "filter \(error.filterID)"
            throw IngestError(.filterNotPlanned, dataset: dataset.key, message: error.description(value: value),
                              underlying: error)
        }
    }
}
