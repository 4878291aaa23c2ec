/// Validates a draft's `value` and `status` against the cell count and chooses their storage.
struct CellBuilder {
    let base: UnsafePointer<UInt8>
    let end: Int
    let options: JSONStatDecodingOptions

    struct Cells {
        var values: CellValues
        var statuses: CellStatuses
        var present: Int
        var metadataOnly: Bool
    }

    func build(_ d: DatasetDraft, cellCount: Int) throws(JSONStatError) -> Cells {
        var dense: DenseValues
        switch d.values {
        case .absent:
            throw JSONStatError(code: .missingField, message: "the dataset has no 'value'", offset: d.offset)
        case .deferred(let offset):
            var s = JSONScanner(base: base, count: end, position: offset)
            dense = try s.readDenseValues(expected: cellCount)
        case .dense(let values):
            dense = values
        case .sparse(let indices, let values, let sorted):
            let (storage, present) = try sparseValues(indices, values, sorted: sorted, cellCount: cellCount, offset: d.valuesOffset)
            return Cells(values: storage, statuses: try statuses(d, cellCount: cellCount), present: present, metadataOnly: false)
        case .scattered(let values, let present):
            let storage: CellValues = present == 0 ? .none : .dense(values)
            return Cells(values: storage, statuses: try statuses(d, cellCount: cellCount), present: present, metadataOnly: false)
        case .deferredSparse(let offset, let length):
            var s = JSONScanner(base: base, count: end, position: offset)
            let storage: CellValues
            let present: Int
            if JSONScanner.prefersDense(cellCount: cellCount, textBytes: length) {
                let dense = try s.readSparseValuesDense(cellCount: cellCount)
                (storage, present) = (dense.present == 0 ? .none : .dense(dense.values), dense.present)
            } else {
                let sparse = try s.readSparseValues()
                (storage, present) = try sparseValues(
                    sparse.indices, sparse.values, sorted: sparse.sorted, cellCount: cellCount, offset: offset)
            }
            return Cells(values: storage, statuses: try statuses(d, cellCount: cellCount), present: present, metadataOnly: false)
        }
        var metadataOnly = false
        if dense.count == 0 && cellCount > 0 {
            guard options.allowsMetadataOnly else {
                throw JSONStatError(
                    code: .missingValues,
                    message: "'value' is empty for \(cellCount) cells (a metadata-only document)", offset: d.valuesOffset)
            }
            metadataOnly = true
        } else if dense.count != cellCount {
            throw JSONStatError(
                code: .valueCountMismatch,
                message: "'value' has \(dense.count) entries but the sizes imply \(cellCount) cells",
                offset: d.valuesOffset)
        }
        let values: CellValues = dense.values.isEmpty ? .none : .dense(dense.values)
        return Cells(values: values, statuses: try statuses(d, cellCount: cellCount), present: dense.present, metadataOnly: metadataOnly)
    }

    private func sparseValues(
        _ indices: [Int], _ values: [Double], sorted: Bool, cellCount: Int, offset: Int
    ) throws(JSONStatError) -> (CellValues, Int) {
        for index in indices where index >= cellCount {
            throw JSONStatError(
                code: .sparseKeyOutOfRange,
                message: "'value' has key \"\(index)\" but the sizes imply only \(cellCount) cells (0..<\(cellCount))",
                offset: offset)
        }
        var order = Array(indices.indices)
        if !sorted { order.sort { indices[$0] < indices[$1] } }
        var keptIndices: [Int] = []
        var keptValues: [Double] = []
        keptIndices.reserveCapacity(indices.count)
        keptValues.reserveCapacity(indices.count)
        var previous = -1
        for slot in order {
            let index = indices[slot]
            guard index != previous else {
                throw JSONStatError(code: .invalidSparseKey, message: "'value' has key \"\(index)\" twice", offset: offset)
            }
            previous = index
            if !values[slot].isNaN {
                keptIndices.append(index)
                keptValues.append(values[slot])
            }
        }
        let present = keptIndices.count
        guard present > 0 else { return (.none, 0) }
        // Dense storage costs 8 bytes per cell, sparse 16 per present cell.
        if cellCount <= 3 * present {
            var dense = [Double](repeating: .nan, count: cellCount)
            for k in 0..<present { dense[keptIndices[k]] = keptValues[k] }
            return (.dense(dense), present)
        }
        return (.sparse(indices: keptIndices, values: keptValues), present)
    }

    private func statuses(_ d: DatasetDraft, cellCount: Int) throws(JSONStatError) -> CellStatuses {
        let symbols = d.statusSymbols.symbols
        switch d.statuses {
        case .absent:
            return .none
        case .uniform(let symbol):
            return .uniform(symbol)
        case .array(let codes):
            if codes.count == 1 {
                return codes[0] == 0 ? .none : .uniform(symbols[Int(codes[0]) - 1])
            }
            guard codes.count == cellCount else {
                throw JSONStatError(
                    code: .statusCountMismatch,
                    message: "'status' has \(codes.count) entries but there are \(cellCount) cells (expected 1 or \(cellCount))",
                    offset: d.statusOffset)
            }
            return codes.contains(where: { $0 != 0 }) ? .dense(codes: codes, symbols: symbols) : .none
        case .object(let indices, let codes, let sorted):
            for index in indices where index >= cellCount {
                throw JSONStatError(
                    code: .invalidStatusKey,
                    message: "'status' has key \"\(index)\" but there are only \(cellCount) cells (0..<\(cellCount))",
                    offset: d.statusOffset)
            }
            guard !indices.isEmpty else { return .none }
            var sortedIndices = indices
            var sortedCodes = codes
            if !sorted {
                let order = Array(indices.indices).sorted { indices[$0] < indices[$1] }
                sortedIndices = order.map { indices[$0] }
                sortedCodes = order.map { codes[$0] }
            }
            for k in 1..<max(sortedIndices.count, 1) where sortedIndices[k] == sortedIndices[k - 1] {
                throw JSONStatError(
                    code: .invalidStatusKey, message: "'status' has key \"\(sortedIndices[k])\" twice", offset: d.statusOffset)
            }
            return .sparse(indices: sortedIndices, codes: sortedCodes, symbols: symbols)
        }
    }
}
