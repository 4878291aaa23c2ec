/// A filter token that matches no filter of the axis.
public struct UnknownFilterToken: Error, CustomStringConvertible, Sendable, Hashable {
    public var axis: FilterAxis
    public var token: String

    public var description: String { "no \(axis.rawValue) filter matches '\(token)'" }
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
}
