/// How one cell is kept in a `Double` slot.
///
/// A number is stored as itself. A missing cell is the quiet NaN with an empty payload,
/// and a cell holding a string is a quiet NaN whose payload is the string's code in the
/// dataset's string table (`strings[code - 1]`). JSON numbers never decode to NaN, so
/// neither marker can collide with a number.
enum CellSlot {
    static let missingBits: UInt64 = 0x7FF8_0000_0000_0000
    /// The slot of a missing cell.
    static var missing: Double {
        @inline(__always) get { Double(bitPattern: missingBits) }
    }

    /// The slot of a cell holding the string with the given code (1-based).
    @inline(__always)
    static func string(code: UInt32) -> Double {
        Double(bitPattern: missingBits | UInt64(code))
    }

    /// Whether the slot holds a number or a string (not the missing marker).
    @inline(__always)
    static func isPresent(_ slot: Double) -> Bool {
        slot.bitPattern != missingBits
    }

    /// The slot as the `Double` API reports it: a number, or `Double.nan` for a string.
    @inline(__always)
    static func number(_ slot: Double) -> Double {
        slot.isNaN ? .nan : slot
    }

    /// The string code of a slot that holds a string; 0 for numbers and missing cells.
    @inline(__always)
    static func stringCode(_ slot: Double) -> Int {
        slot.isNaN ? Int(truncatingIfNeeded: slot.bitPattern & 0xFFFF_FFFF) : 0
    }
}

/// The values of a dataset's cells, stored compactly as ``CellSlot`` doubles.
///
/// Dense storage keeps one slot per cell. Sparse storage keeps only present cells,
/// sorted by flat index; it is used when fewer than a third of the cells have values.
enum CellValues: Sendable {
    /// No values at all: a metadata-only dataset, or zero cells.
    case none
    /// One slot per cell, ``CellSlot/missing`` for missing.
    case dense([Double])
    /// Ascending flat indices of the present cells, and their slots.
    case sparse(indices: [Int], values: [Double])

    /// The slot of a cell, or `nil` when it is missing or `flatIndex` is out of range.
    @inline(__always)
    func slot(at flatIndex: Int) -> Double? {
        switch self {
        case .none:
            return nil
        case .dense(let values):
            guard flatIndex >= 0 && flatIndex < values.count else { return nil }
            let v = values[flatIndex]
            return CellSlot.isPresent(v) ? v : nil
        case .sparse(let indices, let values):
            guard let slot = SortedSearch.slot(of: flatIndex, in: indices) else { return nil }
            return values[slot]
        }
    }
}

/// The status symbols of a dataset's cells.
enum CellStatuses: Sendable {
    /// No statuses.
    case none
    /// One status for every cell (a `status` string or one-element array).
    case uniform(String)
    /// One code per cell: 0 for none, otherwise `symbols[code - 1]`.
    case dense(codes: [UInt32], symbols: [String])
    /// Ascending flat indices of cells with a status, and their codes (`symbols[code - 1]`).
    case sparse(indices: [Int], codes: [UInt32], symbols: [String])

    @inline(__always)
    func status(at flatIndex: Int, cellCount: Int) -> String? {
        guard flatIndex >= 0 && flatIndex < cellCount else { return nil }
        switch self {
        case .none:
            return nil
        case .uniform(let symbol):
            return symbol
        case .dense(let codes, let symbols):
            let code = codes[flatIndex]
            return code == 0 ? nil : symbols[Int(code) - 1]
        case .sparse(let indices, let codes, let symbols):
            guard let slot = SortedSearch.slot(of: flatIndex, in: indices) else { return nil }
            return symbols[Int(codes[slot]) - 1]
        }
    }
}

/// Binary search over ascending flat indices.
enum SortedSearch {
    /// The position of `target` in the ascending array, or `nil`.
    @inline(__always)
    static func slot(of target: Int, in sorted: [Int]) -> Int? {
        var low = 0
        var high = sorted.count
        while low < high {
            let mid = (low &+ high) >> 1
            if sorted[mid] < target { low = mid &+ 1 } else { high = mid }
        }
        return low < sorted.count && sorted[low] == target ? low : nil
    }
}
