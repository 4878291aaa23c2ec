import Foundation

/// Filter labels (`filters.native_code`, `native_name`) by id, kept by a store for its serving reads.
///
/// A facts answer names the filter values it was asked for; reading them again for every request would cost a
/// statement each time for rows that change only when the registry is synced. A registry synced by another
/// process shows here after this store's next `migrate` or restart; ids it has never seen are always read.
final class FilterLabelCache: @unchecked Sendable {
    private let lock = NSLock()
    private var labels: [Int: FilterValue] = [:]

    init() {}

    /// The kept labels among `ids`, and the ids without one.
    func lookup(_ ids: Set<Int>) -> (known: [Int: FilterValue], missing: Set<Int>) {
        lock.withLock {
            var known: [Int: FilterValue] = [:]
            var missing: Set<Int> = []
            for id in ids {
                if let l = labels[id] { known[id] = l } else { missing.insert(id) }
            }
            return (known, missing)
        }
    }

    func add(_ read: [Int: FilterValue]) { lock.withLock { labels.merge(read) { _, new in new } } }

    func clear() { lock.withLock { labels.removeAll() } }
}
