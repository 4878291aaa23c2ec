/// A PxWeb selection: per variable either a list of value codes or all of them.
public struct PxWebSelection: Sendable, Hashable {
    public enum Values: Sendable, Hashable {
        case items([String])
        case all
    }

    /// Variables in the order the query lists them.
    public var variables: [(code: String, values: Values)]

    public init(_ variables: [(code: String, values: Values)]) {
        self.variables = variables
    }

    public static func == (a: PxWebSelection, b: PxWebSelection) -> Bool {
        a.variables.map(\.code) == b.variables.map(\.code) && a.variables.map(\.values) == b.variables.map(\.values)
    }

    public func hash(into h: inout Hasher) {
        for v in variables {
            h.combine(v.code)
            h.combine(v.values)
        }
    }

    /// Cells the selection asks for, given the size of each variable selected with `.all`.
    /// Returns `nil` when a `.all` variable's size is unknown.
    public func cellCount(sizes: [String: Int]) -> Int? {
        var n = 1
        for v in variables {
            switch v.values {
            case .items(let items): n *= items.count
            case .all:
                guard let s = sizes[v.code] else { return nil }
                n *= s
            }
        }
        return n
    }

    /// Splits the selection into parts of at most `limit` cells, chunking the variable with the most items.
    ///
    /// The parts are disjoint and together cover the selection, so merging their cells loses and duplicates nothing.
    /// `.all` variables are expanded from `codes` when the selection is too large and they must be chunked.
    public func split(limit: Int, sizes: [String: Int], codes: [String: [String]] = [:]) -> [PxWebSelection] {
        guard let total = cellCount(sizes: sizes), total > limit, limit > 0 else { return [self] }
        // Pick the variable to chunk: the one with the most values we can enumerate.
        var best: (index: Int, items: [String])?
        for (i, v) in variables.enumerated() {
            let items: [String]
            switch v.values {
            case .items(let list): items = list
            case .all: items = codes[v.code] ?? []
            }
            if items.count > (best?.items.count ?? 1) { best = (i, items) }
        }
        guard let (index, items) = best else { return [self] }
        let rest = total / max(1, items.count)
        let perChunk = max(1, limit / max(1, rest))
        var parts: [PxWebSelection] = []
        for start in stride(from: 0, to: items.count, by: perChunk) {
            var part = self
            part.variables[index].values = .items(Array(items[start..<min(start + perChunk, items.count)]))
            // A chunk may still be too large if another variable is large too.
            parts += part.split(limit: limit, sizes: sizes, codes: codes)
        }
        return parts
    }
}
