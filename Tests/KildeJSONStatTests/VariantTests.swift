import Foundation
import KildeJSONStat
import Testing

/// Tolerated variants of the format, each as a tiny inline document.
struct VariantTests {
    static func decode(_ json: String) throws -> JSONStatDocument {
        try JSONStat.decode(Array(json.utf8))
    }

    static func dataset(_ json: String) throws -> JSONStatDataset {
        let document = try decode(json)
        try #require(document.datasets.count == 1)
        return document.datasets[0]
    }

    /// A 2.0 dataset over one dimension `x` with categories a…d, with a replaceable tail.
    static func fourCells(value: String, tail: String = "", index: String = #"["a","b","c","d"]"#) -> String {
        #"{"version":"2.0","class":"dataset","id":["x"],"size":[4],"#
            + #""dimension":{"x":{"category":{"index":\#(index)}}},"value":\#(value)\#(tail)}"#
    }

    static func cells(_ dataset: JSONStatDataset) -> [Double?] { (0..<dataset.cellCount).map { dataset.value(at: $0) } }
    static func statuses(_ dataset: JSONStatDataset) -> [String?] { (0..<dataset.cellCount).map { dataset.status(at: $0) } }

    struct StatusCase: Sendable, CustomTestStringConvertible {
        var status: String
        var expected: [String?]
        var testDescription: String { status }
    }

