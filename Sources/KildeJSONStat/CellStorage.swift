/// The values of a dataset's cells, stored compactly.
///
/// Dense storage keeps one `Double` per cell and marks missing cells with NaN
/// (JSON has no NaN, so a decoded number can never collide with the marker).
/// Sparse storage keeps only present cells, sorted by flat index; it is used
/// when fewer than a third of the cells have values.
enum CellValues: Sendable {
    /// No values at all: a metadata-only dataset, or zero cells.
    case none
    /// One entry per cell, NaN for missing.
    case dense([Double])
    /// Ascending flat indices of the present cells, and their values.
    case sparse(indices: [Int], values: [Double])

    @inline(__always)
    func value(at flatIndex: Int) -> Double? {
        switch self {
        case .none:
            return nil
        case .dense(let values):
            guard flatIndex >= 0 && flatIndex < values.count else { return nil }
            let v = values[flatIndex]
            return v.isNaN ? nil : v
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
