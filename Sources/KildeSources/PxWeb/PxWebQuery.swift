import KildeCore

/// Outbound translation: a slice → the PxWeb selection that answers it, through the catalogue, checked against the
/// table's metadata.
struct PxWebQuery {
    let adapter: PxWebAdapter
    let prepared: PxWebPrepared

    var dataset: String { adapter.dataset.key }

    /// The selection a slice asks for, or `nil` when the table offers none of the slice's regions.
    /// - Throws: ``IngestError`` for a filter that is not the source's, an axis the table lacks, or a category code
    ///   the table does not offer (naming it and the codes on offer).
    func selection(for slice: Slice) throws(IngestError) -> PxWebSelection? {
        let table = adapter.table
        var variables: [PxWebSelection.Variable] = []
        if let regionVariable = table.regionVariable {
            let offered = Set(prepared.metadata.variable(regionVariable)?.codes ?? [])
            // Ask only for regions the table has: PxWeb answers 400 to an unknown code, which would fail the whole slice.
            let codes = try regionCodes(for: slice).filter(offered.contains)
            guard !codes.isEmpty else { return nil }
            variables.append(.init(code: regionVariable, values: .items(codes), codelist: table.codelists[regionVariable]))
        } else if slice.filters[.region] != nil {
            throw IngestError(.invalidSlice, dataset: dataset, slice: slice.label, message: "table \(table.id) has no region variable")
        }
        let categories = try categoryCodes(for: slice)
        variables.append(.init(code: table.categoryVariable, values: .items(categories), codelist: table.codelists[table.categoryVariable]))
        for f in table.fixed {
            variables.append(.init(code: f.variable, values: .items([f.code]), codelist: table.codelists[f.variable]))
        }
        let time = timeCodes(for: slice)
        // None of the slice's years is on offer: nothing to ask (the transform says so).
        if case .items(let codes) = time, codes.isEmpty { return nil }
        variables.append(.init(code: table.timeVariable, values: time, codelist: table.codelists[table.timeVariable]))
        return PxWebSelection(variables)
    }

    /// The native region codes of a slice: its region filters', or the national code for region NULL.
    func regionCodes(for slice: Slice) throws(IngestError) -> [String] {
        guard let ids = slice.filters[.region] else { return adapter.table.nationalCode.map { [$0] } ?? [] }
        let (codes, unknown) = adapter.registry.nativeCodes(ofFilters: ids, source: adapter.dataset.sourceID, axis: .region)
        guard unknown.isEmpty else {
            throw IngestError(.filterNotInRegistry, dataset: dataset, slice: slice.label,
                              message: "region filter \(unknown.map(String.init).joined(separator: ", ")) is not a filter of source \(adapter.source.key)")
        }
        return codes
    }

    /// The codes of the categories a slice covers: those whose category-coded filters are the slice's.
    func categoryCodes(for slice: Slice) throws(IngestError) -> [String] {
        for axis in slice.filters.keys where axis != .region {
            let coded = adapter.storedCategories.contains { adapter.filters(standingFor: $0)[axis] != nil }
            if !coded {
                throw IngestError(.invalidSlice, dataset: dataset, slice: slice.label, message: "table \(adapter.table.id) has no \(axis.rawValue) axis")
            }
        }
        let categories = adapter.storedCategories.filter { c in
            let stands = adapter.filters(standingFor: c)
            return FilterAxis.allCases.filter { $0 != .region }.allSatisfy { axis in
                guard let id = stands[axis] else { return slice.filters[axis] == nil }
                return slice.filters[axis]?.contains(id) == true
            }
        }
        guard !categories.isEmpty else {
            throw IngestError(.invalidSlice, dataset: dataset, slice: slice.label, message: "no categories of the catalogue answer this slice")
        }
        let offered = prepared.metadata.variable(adapter.table.categoryVariable)?.codes ?? []
        // Codes from a code list are checked by the host; the metadata lists the variable's own codes only.
        if adapter.table.codelists[adapter.table.categoryVariable] == nil, !offered.isEmpty {
            for c in categories where !offered.contains(c.nativeAPICode) {
                let what = c.verified ? "\(adapter.table.categoryVariable) '\(c.nativeAPICode)'" : "\(adapter.table.categoryVariable) '\(c.nativeAPICode)' (unverified in the catalogue)"
                throw IngestError(.codeNotOffered, dataset: dataset, slice: slice.label,
                                  message: "table \(adapter.table.id) does not offer \(what); it offers \(PxWebTable.sample(offered))")
            }
        }
        return categories.map(\.nativeAPICode)
    }

    /// The time codes of a slice's years that the table offers, or all of them for a slice without a window.
    func timeCodes(for slice: Slice) -> PxWebSelection.Values {
        guard let window = slice.years else { return .all }
        let codes = prepared.metadata.variable(adapter.table.timeVariable)?.codes ?? []
        return .items(codes.filter { PxWebTime.period($0).map { window.contains($0.year) } ?? false })
    }
}