    @Test("status as string, array, one-element array, object, null", arguments: [
        StatusCase(status: #""p""#, expected: ["p", "p", "p", "p"]),
        StatusCase(status: #"["p"]"#, expected: ["p", "p", "p", "p"]),
        StatusCase(status: #"[null]"#, expected: [nil, nil, nil, nil]),
        StatusCase(status: #"["..",null,":","."]"#, expected: ["..", nil, ":", "."]),
        StatusCase(status: #"{"3":":","1":".."}"#, expected: [nil, "..", nil, ":"]),
        StatusCase(status: #"{"2":null}"#, expected: [nil, nil, nil, nil]),
        StatusCase(status: "null", expected: [nil, nil, nil, nil]),
        StatusCase(status: "{}", expected: [nil, nil, nil, nil]),
    ])
    func status(_ testCase: StatusCase) throws {
        let dataset = try Self.dataset(Self.fourCells(value: "[1,null,null,4]", tail: #","status":\#(testCase.status)"#))
        #expect(Self.statuses(dataset) == testCase.expected)
        #expect(Self.cells(dataset) == [1, nil, nil, 4])
        var visited: [Int] = []
        dataset.forEachCell { flat, _, _, _ in visited.append(flat) }
        let expectedVisits = (0..<4).filter { [0, 3].contains($0) || testCase.expected[$0] != nil }
        #expect(visited == expectedVisits)
    }

    @Test("value as dense array, sparse object (ordered, unordered, with null), sparse over a large cube")
    func values() throws {
        #expect(Self.cells(try Self.dataset(Self.fourCells(value: "[1,null,null,2]"))) == [1, nil, nil, 2])
        #expect(Self.cells(try Self.dataset(Self.fourCells(value: #"{"0":1,"3":2}"#))) == [1, nil, nil, 2])
        #expect(Self.cells(try Self.dataset(Self.fourCells(value: #"{"3":2,"0":1,"1":null}"#))) == [1, nil, nil, 2])
        #expect(Self.cells(try Self.dataset(Self.fourCells(value: "{}"))) == [nil, nil, nil, nil])
        let big = try Self.dataset(
            #"{"class":"dataset","id":["a","b"],"size":[1000,1000],"dimension":{"a":{"category":{"index":{"#
                + (0..<1000).map { #""a\#($0)":\#($0)"# }.joined(separator: ",")
                + #"}}},"b":{"category":{"index":["#
                + (0..<1000).map { #""b\#($0)""# }.joined(separator: ",")
                + #"]}}},"value":{"999999":7,"5":-1.5,"123456":0},"status":{"5":"p"}}"#)
        #expect(big.cellCount == 1_000_000)
        #expect(big.presentCount == 3)
        #expect(big.value(at: 999_999) == 7)
        #expect(big.value(at: 123_456) == 0)
        #expect(big.value(at: 5) == -1.5)
        #expect(big.value(at: 6) == nil)
        var seen: [(Int, [Int], Double?, String?)] = []
        big.forEachCell { flat, indices, value, status in seen.append((flat, Array(indices), value, status)) }
        #expect(seen.map(\.0) == [5, 123_456, 999_999])
        #expect(seen.map(\.1) == [[0, 5], [123, 456], [999, 999]])
        #expect(seen.map(\.3) == ["p", nil, nil])
    }

    @Test("zero is a value, null is missing: never confused")
    func zeroVersusMissing() throws {
        let dataset = try Self.dataset(Self.fourCells(value: "[0,null,-0,0.0]"))
        #expect(dataset.value(at: 0) == 0)
        #expect(dataset.value(at: 1) == nil)
        #expect(dataset.value(at: 2)?.sign == .minus)
        #expect(dataset.presentCount == 3)
    }

    @Test("category index as array, object, or absent (single or several labels)")
    func index() throws {
        let array = try Self.dataset(Self.fourCells(value: "[1,2,3,4]"))
        #expect(array.dimensions[0].categories.map(\.id) == ["a", "b", "c", "d"])
        let object = try Self.dataset(Self.fourCells(value: "[1,2,3,4]", index: #"{"d":3,"b":1,"a":0,"c":2}"#))
        #expect(object.dimensions[0].categories.map(\.id) == ["a", "b", "c", "d"])
        #expect(object.dimensions[0].position(of: "c") == 2)
        #expect(object.dimensions[0].position(of: "z") == nil)
        let single = try Self.dataset(
            #"{"class":"dataset","id":["x"],"size":[1],"dimension":{"x":{"category":{"label":{"only":"Eneste"}}}},"value":[5]}"#)
        #expect(single.dimensions[0].categories == [JSONStatCategory(id: "only", label: "Eneste")])
        let several = try Self.dataset(
            #"{"class":"dataset","id":["x"],"size":[2],"dimension":{"x":{"category":{"label":{"z":"Zulu","a":"Alfa"}}}},"value":[1,2]}"#)
        #expect(several.dimensions[0].categories.map(\.id) == ["z", "a"])
    }

    @Test("labels, units, child, note, coordinates, extension and link are tolerated")
    func tolerated() throws {
        let dataset = try Self.dataset(
            #"{"version":"2.0","class":"dataset","href":"h","label":"L","source":"S","updated":"U","note":["n"],"#
                + #""error":[{"status":"500"}],"extension":{"x":[1,{"y":null}]},"link":{"alternate":[{"href":"x"}]},"#
                + #""id":["m","g"],"size":[2,1],"role":{"metric":["m"],"geo":["g"]},"#
                + #""dimension":{"m":{"label":"Mål","note":["x"],"link":{},"extension":{},"category":{"index":["A","B"],"#
                + #""label":{"A":"Antall","B":"Prosent"},"unit":{"A":{"decimals":0,"label":"branner","position":"end"},"#
                + #""B":{"decimals":1,"symbol":"%","base":"prosent"}},"child":{"A":["B"]},"note":{"B":["merk"]}}},"#
                + #""g":{"category":{"index":["0301"],"label":{"0301":"Oslo"},"coordinates":{"0301":[10.75,59.91]}}}},"#
                + #""value":[1,2.5]}"#)
        #expect(dataset.label == "L")
        #expect(dataset.source == "S")
        #expect(dataset.updated == "U")
        #expect(dataset.version == "2.0")
        #expect(dataset.dimensions.map(\.role) == ["metric", "geo"])
        #expect(dataset.dimensions[0].label == "Mål")
        #expect(dataset.dimensions[0].categories == [
            JSONStatCategory(id: "A", label: "Antall", unit: JSONStatUnit(decimals: 0, label: "branner")),
            JSONStatCategory(id: "B", label: "Prosent", unit: JSONStatUnit(decimals: 1, symbol: "%", base: "prosent")),
        ])
        #expect(dataset.dimensions(role: "geo").map(\.id) == ["g"])
        #expect(Self.cells(dataset) == [1, 2.5])
    }

    @Test("1.x: bundle, id/size/role inside dimension, dataset without class")
    func versionOne() throws {
        let inner = #"{"label":"v1","value":[1,2],"dimension":{"id":["t","r"],"size":[2,1],"role":{"time":["t"]},"#
            + #""t":{"category":{"index":{"2020":0,"2021":1}}},"r":{"category":{"index":{"0301":0}}}}}"#
        let bundle = try Self.decode(#"{"dataset":\#(inner)}"#)
        #expect(bundle.kind == .bundle)
        #expect(bundle.datasets[0].name == "dataset")
        #expect(bundle.datasets[0].dimensions.map(\.role) == ["time", nil])
        #expect(Self.cells(bundle.datasets[0]) == [1, 2])
        let named = try Self.decode(#"{"a":\#(inner),"b":\#(inner)}"#)
        #expect(named.datasets.map(\.name) == ["a", "b"])
        let single = try Self.decode(inner)
        #expect(single.kind == .dataset)
        #expect(single.datasets[0].name == nil)
        #expect(single.datasets[0].version == nil)
    }

    @Test("a dimension called 'role' in a 1.x layout is still a dimension")
    func dimensionNamedRole() throws {
        let dataset = try Self.dataset(
            #"{"value":[1,2],"dimension":{"id":["role"],"size":[2],"role":{"category":{"index":["a","b"]}}}}"#)
        #expect(dataset.dimensions.map(\.id) == ["role"])
        #expect(dataset.dimensions[0].categories.map(\.id) == ["a", "b"])
    }

    @Test("collections: embedded datasets, nested collections, link-only items, link before class")
    func collections() throws {
        let item = #"{"class":"dataset","label":"I","id":["x"],"size":[1],"dimension":{"x":{"category":{"index":["a"]}}},"value":[%]}"#
        func with(_ value: Int) -> String { item.replacingOccurrences(of: "%", with: String(value)) }
        let json = #"{"version":"2.0","class":"collection","label":"C","link":{"item":["#
            + with(1) + #",{"class":"dataset","href":"elsewhere"},{"class":"dimension","href":"d"},"#
            + #"{"link":{"item":["# + with(2) + "," + with(3) + #"]},"class":"collection"},"# + with(4) + "]}}"
        let document = try Self.decode(json)
        #expect(document.kind == .collection)
        #expect(document.label == "C")
        #expect(document.datasets.map { $0.value(at: 0) } == [1, 2, 3, 4])
        let linkFirst = try Self.decode(#"{"link":{"item":["# + with(9) + #"]},"class":"collection"}"#)
        #expect(linkFirst.datasets.map { $0.value(at: 0) } == [9])
        let broken = #"{"class":"collection","link":{"item":[{"class":"dataset","id":["x"],"size":[1],"#
            + #""dimension":{"x":{"category":{"index":["a"]}}},"value":[1,2]}]}}"#
        let error = try #require(Fixtures.error(decoding: Array(broken.utf8)))
        #expect(error.code == .valueCountMismatch)
        #expect(error.message.hasPrefix("collection item 0"))
    }

    @Test("value before size (deferred read) and after it give the same cells")
    func memberOrder() throws {
        let dimension = #""dimension":{"x":{"category":{"index":["a","b","c"]}}}"#
        let first = try Self.dataset(#"{"class":"dataset","value":[1,null,3],"id":["x"],"size":[3],\#(dimension)}"#)
        let last = try Self.dataset(#"{"class":"dataset","id":["x"],"size":[3],\#(dimension),"value":[1,null,3]}"#)
        #expect(Self.cells(first) == Self.cells(last))
        let short = Fixtures.error(decoding: Array(#"{"class":"dataset","value":[1,2],"id":["x"],"size":[3],\#(dimension)}"#.utf8))
        #expect(short?.code == .valueCountMismatch)
    }

    @Test("strings: escapes, surrogate pairs, Norwegian UTF-8, BOM, escaped keys")
    func strings() throws {
        let json = "\u{FEFF}" + #"{"cl\u0061ss":"dataset","label":"Bj\u00f8rnafjorden \"Ø\" \ud83d\ude92 \/\\\n\t","#
            + #""id":["x"],"size":[2],"dimension":{"x":{"category":{"index":["æ","\u00e5"],"#
            + #""label":{"æ":"Ærø","å":"Åsnes – Øst"}}}},"value":[1,2]}"#
        let dataset = try Self.dataset(json)
        #expect(dataset.label == "Bjørnafjorden \"Ø\" 🚒 /\\\n\t")
        #expect(dataset.dimensions[0].categories.map(\.label) == ["Ærø", "Åsnes – Øst"])
        #expect(dataset.dimensions[0].position(of: "å") == 1)
        let invalidUTF8: [UInt8] = Array(#"{"label":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
        #expect(Fixtures.error(decoding: invalidUTF8)?.code == .malformedJSON)
    }

    @Test("metadata-only: value [] over a non-empty cube")
    func metadataOnly() throws {
        let dataset = try Self.dataset(Self.fourCells(value: "[]"))
        #expect(dataset.isMetadataOnly)
        #expect(dataset.presentCount == 0)
        #expect(Self.cells(dataset) == [nil, nil, nil, nil])
        let empty = try Self.dataset(#"{"class":"dataset","id":["x"],"size":[0],"dimension":{"x":{"category":{"index":[]}}},"value":[]}"#)
        #expect(empty.cellCount == 0)
        #expect(!empty.isMetadataOnly)
    }

    @Test("decoding from an UnsafeRawBufferPointer, and sparse pairs read before the sizes")
    func rawBufferAndDeferredSparse() throws {
        let index = (0..<1000).map { "\"\($0)\"" }.joined(separator: ",")
        let json = #"{"big":{"value":{"999999":7,"0":null,"42":1.5},"dimension":{"id":["a","b"],"size":[1000,1000],"#
            + #""a":{"category":{"index":[\#(index)]}},"b":{"category":{"index":[\#(index)]}}}}}"#
        let bytes = Array(json.utf8)
        let document = try bytes.withUnsafeBytes { buffer in try JSONStat.decode(buffer) }
        let dataset = document.datasets[0]
        #expect(dataset.name == "big")
        #expect(dataset.presentCount == 2)
        #expect(dataset.value(at: 999_999) == 7)
        #expect(dataset.value(at: 42) == 1.5)
        #expect(dataset.value(at: 0) == nil)
    }

    @Test("public initialiser builds a consistent dataset")
    func publicInit() throws {
        let dataset = try JSONStatDataset(
            name: "demo",
            dimensions: [
                JSONStatDimension(id: "r", categories: [JSONStatCategory(id: "0301"), JSONStatCategory(id: "1103")]),
                JSONStatDimension(id: "t", role: "time", categories: [JSONStatCategory(id: "2023"), JSONStatCategory(id: "2024")]),
            ],
            values: [1, nil, 3, 4], statuses: [1: ".."])
        #expect(dataset.cellCount == 4)
        #expect(dataset.presentCount == 3)
        #expect(dataset.value(at: [1, 0]) == 3)
        #expect(dataset.status(at: 1) == "..")
        #expect(dataset.dimensions[0].categories[0].label == "0301")
        #expect(throws: JSONStatError.self) { try JSONStatDataset(dimensions: [], values: [1, 2]) }
    }
}
