/// An adapter kind's options, as the catalogue writes them: `key=value` pairs separated by `;`, e.g.
/// `table=12058;region=KOKkommuneregion0000;national=EAK`. Values hold no `;`; a list inside a value is
/// comma-separated. Keys are case-sensitive and unique.
public struct AdapterOptions: Sendable, Hashable, Codable, CustomStringConvertible, ExpressibleByDictionaryLiteral {
    public private(set) var values: [String: String]

    public init(_ values: [String: String] = [:]) {
        self.values = values
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.values = Dictionary(elements, uniquingKeysWith: { _, last in last })
    }

    /// Parses the catalogue form.
    /// - Throws: a message naming the pair at fault (the caller adds file and line).
    public init(parsing text: String) throws(OptionsError) {
        var values: [String: String] = [:]
        for pair in text.split(separator: ";") where !pair.allSatisfy(\.isWhitespace) {
            guard let eq = pair.firstIndex(of: "=") else { throw OptionsError(message: "option '\(pair)' is not key=value") }
            let key = Self.trimmed(pair[..<eq])
            let value = Self.trimmed(pair[pair.index(after: eq)...])
            guard !key.isEmpty else { throw OptionsError(message: "option '\(pair)' has no key") }
            guard values.updateValue(value, forKey: key) == nil else { throw OptionsError(message: "option '\(key)' is given twice") }
        }
        self.values = values
    }

    public subscript(_ key: String) -> String? {
        get { values[key].flatMap { $0.isEmpty ? nil : $0 } }
        set { values[key] = newValue }
    }

    /// A comma-separated list option, e.g. `fixed=Kon:TotSa,ContentsCode:000007SF` → `["Kon:TotSa", "ContentsCode:000007SF"]`.
    public func list(_ key: String) -> [String] {
        self[key]?.split(separator: ",").map(Self.trimmed).filter { !$0.isEmpty } ?? []
    }

    /// The catalogue form, keys sorted.
    public var description: String {
        values.keys.sorted().map { "\($0)=\(values[$0] ?? "")" }.joined(separator: ";")
    }

    static func trimmed(_ s: Substring) -> String {
        String(s.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }

    /// Encoded as a plain object of strings, e.g. `{"region":"Region","national":"0"}`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(values)
    }

    public init(from decoder: any Decoder) throws {
        values = try decoder.singleValueContainer().decode([String: String].self)
    }

    /// Why an options field could not be read.
    public struct OptionsError: Error, Sendable, Hashable {
        public var message: String
    }
}
