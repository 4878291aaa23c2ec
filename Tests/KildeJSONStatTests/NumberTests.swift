import KildeJSONStat
import Testing

/// JSON numbers must decode bit-for-bit like `Double(text)`.
struct NumberTests {
    /// SplitMix64: a small deterministic generator for reproducible random cases.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Decodes the numbers as the `value` array of a one-dimensional dataset.
    static func decodeNumbers(_ texts: [String]) throws -> [Double?] {
        let index = (0..<texts.count).map { "\"\($0)\"" }.joined(separator: ",")
        let json = #"{"class":"dataset","id":["x"],"size":[\#(texts.count)],"#
            + #""dimension":{"x":{"category":{"index":[\#(index)]}}},"value":[\#(texts.joined(separator: ","))]}"#
        let dataset = try JSONStat.decode(Array(json.utf8)).datasets[0]
        return (0..<texts.count).map { dataset.value(at: $0) }
    }

    static func expectBitExact(_ texts: [String]) throws {
        let decoded = try decodeNumbers(texts)
        for (text, value) in zip(texts, decoded) {
            let expected = try #require(Double(text), "Double(\(text))")
            #expect(value?.bitPattern == expected.bitPattern, "\(text): got \(String(describing: value)), expected \(expected)")
        }
    }

    static let tricky = [
        "0", "-0", "1", "-1", "0.0", "-0.0", "10", "136.2", "2695880", "9.627692959", "0.1", "0.2", "0.3",
        "0.30000000000000004", "123456789012345678", "1234567890123456789", "12345678901234567890",
        "9007199254740992", "9007199254740993", "9007199254740991", "4503599627370497.5",
        "1.7976931348623157e308", "1.7976931348623159e308", "4.9e-324", "5e-324", "2.4703282292062327e-324",
        "2.2250738585072014e-308", "2.2250738585072011e-308", "1e23", "8.98846567431158e307", "1e-400", "1e400",
        "-1e400", "123.456e-7", "1E5", "1e+5", "1e-5", "0.000001", "100000000000000000000000",
        "3.141592653589793238462643383279", "2.5e-22", "2.5e22", "7e22", "7e23", "0.1e1", "1e0", "0e0", "0e-999",
        "1.00000000000000011102230246251565404236316680908203125", "1.0000000000000002220446049250313080847263336181640625",
        "0.000000000000000000000000000000000000000000001", "9999999999999999999999999999999999999999e-40",
        "43.32", "63667", "13.34", "15.8", "5720643", "105.1", "67.8", "1.23456789", "6.789",
    ]

    @Test("tricky numbers")
    func trickyNumbers() throws {
        try Self.expectBitExact(Self.tricky)
    }

    @Test("random bit patterns: shortest form, and with extra digits appended to the mantissa")
    func randomBitPatterns() throws {
        var random = SplitMix(state: 2024)
        var texts: [String] = []
        while texts.count < 20_000 {
            let value = Double(bitPattern: random.next())
            guard value.isFinite else { continue }
            let shortest = "\(value)"  // e.g. "-1.2345e-300", "5e-324", "0.1"
            texts.append(shortest)
            let parts = shortest.split(separator: "e", maxSplits: 1)
            var mantissa = String(parts[0])
            if !mantissa.contains(".") { mantissa += ".0" }
            mantissa += String(random.next() % 1_000_000_000)
            texts.append(parts.count == 2 ? mantissa + "e" + parts[1] : mantissa)
        }
        try Self.expectBitExact(texts)
    }

    @Test("random decimal strings of every length and exponent")
    func randomDecimals() throws {
        var random = SplitMix(state: 7221)
        var texts: [String] = []
        for _ in 0..<20_000 {
            let digits = Int.random(in: 1...24, using: &random)
            var mantissa = String(Int.random(in: 1...9, using: &random))
            for _ in 1..<digits { mantissa.append(String(Int.random(in: 0...9, using: &random))) }
            let point = Int.random(in: 0...digits, using: &random)
            var text = point == digits || point == 0 ? mantissa : String(mantissa.prefix(point)) + "." + mantissa.dropFirst(point)
            if point == 0 { text = "0." + mantissa }
            if Bool.random(using: &random) { text += "e" + String(Int.random(in: -40...40, using: &random)) }
            if Bool.random(using: &random) { text = "-" + text }
            texts.append(text)
        }
        try Self.expectBitExact(texts)
    }

    @Test("malformed numbers are rejected", arguments: ["01", "1.", ".5", "+1", "1e", "1e+", "-", "0x10", "1.5.5", "NaN", "Infinity", "--1"])
    func malformed(_ text: String) throws {
        #expect(throws: JSONStatError.self) { try Self.decodeNumbers([text]) }
    }
}
