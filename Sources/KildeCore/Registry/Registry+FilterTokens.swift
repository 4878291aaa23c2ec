/// A filter token that matches no filter of the axis.
public struct UnknownFilterToken: Error, CustomStringConvertible, Sendable, Hashable {
    public var axis: FilterAxis
    public var token: String

    public var description: String { "no \(axis.rawValue) filter matches '\(token)'" }
}

/// A filter token that cannot select facts of a dimension: it matches no filter of its axis, or the filter it
/// names does not apply to the dimension (the store's trigger would reject such a fact).
public struct FilterTokenError: Error, CustomStringConvertible, Sendable, Hashable {
    /// The axis whose tokens are at fault: a caller reports it as the parameter.
    public var axis: FilterAxis
    public var description: String
}

extension Registry {
    /// Resolves tokens naming filters of one axis into filter ids (OR-ed by a read).
    ///
    /// A token is, in this order: a native code (`0301`, `EKA03`), a filter id, or a `standard_code`, which
    /// expands to every filter of the axis carrying it (`03` = every region of county 03). With `dimCode`, a code
    /// or id of a filter that does not apply to the dimension is read as a standard code instead (a table's own
    /// county code `03` is also county 03's standard code), and a standard code expands only to filters that apply.
    /// - Throws: ``UnknownFilterToken`` for the first token that matches nothing.
    public func filterIDs(tokens: [String], axis: FilterAxis, source: Int, dimCode: Int? = nil) throws(UnknownFilterToken) -> [Int] {
        func applies(_ f: Filter) -> Bool { dimCode.map(f.applicableDimCodes.contains) ?? true }
        var ids: [Int] = []
        for token in tokens {
            let named = filter(source: source, axis: axis, nativeCode: token)
                ?? Int(token).flatMap { filter(id: $0) }.flatMap { $0.axis == axis && $0.sourceID == source ? $0 : nil }
            let expanded = filters(source: source, axis: axis).filter { $0.standardCode == token && applies($0) }
            if let named, applies(named) || expanded.isEmpty {
                ids.append(named.id)  // a filter that does not apply is kept, for the caller to name
            } else {
                guard !expanded.isEmpty else { throw UnknownFilterToken(axis: axis, token: token) }
                ids += expanded.map(\.id)
            }
        }
        var seen = Set<Int>()
        return ids.filter { seen.insert($0).inserted }
    }

    /// Resolves tokens per axis into filter ids that apply to `dimCode`: what the read API's axis parameters,
    /// the admin ingest's `filters` and the CLI's `--filter` all accept.
    /// - Throws: ``FilterTokenError`` naming the first axis (in ``FilterAxis`` order) with a token that matches
    ///   nothing or a filter that does not apply to the dimension.
    public func filterIDs(tokens: [FilterAxis: [String]], source: Int, dimCode: Int) throws(FilterTokenError) -> [FilterAxis: [Int]] {
        var resolved: [FilterAxis: [Int]] = [:]
        for axis in FilterAxis.allCases {
            guard let axisTokens = tokens[axis] else { continue }
            let ids: [Int]
            do {
                ids = try filterIDs(tokens: axisTokens, axis: axis, source: source, dimCode: dimCode)
            } catch {
                throw FilterTokenError(axis: axis, description: error.description)
            }
            if let f = ids.lazy.compactMap({ self.filter(id: $0) }).first(where: { !$0.applicableDimCodes.contains(dimCode) }) {
                throw FilterTokenError(axis: axis, description: "\(axis.rawValue) filter '\(f.nativeCode)' does not apply to dimension \(dimCode)")
            }
            resolved[axis] = ids
        }
        return resolved
    }
}
