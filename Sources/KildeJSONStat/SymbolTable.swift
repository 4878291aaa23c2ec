/// Interns status symbols: code 0 means "no status", code `n` is `symbols[n - 1]`.
///
/// Status objects repeat a handful of symbols (`".."`, `":"`, `"."`) thousands of
/// times, so the first few symbols are also kept as raw bytes and matched against
/// the input without building a `String`.
struct SymbolTable {
    var symbols: [String] = []
    private var codes: [String: UInt32] = [:]
    private var rawSymbols: [[UInt8]] = []

    static let rawCacheSize = 16

    mutating func code(for symbol: String) -> UInt32 {
        if let code = codes[symbol] { return code }
        symbols.append(symbol)
        let code = UInt32(truncatingIfNeeded: symbols.count)
        codes[symbol] = code
        if rawSymbols.count == symbols.count - 1 && rawSymbols.count < Self.rawCacheSize {
            rawSymbols.append(Array(symbol.utf8))
        }
        return code
    }

    /// The code of a symbol given as raw UTF-8 bytes (no escapes), if it is cached.
    @inline(__always)
    func cachedCode(_ bytes: UnsafePointer<UInt8>, count: Int) -> UInt32? {
        for (k, raw) in rawSymbols.enumerated() where raw.count == count {
            var equal = true
            for i in 0..<count where raw[i] != bytes[i] {
                equal = false
                break
            }
            if equal { return UInt32(truncatingIfNeeded: k + 1) }
        }
        return nil
    }
}
