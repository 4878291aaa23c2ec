import KildeJSONStat
import Testing

/// Inputs from a security probe: a huge cube with a few sparse cells, numbers beyond `Double`.
struct HostileInputTests {
    /// Three dimensions of `size` categories each, with the given `value` and tail (a valid document).
    static func cube(size: Int, value: String, tail: String = "") -> String {
        let index = "[" + (0..<size).map { "\"\($0)\"" }.joined(separator: ",") + "]"
        let dimension = #"{"category":{"index":\#(index)}}"#
        return #"{"version":"2.0","class":"dataset","id":["a","b","c"],"size":[\#(size),\#(size),\#(size)],"#
            + #""dimension":{"a":\#(dimension),"b":\#(dimension),"c":\#(dimension)},"value":\#(value)\#(tail)}"#
    }

    struct SparseCase: Sendable, CustomTestStringConvertible {
        var name: String
        var value: String
        var tail = ""
        /// Flat index → expected value (`nil` for a status-only cell), in visiting order.
        var visits: [Int]
        var testDescription: String { name }
    }

    static let n = 100_000
    static let last = n * n * n - 1

    static let sparseCases: [SparseCase] = [
        SparseCase(name: "three cells, ordered", value: #"{"0":1,"123456789":2,"\#(last)":3}"#, visits: [0, 123_456_789, last]),
        SparseCase(name: "three cells, unordered, with a null", value: #"{"\#(last)":3,"7":null,"0":1}"#, visits: [0, last]),
        SparseCase(name: "strings and a sparse status", value: #"{"5":"x","99":2}"#, tail: #","status":{"\#(last)":".."}"#,
                   visits: [5, 99, last]),
        SparseCase(name: "empty", value: "{}", visits: []),
    ]

    @Test("a huge cube with a sparse value decodes and iterates in time with its cells", arguments: sparseCases)
    func hugeSparse(_ testCase: SparseCase) throws {
        let json = Self.cube(size: Self.n, value: testCase.value, tail: testCase.tail)
        let dataset = try #require(try JSONStat.decode(Array(json.utf8)).datasets.first)
        #expect(dataset.cellCount == 1_000_000_000_000_000)
        var visited: [Int] = []
        dataset.forEachCellValue { flat, indices, _, _ in
            #expect(dataset.flatIndex(Array(indices)) == flat)
            visited.append(flat)
        }
        #expect(visited == testCase.visits)
        // Stopping early: throw from the body.
        struct Stop: Error {}
        var seen = 0
        do {
            try dataset.forEachCellValue(includingMissing: true) { _, _, _, _ in
                seen += 1
                if seen == 5 { throw Stop() }
            }
        } catch {}
        #expect(seen == min(5, dataset.cellCount))
    }

    @Test("index bounds are still checked on a huge cube", arguments: [
        (#"{"1000000000000000":1}"#, JSONStatError.Code.sparseKeyOutOfRange),
        (#"{"999999999999999999":1}"#, .sparseKeyOutOfRange),
        (#"{"1":1,"1":2}"#, .invalidSparseKey),
    ])
    func hugeSparseBounds(_ value: String, _ code: JSONStatError.Code) throws {
        let error = Fixtures.error(decoding: Array(Self.cube(size: Self.n, value: value).utf8))
        #expect(error?.code == code, "\(String(describing: error))")
    }

    struct NumberCase: Sendable, CustomTestStringConvertible {
        var text: String
        var expected: Double
        var testDescription: String { text }
    }

    /// Numbers beyond the `Double` range decode to infinity (and below it to zero), exactly as
    /// `Double(text)` does; the CLI warns about them and ingest refuses non-finite values.
    @Test("numbers outside the Double range", arguments: [
        NumberCase(text: "1e400", expected: .infinity),
        NumberCase(text: "-1e400", expected: -.infinity),
        NumberCase(text: "1.7976931348623159e308", expected: .infinity),
        NumberCase(text: "1.7976931348623157e308", expected: .greatestFiniteMagnitude),
        NumberCase(text: "1e-400", expected: 0),
    ])
    func outOfRange(_ testCase: NumberCase) throws {
        for value in ["[\(testCase.text)]", #"{"0":\#(testCase.text)}"#] {
            let json = #"{"class":"dataset","id":["x"],"size":[1],"dimension":{"x":{"category":{"index":["a"]}}},"value":\#(value)}"#
            let dataset = try #require(try JSONStat.decode(Array(json.utf8)).datasets.first)
            #expect(dataset.cellValue(at: 0) == .number(testCase.expected))
            #expect(dataset.value(at: 0) == testCase.expected)
            #expect(Double(testCase.text) == testCase.expected)
        }
    }
}
