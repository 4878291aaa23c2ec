import KildeCore

/// The registry lookups every adapter kind makes between a slice's filter ids and the upstream's codes: written
/// once here, so BRIS and BRASK (and the kinds after them) resolve filters alike.
extension Registry {
    /// The ids of `source`'s filters on `axis` that apply to dimension `dim`, in sort order: the values a slice
    /// plan crosses on that axis.
    public func applicableFilterIDs(source: Int, axis: FilterAxis, dim: Int) -> [Int] {
        filters(source: source, axis: axis).filter { $0.applicableDimCodes.contains(dim) }.map(\.id)
    }

    /// The native code of a slice's one filter on `axis`, or `nil` when the axis is NULL (all).
    ///
    /// For upstreams that are asked one value per axis (each row of the answer then carries exactly that filter id).
    /// - Parameters:
    ///   - upstream: how errors name the upstream, e.g. `BRIS`.
    /// - Throws: ``IngestError`` `.invalidSlice` for several values on the axis (one request would mix them and no
    ///   row could carry one id), `.filterNotInRegistry` for an id that is not a filter of `source` on `axis`.
    public func singleNativeCode(_ slice: Slice, axis: FilterAxis, source: Source, upstream: String) throws(IngestError) -> String? {
        guard let ids = slice.filters[axis] else { return nil }
        guard ids.count == 1 else {
            throw IngestError(.invalidSlice, dataset: slice.dataset, slice: slice.label,
                              message: "one \(axis.rawValue) per \(upstream) slice (rows carry one id each), not \(ids.count)")
        }
        let (codes, unknown) = nativeCodes(ofFilters: ids, source: source.id, axis: axis)
        guard unknown.isEmpty, let code = codes.first else {
            throw IngestError(.filterNotInRegistry, dataset: slice.dataset, slice: slice.label,
                              message: "\(axis.rawValue) filter \(ids[0]) is not a filter of source \(source.key)")
        }
        return code
    }

    /// Every combination of one applicable filter per axis in `axes` (NULL on an axis the dimension has no filters
    /// for), in the order of `axes` with the last one varying fastest: the joint distribution a source that is
    /// asked one value per axis needs to be fetched at (SPEC §6: BRASK's 2 × 23 × 13).
    public func crossProduct(source: Int, dim: Int, axes: [FilterAxis]) -> [[FilterAxis: [Int]]] {
        var out: [[FilterAxis: [Int]]] = [[:]]
        for axis in axes {
            let ids = applicableFilterIDs(source: source, axis: axis, dim: dim)
            guard !ids.isEmpty else { continue }
            out = out.flatMap { partial in ids.map { id in partial.merging([axis: [id]]) { _, new in new } } }
        }
        return out
    }
}
