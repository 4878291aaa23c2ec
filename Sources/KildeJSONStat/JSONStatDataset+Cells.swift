extension JSONStatDataset {
    /// Calls `body` for every cell with a value OR a status, in row-major order, without allocating per cell.
    ///
    /// A cell holding a string is passed with the value `Double.nan`, so that a numeric
    /// consumer checking `isFinite` refuses it; use ``forEachCellValue(includingMissing:_:)``
    /// to read strings.
    ///
    /// - Parameter body: Receives the flat index, the category position of the
    ///   cell in each dimension (valid only during the call), the value (`nil`
    ///   when missing) and the status symbol (`nil` when none).
    public func forEachCell(
        _ body: (_ flatIndex: Int, _ categoryIndices: UnsafeBufferPointer<Int>, _ value: Double?, _ status: String?) throws -> Void
    ) rethrows {
        try forEachSlot(includingMissing: false) { flat, indices, slot, status in
            try body(flat, indices, slot.map { CellSlot.number($0) }, status)
        }
    }

    /// Calls `body` for every cell with a value or a status (or for every cell, with
    /// `includingMissing`), in row-major order, telling numbers from strings.
    ///
    /// Time follows the cells visited: a sparse `value` over a huge cube visits only the
    /// cells it lists (unless `includingMissing` is set or every cell has a status). Throw
    /// from `body` to stop early.
    ///
    /// ```swift
    /// try dataset.forEachCellValue { flat, indices, value, status in
    ///     switch value {
    ///     case .number(let v)?: total += v
    ///     case .string(let s)?: throw MyError("\(dataset.describeCell(at: flat)) holds \"\(s)\"")
    ///     case nil: break  // missing; `status` may say why
    ///     }
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - includingMissing: Also visit cells with neither a value nor a status (they get `nil`, `nil`).
    ///     Defaults to `false`.
    ///   - body: Receives the flat index, the category position of the cell in each dimension
    ///     (valid only during the call), the value (`nil` when missing) and the status symbol (`nil` when none).
    public func forEachCellValue(
        includingMissing: Bool = false,
        _ body: (_ flatIndex: Int, _ categoryIndices: UnsafeBufferPointer<Int>, _ value: JSONStatValue?, _ status: String?) throws -> Void
    ) rethrows {
        try forEachSlot(includingMissing: includingMissing) { flat, indices, slot, status in
            try body(flat, indices, slot.map { cellValue(ofSlot: $0) }, status)
        }
    }

    /// Throws unless every cell is a number or missing: the check for consumers that need numbers.
    ///
    /// ```swift
    /// try dataset.requireNumericValues()   // before reading cells with forEachCell
    /// ```
    ///
    /// - Throws: ``JSONStatError`` with code ``JSONStatError/Code-swift.enum/nonNumericValue`` naming the
    ///   first cell that holds a string (flat index and coordinates, see ``describeCell(at:)``), its text
    ///   and how many string cells there are.
    public func requireNumericValues() throws(JSONStatError) {
        guard stringCount > 0 else { return }
        struct Found: Error {
            var flatIndex: Int
            var text: String
        }
        do {
            try forEachCellValue { flat, _, value, _ in
                if case .string(let text)? = value { throw Found(flatIndex: flat, text: text) }
            }
        } catch let found as Found {
            let others = stringCount > 1 ? " (and \(stringCount - 1) more string cells)" : ""
            throw JSONStatError(
                code: .nonNumericValue,
                message: "cell \(found.flatIndex) (\(describeCell(at: found.flatIndex))) holds the string "
                    + "\"\(found.text)\"\(others); a number or null was expected",
                dataset: name ?? label)
        } catch {
            return  // `body` throws nothing else
        }
    }

    /// The public value of a present cell slot (see ``CellSlot``).
    @inline(__always)
    func cellValue(ofSlot slot: Double) -> JSONStatValue {
        let code = CellSlot.stringCode(slot)
        guard code > 0 else { return .number(slot) }
        return .string(code <= strings.count ? strings[code - 1] : "")
    }

    /// Visits cells with their raw slots (`nil` when missing; strings as NaN-boxed codes).
    func forEachSlot(
        includingMissing: Bool,
        _ body: (_ flatIndex: Int, _ categoryIndices: UnsafeBufferPointer<Int>, _ slot: Double?, _ status: String?) throws -> Void
    ) rethrows {
        guard cellCount > 0 else { return }
        let rank = sizes.count
        try withUnsafeTemporaryAllocation(of: Int.self, capacity: max(rank, 1)) { buffer in
            buffer.initialize(repeating: 0)
            let view = UnsafeBufferPointer(start: buffer.baseAddress, count: rank)
            let walksEveryCell: Bool
            switch (values, statuses) {
            case (.dense, _), (_, .uniform), (_, .dense): walksEveryCell = true
            default: walksEveryCell = includingMissing
            }
            if walksEveryCell {
                try walkAll(buffer, view, includingMissing: includingMissing, body)
            } else {
                try walkSparse(buffer, view, body)
            }
        }
    }

    /// Visits cells in order, advancing the category positions like an odometer.
    private func walkAll(
        _ position: UnsafeMutableBufferPointer<Int>, _ view: UnsafeBufferPointer<Int>, includingMissing: Bool,
        _ body: (Int, UnsafeBufferPointer<Int>, Double?, String?) throws -> Void
    ) rethrows {
        // Unpack the storage once so the loop only indexes plain arrays.
        var dense: [Double] = []
        var valueIndices: [Int] = []
        var presentValues: [Double] = []
        switch values {
        case .none: break
        case .dense(let all): dense = all
        case .sparse(let indices, let present): (valueIndices, presentValues) = (indices, present)
        }
        var uniform: String?
        var codes: [UInt32] = []
        var statusIndices: [Int] = []
        var statusCodes: [UInt32] = []
        var symbols: [String] = []
        switch statuses {
        case .none: break
        case .uniform(let symbol): uniform = symbol
        case .dense(let all, let table): (codes, symbols) = (all, table)
        case .sparse(let indices, let all, let table): (statusIndices, statusCodes, symbols) = (indices, all, table)
        }
        let hasDense = !dense.isEmpty
        let hasCodes = !codes.isEmpty
        var valueSlot = 0
        var statusSlot = 0
        let rank = sizes.count
        for flat in 0..<cellCount {
            var value: Double?
            if hasDense {
                let v = dense[flat]
                if CellSlot.isPresent(v) { value = v }
            } else if valueSlot < valueIndices.count && valueIndices[valueSlot] == flat {
                value = presentValues[valueSlot]
                valueSlot &+= 1
            }
            var status = uniform
            if hasCodes {
                let code = codes[flat]
                if code != 0 { status = symbols[Int(code) &- 1] }
            } else if statusSlot < statusIndices.count && statusIndices[statusSlot] == flat {
                status = symbols[Int(statusCodes[statusSlot]) &- 1]
                statusSlot &+= 1
            }
            if value != nil || status != nil || includingMissing {
                try body(flat, view, value, status)
            }
            var k = rank &- 1
            while k >= 0 {
                position[k] &+= 1
                if position[k] < sizes[k] { break }
                position[k] = 0
                k &-= 1
            }
        }
    }

    /// Visits only the cells listed in sparse values and sparse statuses, merging the two sorted lists.
    private func walkSparse(
        _ position: UnsafeMutableBufferPointer<Int>, _ view: UnsafeBufferPointer<Int>,
        _ body: (Int, UnsafeBufferPointer<Int>, Double?, String?) throws -> Void
    ) rethrows {
        let valueIndices: [Int]
        let presentValues: [Double]
        if case .sparse(let indices, let present) = values {
            valueIndices = indices
            presentValues = present
        } else {
            valueIndices = []
            presentValues = []
        }
        var statusIndices: [Int] = []
        var codes: [UInt32] = []
        var symbols: [String] = []
        if case .sparse(let indices, let c, let s) = statuses {
            statusIndices = indices
            codes = c
            symbols = s
        }
        var v = 0
        var s = 0
        while v < valueIndices.count || s < statusIndices.count {
            let nextValue = v < valueIndices.count ? valueIndices[v] : Int.max
            let nextStatus = s < statusIndices.count ? statusIndices[s] : Int.max
            let flat = min(nextValue, nextStatus)
            var value: Double?
            var status: String?
            if nextValue == flat {
                value = presentValues[v]
                v += 1
            }
            if nextStatus == flat {
                status = symbols[Int(codes[s]) - 1]
                s += 1
            }
            var rest = flat
            for k in 0..<sizes.count {
                position[k] = rest / strides[k]
                rest -= position[k] * strides[k]
            }
            try body(flat, view, value, status)
        }
    }
}
