import KildeJSONStat
import Testing

/// JSON-stat 2.0 string values: every layout of `value`, and the APIs that tell strings from numbers.
struct StringValueTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        /// The whole document.
        var json: String
        /// One entry per cell, in row-major order.
        var cells: [JSONStatValue?]
        var testDescription: String { name }
    }

    /// A 2.0 dataset over one dimension `x` with `n` categories; `value` before or after `dimension`.
    static func document(_ value: String, cells n: Int = 4, valueFirst: Bool = false) -> String {
        let index = (0..<n).map { "\"c\($0)\"" }.joined(separator: ",")
        let head = #""version":"2.0","class":"dataset","id":["x"],"size":[\#(n)],"dimension":{"x":{"category":{"index":[\#(index)]}}}"#
        return valueFirst ? #"{"value":\#(value),\#(head)}"# : #"{\#(head),"value":\#(value)}"#
    }

    /// `n` missing cells with `entries` set.
    static func cells(_ n: Int, _ entries: [Int: JSONStatValue]) -> [JSONStatValue?] {
        (0..<n).map { entries[$0] }
    }

    static let cases: [Case] = [
        Case(name: "dense array of strings", json: document(#"["a","b","c","d"]"#),
             cells: [.string("a"), .string("b"), .string("c"), .string("d")]),
        Case(name: "dense array, mixed", json: document(#"[1.5,"..",null,-2]"#),
             cells: [.number(1.5), .string(".."), nil, .number(-2)]),
        Case(name: "dense array, mixed, read after the sizes are known", json: document(#"[1.5,"..",null,-2]"#, valueFirst: true),
             cells: [.number(1.5), .string(".."), nil, .number(-2)]),
        Case(name: "repeated strings are the same text", json: document(#"["x","x",7,"x"]"#),
             cells: [.string("x"), .string("x"), .number(7), .string("x")]),
        Case(name: "escapes and non-ASCII", json: document(#"["a\"b","Tromsø","\u00e6\u00f8\u00e5",""]"#),
             cells: [.string("a\"b"), .string("Tromsø"), .string("æøå"), .string("")]),
        Case(name: "sparse object, mixed", json: document(#"{"3":"z","0":2,"1":null}"#),
             cells: [.number(2), nil, nil, .string("z")]),
        Case(name: "sparse object before the sizes", json: document(#"{"0":"a","2":3}"#, valueFirst: true),
             cells: [.string("a"), nil, .number(3), nil]),
        Case(name: "sparse object kept sparse (large cube)", json: document(#"{"5":"five","900":9}"#, cells: 1_000),
             cells: cells(1_000, [5: .string("five"), 900: .number(9)])),
        Case(name: "sparse object kept sparse, before the sizes", json: document(#"{"900":"n","5":5}"#, cells: 1_000, valueFirst: true),
             cells: cells(1_000, [5: .number(5), 900: .string("n")])),
    ]

    @Test("strings decode in every layout of value", arguments: cases)
    func decode(_ testCase: Case) throws {
        let dataset = try #require(try JSONStat.decode(Array(testCase.json.utf8)).datasets.first)
        #expect((0..<dataset.cellCount).map { dataset.cellValue(at: $0) } == testCase.cells)
        let strings = testCase.cells.count { $0?.string != nil }
        #expect(dataset.stringCount == strings)
        #expect(dataset.presentCount == testCase.cells.count { $0 != nil })

        // The Double API: numbers as they are, strings as NaN (never nil, never a number), missing as nil.
        for (flat, expected) in testCase.cells.enumerated() {
            let legacy = dataset.value(at: flat)
            switch expected {
            case .number(let v)?: #expect(legacy == v)
            case .string?: #expect(legacy?.isNaN == true)
            case nil: #expect(legacy == nil)
            }
        }

        // forEachCellValue visits the present cells, in order, with the same values.
        var visited: [Int: JSONStatValue] = [:]
        var order: [Int] = []
        dataset.forEachCellValue { flat, indices, value, _ in
            #expect(indices[0] == flat)
            visited[flat] = value
            order.append(flat)
        }
        #expect(order == order.sorted())
        #expect(visited == Dictionary(uniqueKeysWithValues: testCase.cells.enumerated().compactMap { k, v in v.map { (k, $0) } }))

        // includingMissing visits every cell.
        var all = 0
        dataset.forEachCellValue(includingMissing: true) { _, _, _, _ in all += 1 }
        #expect(all == dataset.cellCount)

        // requireNumericValues passes only without strings, and names the first string cell.
        if strings == 0 {
            try dataset.requireNumericValues()
        } else {
            let first = try #require(testCase.cells.firstIndex { $0?.string != nil })
            let error = try #require(throws: JSONStatError.self) { try dataset.requireNumericValues() }
            #expect(error.code == .nonNumericValue)
            #expect(error.message.contains("cell \(first) (x=c\(first))"), "\(error.message)")
            #expect(error.message.contains("\"\(testCase.cells[first]?.string ?? "")\""))
        }

        // The strict options refuse the same document, naming the first string cell.
        let strict = Fixtures.error(decoding: Array(testCase.json.utf8), options: .strict)
        if strings == 0 {
            #expect(strict == nil)
        } else {
            #expect(strict?.code == .nonNumericValue)
            let first = testCase.cells.firstIndex { $0?.string != nil } ?? -1
            #expect(strict?.message.contains("value[\(first)]") == true, "\(String(describing: strict))")
        }
    }

    @Test("a string cell keeps its status, and statuses alone still visit")
    func statuses() throws {
        let json = Self.document(#"["a",null,2,null]"#).dropLast() + #","status":{"0":"e","1":".."}}"#
        let dataset = try #require(try JSONStat.decode(Array(json.utf8)).datasets.first)
        var seen: [String] = []
        dataset.forEachCellValue { flat, _, value, status in
            seen.append("\(flat):\(value.map { "\($0)" } ?? "-"):\(status ?? "-")")
        }
        #expect(seen == [#"0:string("a"):e"#, "1:-:..", "2:number(2.0):-"])
    }

    @Test("the JSONStatValue initialiser round-trips strings, numbers and missing cells")
    func initialiser() throws {
        let x = JSONStatDimension(id: "x", categories: ["a", "b", "c"].map { JSONStatCategory(id: $0) })
        let dataset = try JSONStatDataset(dimensions: [x], cells: [.string("s"), nil, .number(4)], statuses: [1: ".."])
        #expect(dataset.stringCount == 1)
        #expect(dataset.presentCount == 2)
        #expect((0..<3).map { dataset.cellValue(at: $0) } == [.string("s"), nil, .number(4)])
        #expect(dataset.status(at: 1) == "..")
        #expect(JSONStatValue.string("s").number == nil)
        #expect(JSONStatValue.number(1).string == nil)
    }
}
