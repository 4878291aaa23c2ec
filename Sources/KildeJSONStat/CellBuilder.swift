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
        /// The interned strings of string cells (code `n` is `strings[n - 1]`).
        var strings: [String]
        /// The number of cells holding a string.
        var stringCount: Int
    }

    func build(_ d: DatasetDraft, cellCount: Int) throws(JSONStatError) -> Cells {
        let cells = try read(d, cellCount: cellCount)
        if cells.stringCount > 0 && !options.allowsStringValues {
            let (index, text) = Self.firstString(in: cells)
            throw JSONStatError(
                code: .nonNumericValue,
                message: "value[\(index)] is the string \"\(text)\" (\(cells.stringCount) string cells in all); "
                    + "the decoding options allow only numbers and null",
                offset: d.valuesOffset)
        }
        return cells
    }

    /// The flat index and text of the first cell holding a string (`(-1, "")` when there is none).
    private static func firstString(in cells: Cells) -> (Int, String) {
        func text(_ slot: Double) -> String {
            let code = CellSlot.stringCode(slot)
            return code > 0 && code <= cells.strings.count ? cells.strings[code - 1] : ""
        }
        switch cells.values {
        case .none:
            break
        case .dense(let values):
            if let k = values.firstIndex(where: { $0.isNaN && CellSlot.isPresent($0) }) { return (k, text(values[k])) }
        case .sparse(let indices, let values):
            if let k = values.firstIndex(where: { $0.isNaN }) { return (indices[k], text(values[k])) }
        }
        return (-1, "")
    }

    private func read(_ d: DatasetDraft, cellCount: Int) throws(JSONStatError) -> Cells {
        var strings = d.valueStrings
        let statuses = try statuses(d, cellCount: cellCount)
        func cells(_ values: CellValues, present: Int, strings count: Int, metadataOnly: Bool = false) -> Cells {
            Cells(values: present == 0 ? .none : values, statuses: statuses, present: present, metadataOnly: metadataOnly,
                  strings: strings.symbols, stringCount: count)
        }
        var dense: DenseValues
        switch d.values {
        case .absent:
            throw JSONStatError(code: .missingField, message: "the dataset has no 'value'", offset: d.offset)
        case .deferred(let offset):
            var s = JSONScanner(base: base, count: end, position: offset)
            dense = try s.readDenseValues(expected: cellCount, strings: &strings)
        case .dense(let values):
            dense = values
        case .sparse(let indices, let values, let sorted):
            let (storage, present, count) = try sparseValues(indices, values, sorted: sorted, cellCount: cellCount, offset: d.valuesOffset)
            return cells(storage, present: present, strings: count)
        case .scattered(let values):
            return cells(.dense(values.values), present: values.present, strings: values.strings)
        case .deferredSparse(let offset, let length):
            var s = JSONScanner(base: base, count: end, position: offset)
            if JSONScanner.prefersDense(cellCount: cellCount, textBytes: length) {
                let values = try s.readSparseValuesDense(cellCount: cellCount, strings: &strings)
                return cells(.dense(values.values), present: values.present, strings: values.strings)
            }
            let sparse = try s.readSparseValues(strings: &strings)
            let (storage, present, count) = try sparseValues(
                sparse.indices, sparse.values, sorted: sparse.sorted, cellCount: cellCount, offset: offset)
            return cells(storage, present: present, strings: count)
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
        return cells(.dense(dense.values), present: dense.present, strings: dense.strings, metadataOnly: metadataOnly)
    }

    /// Validates sparse pairs and keeps the present ones, sorted; returns the storage, the
    /// present count and the number of string cells.
    private func sparseValues(
        _ indices: [Int], _ values: [Double], sorted: Bool, cellCount: Int, offset: Int
    ) throws(JSONStatError) -> (CellValues, Int, Int) {
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
        var stringCount = 0
        for slot in order {
            let index = indices[slot]
            guard index != previous else {
                throw JSONStatError(code: .invalidSparseKey, message: "'value' has key \"\(index)\" twice", offset: offset)
            }
            previous = index
            let value = values[slot]
            if CellSlot.isPresent(value) {
                keptIndices.append(index)
                keptValues.append(value)
                if value.isNaN { stringCount += 1 }
            }
        }
        let present = keptIndices.count
        guard present > 0 else { return (.none, 0, 0) }
        // Dense storage costs 8 bytes per cell, sparse 16 per present cell.
        if cellCount <= 3 * present {
            var dense = [Double](repeating: CellSlot.missing, count: cellCount)
            for k in 0..<present { dense[keptIndices[k]] = keptValues[k] }
            return (.dense(dense), present, stringCount)
        }
        return (.sparse(indices: keptIndices, values: keptValues), present, stringCount)
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
