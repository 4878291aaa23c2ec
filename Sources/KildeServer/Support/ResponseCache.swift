import DequeModule
import Foundation
import Hummingbird

/// Answers of read routes kept in memory under the store's change token (``FactStore/changeToken()``).
///
/// The token is taken before an answer is computed, so a kept answer is at least as new as its token; any commit
/// to the store changes the token and so retires every kept answer at once. Bounded by bytes; when full, the
/// oldest answers go first.
final class ResponseCache: @unchecked Sendable {
    struct Entry {
        var payload: Payload
        var size: Int
    }

    /// At most this many bytes of bodies are kept.
    let capacity: Int
    private let lock = NSLock()
    private var token: String?
    private var entries: [String: Entry] = [:]
    /// Keys in the order they were kept, oldest first, for eviction.
    private var order: Deque<String> = []
    private var bytes = 0

    init(capacity: Int) { self.capacity = capacity }

    /// The answer kept for `key` under `token`, if any.
    func payload(for key: String, token: String) -> Payload? {
        lock.withLock { self.token == token ? entries[key]?.payload : nil }
    }

    /// Keeps `payload` for `key`, computed after `token` was taken. A different token retires everything kept.
    func keep(_ payload: Payload, for key: String, token: String) {
        let size = payload.bytes.readableBytes + key.utf8.count
        guard size <= capacity else { return }
        lock.withLock {
            if self.token != token {
                self.token = token
                entries.removeAll(keepingCapacity: true)
                order.removeAll(keepingCapacity: true)
                bytes = 0
            }
            if let old = entries.updateValue(Entry(payload: payload, size: size), forKey: key) {
                bytes -= old.size
            } else {
                order.append(key)
            }
            bytes += size
            while bytes > capacity, let oldest = order.popFirst() {
                if let evicted = entries.removeValue(forKey: oldest) { bytes -= evicted.size }
            }
        }
    }
}
