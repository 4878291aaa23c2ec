/// A PxWeb selection: per variable either a list of value codes or all of them.
public struct PxWebSelection: Sendable, Hashable {
    public enum Values: Sendable, Hashable {
        case items([String])
        case all
    }

    /// One variable of the query.
    public struct Variable: Sendable, Hashable {
        public var code: String
        public var values: Values
        /// The code list the values are taken from (e.g. an aggregation such as `agg_Alder10arJ`), when not the
        /// variable's own.
        public var codelist: String?

        public init(code: String, values: Values, codelist: String? = nil) {
            self.code = code
            self.values = values
            self.codelist = codelist
        }
    }

    /// Variables in the order the query lists them.
    public var variables: [Variable]

    public init(_ variables: [Variable]) {
        self.variables = variables
    }

    public init(_ variables: [(code: String, values: Values)]) {
        self.variables = variables.map { Variable(code: $0.code, values: $0.values) }
    }

    /// The selection asking for everything this one or `other` asks for, variable by variable (values in first-seen
    /// order). Both must list the same variables in the same order.
    public func union(_ other: PxWebSelection) -> PxWebSelection {
        var out = self
        for (i, v) in other.variables.enumerated() where i < out.variables.count {
            switch (out.variables[i].values, v.values) {
            case (.all, _), (_, .all):
                out.variables[i].values = .all
            case (.items(let a), .items(let b)):
                var seen = Set(a)
                out.variables[i].values = .items(a + b.filter { seen.insert($0).inserted })
            }
        }
        return out
    }

    /// A short description for logs and progress, e.g. `Region 372 × ContentsCode 2 × Tid 10`.
    public var summary: String {
        variables.map { v in
            switch v.values {
            case .items(let items): "\(v.code) \(items.count)"
            case .all: "\(v.code) *"
            }
        }.joined(separator: " × ")
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
