import KildeCore

/// A generated SSB table: region × contents × year, with deterministic demo values.
///
/// Values are a pure function of (region, contents, year, revised), so tests can compute exactly which
/// cells the "revised" mode changes. Aggregate regions (the whole country, counties) are sums of the kommuner in
/// use that year; a region code not in use in a year has no value, as SSB answers "..".
public struct SimulatedTable: Sendable {
    public struct Variable: Sendable {
        public var code: String
        public var label: String
        public var values: [(code: String, label: String)]
        /// Units by value code, for a contents variable (PxWeb's JSON-stat carries them as `category.unit`).
        public var units: [String: String] = [:]

        public init(code: String, label: String, values: [(code: String, label: String)], units: [String: String] = [:]) {
            self.code = code
            self.label = label
            self.values = values
            self.units = units
        }
    }

    public var id: String
    public var title: String
    public var region: Variable
    public var contents: Variable
    public var time: Variable
    /// The kommuner an aggregate region code sums in a year; `nil` for a kommune.
    let members: @Sendable (_ region: String, _ year: Int) -> [String]?
    /// Whether a region code is in use in a year.
    let inUse: @Sendable (_ region: String, _ year: Int) -> Bool
    /// Per contents code: how a kommune's value is made.
    let generator: @Sendable (_ kommune: String, _ contents: String, _ year: Int, _ revised: Bool) -> Double?
    /// Contents codes that are rates, not counts: aggregates are averages, not sums.
    let rates: Set<String>

    public var variables: [Variable] { [region, contents, time] }

    /// The value of one cell, or `nil` when suppressed.
    public func value(region code: String, contents: String, year: Int, revised: Bool) -> Double? {
        guard inUse(code, year) else { return nil }
        guard let kommuner = members(code, year) else { return generator(code, contents, year, revised) }
        let parts = kommuner.compactMap { generator($0, contents, year, revised) }
        guard !parts.isEmpty else { return nil }
        let sum = parts.reduce(0, +)
        return rates.contains(contents) ? (sum / Double(parts.count) * 100).rounded() / 100 : sum
    }

    /// Status symbol for a suppressed cell.
    public func status(region code: String, contents: String, year: Int, revised: Bool) -> String? {
        value(region: code, contents: contents, year: year, revised: revised) == nil ? ".." : nil
    }
}

/// A small, stable hash (FNV-1a) so demo values never depend on Swift's per-process hash seed.
func stableHash(_ parts: String...) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for p in parts {
        for b in p.utf8 {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        h ^= 0xff
        h = h &* 0x100_0000_01b3
    }
    return h
}
