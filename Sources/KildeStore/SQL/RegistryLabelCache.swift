import Foundation

/// Registry labels kept by a store for its serving reads: filter values by id (`native_code`, `native_name`) and
/// categories by source and dimension (name, sort order).
///
/// A facts answer names the filter values and categories it holds; reading them for every request would cost a
/// statement (or a join and a sort) each time for rows that change only when the registry is synced. A registry
/// synced by another process shows here after this store's next `migrate` or restart; an id or category code the
/// cache has never seen is always read.
final class RegistryLabelCache: @unchecked Sendable {
    /// A category's label and place in its dimension's order.
    struct CategoryLabel: Sendable, Hashable {
        var name: String
        var sortOrder: Int
    }

    struct DimensionKey: Hashable {
        var sourceID: Int
        var dimCode: Int
    }

    private let lock = NSLock()
    private var filters: [Int: FilterValue] = [:]
    private var categories: [DimensionKey: [Int: CategoryLabel]] = [:]

    init() {}

    /// The kept labels among `ids`, and the ids without one.
    func filters(_ ids: Set<Int>) -> (known: [Int: FilterValue], missing: Set<Int>) {
        lock.withLock {
            var known: [Int: FilterValue] = [:]
            var missing: Set<Int> = []
            for id in ids {
                if let l = filters[id] { known[id] = l } else { missing.insert(id) }
            }
            return (known, missing)
        }
    }

    func add(filters read: [Int: FilterValue]) { lock.withLock { filters.merge(read) { _, new in new } } }

    /// The kept categories of a dimension, when they include every code in `codes`.
    func categories(source: Int, dim: Int, covering codes: Set<Int>) -> [Int: CategoryLabel]? {
        lock.withLock {
            guard let kept = categories[DimensionKey(sourceID: source, dimCode: dim)], codes.allSatisfy({ kept[$0] != nil }) else { return nil }
            return kept
        }
    }

    func set(categories read: [Int: CategoryLabel], source: Int, dim: Int) {
        lock.withLock { categories[DimensionKey(sourceID: source, dimCode: dim)] = read }
    }

    func clear() {
        lock.withLock {
            filters.removeAll()
            categories.removeAll()
        }
    }
}
