/// Turns a dimension draft into validated categories in index order.
enum CategoryBuilder {
    /// Builds the categories of one dimension; `size` is `nil` for a dimension not listed in `id`
    /// (its category count is then its size).
    ///
    /// - Throws: `.missingField` without `category` (or without both `index` and `label`),
    ///   `.invalidIndex` for repeated ids or positions that are not a permutation of `0..<n`,
    ///   `.categoryCountMismatch` when `n` differs from `size`, and `.unknownCategory`
    ///   for `label`/`unit`/`child`/`note`/`coordinates` keys that are not categories.
    static func categories(of draft: DimensionDraft, size: Int?) throws(JSONStatError) -> (categories: [JSONStatCategory], positions: [String: Int]) {
        guard draft.hasCategory else {
            throw JSONStatError(code: .missingField, message: "no 'category' object", offset: draft.offset)
        }
        let ids = try orderedIDs(draft)
        if let size, ids.count != size {
            throw JSONStatError(
                code: .categoryCountMismatch,
                message: "'size' says \(size) but the category index has \(ids.count) categories",
                offset: draft.offset)
        }
        var positionOf: [String: Int] = [:]
        positionOf.reserveCapacity(ids.count)
        for (position, id) in ids.enumerated() where positionOf.updateValue(position, forKey: id) != nil {
            throw JSONStatError(
                code: .invalidIndex, message: "category '\(id)' appears twice in the index", offset: draft.offset)
        }
        var categories: [JSONStatCategory] = []
        categories.reserveCapacity(ids.count)
        for id in ids { categories.append(JSONStatCategory(id: id)) }
        for (id, label) in draft.labels {
            categories[try position(of: id, in: positionOf, member: "label", draft)].label = label
        }
        for (id, unit) in draft.units {
            categories[try position(of: id, in: positionOf, member: "unit", draft)].unit = unit
        }
        for (parent, children) in draft.children {
            _ = try position(of: parent, in: positionOf, member: "child", draft)
            for child in children {
                _ = try position(of: child, in: positionOf, member: "child.\(parent)", draft)
            }
        }
        for (member, id) in draft.referencedKeys {
            _ = try position(of: id, in: positionOf, member: member, draft)
        }
        return (categories, positionOf)
    }

    /// The category ids in position order.
    private static func orderedIDs(_ draft: DimensionDraft) throws(JSONStatError) -> [String] {
        switch draft.index {
        case .ids(let ids):
            return ids
        case .positions(let pairs):
            let n = pairs.count
            var slots = [String?](repeating: nil, count: n)
            for (id, position) in pairs {
                guard position < n else {
                    throw JSONStatError(
                        code: .invalidIndex,
                        message: "category '\(id)' has index position \(position), but the index has \(n) categories "
                            + "(positions must be a permutation of 0..<\(n))",
                        offset: draft.offset)
                }
                if let other = slots[position] {
                    throw JSONStatError(
                        code: .invalidIndex,
                        message: "categories '\(other)' and '\(id)' share index position \(position) "
                            + "(positions must be a permutation of 0..<\(n))",
                        offset: draft.offset)
                }
                slots[position] = id
            }
            return slots.compactMap { $0 }
        case .absent:
            // JSON-stat allows omitting `index` for a single category; several `label`
            // keys are taken in document order.
            guard !draft.labels.isEmpty else {
                throw JSONStatError(
                    code: .missingField, message: "the category has neither 'index' nor 'label'", offset: draft.offset)
            }
            return draft.labels.map(\.id)
        }
    }

    private static func position(
        of id: String, in positions: [String: Int], member: String, _ draft: DimensionDraft
    ) throws(JSONStatError) -> Int {
        guard let position = positions[id] else {
            throw JSONStatError(
                code: .unknownCategory,
                message: "category.\(member) refers to category '\(id)', which is not in the category index",
                offset: draft.offset)
        }
        return position
    }
}
