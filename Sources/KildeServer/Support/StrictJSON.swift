/// Checks a JSON request body before it is decoded: it must be one object whose keys, at every depth, are unique,
/// and whose top-level keys are all known. JSON leaves duplicate keys undefined (decoders take the first or the last),
/// so a body that names a field twice, or misspells one, is refused naming it rather than read one way or another.
/// Keys are compared as the decoder reads them (`"d\u0061taset"` is `dataset`: ``OrderedJSON`` resolves escapes), and
/// nesting is bounded, so a body of 64 KiB of `[` costs a refusal, not the stack.
enum StrictJSON {
    /// Why a body was refused.
    enum Problem: Error, Equatable {
        case malformed(at: Int)
        case duplicate(key: String)
        case unknown(key: String)
        case tooDeep(at: Int)
    }

    /// The deepest nesting of objects and arrays a body may have; the admin body needs 3.
    static let maximumDepth = 32

    /// - Parameter allowed: the top-level keys the body may have.
    static func check(_ bytes: [UInt8], allowed: Set<String>) throws(Problem) {
        let body: OrderedJSON
        do {
            body = try OrderedJSON(parsing: bytes, maximumDepth: maximumDepth)
        } catch {
            throw error.isTooDeep ? .tooDeep(at: error.offset) : .malformed(at: error.offset)
        }
        guard case .object(let members) = body else { throw .malformed(at: bytes.firstIndex { !Self.isSpace($0) } ?? 0) }
        try unique(body)
        if let unknown = members.first(where: { !allowed.contains($0.key) }) { throw .unknown(key: unknown.key) }
    }

    /// Every object's keys, at every depth, are unique.
    private static func unique(_ value: OrderedJSON) throws(Problem) {
        switch value {
        case .object(let members):
            var seen: Set<String> = []
            for m in members {
                guard seen.insert(m.key).inserted else { throw .duplicate(key: m.key) }
                try unique(m.value)
            }
        case .array(let items):
            for item in items { try unique(item) }
        default:
            return
        }
    }

    private static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }
}
