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
    /// expands to every filter of the axis carrying it (`03` = every region of county 03).
    /// - Throws: ``UnknownFilterToken`` for the first token that matches nothing.
    public func filterIDs(tokens: [String], axis: FilterAxis, source: Int) throws(UnknownFilterToken) -> [Int] {
        var ids: [Int] = []
        for token in tokens {
            if let f = filter(source: source, axis: axis, nativeCode: token) {
                ids.append(f.id)
            } else if let id = Int(token), let f = filter(id: id), f.axis == axis, f.sourceID == source {
                ids.append(f.id)
            } else {
                let matches = filters(source: source, axis: axis).filter { $0.standardCode == token }
                guard !matches.isEmpty else { throw UnknownFilterToken(axis: axis, token: token) }
                ids += matches.map(\.id)
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
                ids = try filterIDs(tokens: axisTokens, axis: axis, source: source)
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
