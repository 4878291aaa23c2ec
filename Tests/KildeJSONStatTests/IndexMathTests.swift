import KildeJSONStat
import Testing

/// Row-major addressing and cell iteration over every storage layout.
struct IndexMathTests {
    static func dimensions(_ sizes: [Int]) -> [JSONStatDimension] {
        sizes.enumerated().map { k, size in
            JSONStatDimension(id: "d\(k)", categories: (0..<size).map { JSONStatCategory(id: "c\($0)") })
        }
    }

    @Test("flat index of (a,b,c) with sizes (A,B,C) is a·B·C + b·C + c, and back")
    func rowMajor() throws {
        let (A, B, C) = (3, 4, 5)
        let dataset = try JSONStatDataset(dimensions: Self.dimensions([A, B, C]), values: (0..<(A * B * C)).map { Double($0) })
        for a in 0..<A {
            for b in 0..<B {
                for c in 0..<C {
                    let flat = a * B * C + b * C + c
                    #expect(dataset.flatIndex([a, b, c]) == flat)
                    #expect(dataset.indices(ofFlat: flat) == [a, b, c])
                    #expect(dataset.value(at: [a, b, c]) == Double(flat))
                }
            }
        }
        #expect(dataset.value(at: [3, 0, 0]) == nil)
        #expect(dataset.value(at: [0, 0]) == nil)
        #expect(dataset.value(at: -1) == nil)
        #expect(dataset.value(at: 60) == nil)
        #expect(dataset.status(at: 60) == nil)
    }

    @Test("order.json's layout: 'what does not change, first'")
    func orderSample() throws {
        // rjstat/order.json spells the cell at each position as A?B?C?; same cube with numbers AbC.
        let json = #"{"version":"2.0","class":"dataset","id":["A","B","C"],"size":[3,2,4],"dimension":{"#
            + #""A":{"category":{"index":["1","2","3"]}},"B":{"category":{"index":["1","2"]}},"#
            + #""C":{"category":{"index":["1","2","3","4"]}}},"value":["#
            + (1...3).flatMap { a in (1...2).flatMap { b in (1...4).map { c in "\(a)\(b)\(c)" } } }.joined(separator: ",") + "]}"
        let dataset = try JSONStat.decode(Array(json.utf8)).datasets[0]
        #expect(dataset.value(at: 0) == 111)
        #expect(dataset.value(at: 11) == 214)
        #expect(try dataset.value(categories: ["3", "2", "4"]) == 324)
        #expect(dataset.flatIndex([2, 1, 3]) == 23)
    }

    @Test("zero-size dimension: no cells, nothing visited")
    func empty() throws {
        let dataset = try JSONStatDataset(dimensions: Self.dimensions([3, 0]), values: [])
        #expect(dataset.cellCount == 0)
        var visited = 0
        dataset.forEachCell { _, _, _, _ in visited += 1 }
        #expect(visited == 0)
    }

    struct Layout: Sendable, CustomTestStringConvertible {
        var value: String
        var status: String
        var testDescription: String { "value \(value.prefix(30)) status \(status.prefix(30))" }
    }

    /// 2×3×4 = 24 cells; every layout describes values at multiples of 3 (0, 3, …) and statuses at 1, 5, 9, 10.
    static let layouts: [Layout] = {
        let dense = "[" + (0..<24).map { $0 % 3 == 0 ? "\($0)" : "null" }.joined(separator: ",") + "]"
        let sparse = "{" + stride(from: 21, through: 0, by: -3).map { #""\#($0)":\#($0)"# }.joined(separator: ",") + "}"
        let sparseFew = #"{"21":21,"0":0}"#
        let statusObject = #"{"10":"x","1":"x","9":"y","5":"x"}"#
        let statusArray = "[" + (0..<24).map { [1, 5, 10].contains($0) ? #""x""# : $0 == 9 ? #""y""# : "null" }.joined(separator: ",") + "]"
        return [
            Layout(value: dense, status: statusObject), Layout(value: dense, status: statusArray), Layout(value: dense, status: "{}"),
            Layout(value: sparse, status: statusObject), Layout(value: sparse, status: statusArray),
            Layout(value: sparseFew, status: statusObject), Layout(value: sparseFew, status: statusArray),
            Layout(value: sparseFew, status: #""u""#), Layout(value: "[]", status: statusObject),
        ]
    }()

    @Test("forEachCell visits exactly the cells with a value or status, in order, with their indices", arguments: layouts)
    func forEachCell(_ layout: Layout) throws {
        let json = #"{"class":"dataset","id":["a","b","c"],"size":[2,3,4],"dimension":{"#
            + #""a":{"category":{"index":["a0","a1"]}},"b":{"category":{"index":["b0","b1","b2"]}},"#
            + #""c":{"category":{"index":["c0","c1","c2","c3"]}}},"value":\#(layout.value),"status":\#(layout.status)}"#
        let dataset = try JSONStat.decode(Array(json.utf8)).datasets[0]
        var expected: [Int] = []
        for flat in 0..<24 where dataset.value(at: flat) != nil || dataset.status(at: flat) != nil {
            expected.append(flat)
        }
        var visited: [Int] = []
        dataset.forEachCell { flat, indices, value, status in
            visited.append(flat)
            #expect(Array(indices) == dataset.indices(ofFlat: flat))
            #expect(value == dataset.value(at: flat))
            #expect(status == dataset.status(at: flat))
        }
        #expect(visited == expected)
        #expect(!visited.isEmpty)
    }

    @Test("random cubes: flatIndex and indices(ofFlat:) are inverse")
    func randomCubes() throws {
        var random = NumberTests.SplitMix(state: 99)
        for _ in 0..<200 {
            let rank = Int.random(in: 1...6, using: &random)
            let sizes = (0..<rank).map { _ in Int.random(in: 1...7, using: &random) }
            let count = sizes.reduce(1, *)
            let dataset = try JSONStatDataset(dimensions: Self.dimensions(sizes), values: (0..<count).map { Double($0) })
            for _ in 0..<20 {
                let flat = Int.random(in: 0..<count, using: &random)
                let indices = dataset.indices(ofFlat: flat)
                #expect(dataset.flatIndex(indices) == flat)
                #expect(dataset.value(at: indices) == Double(flat))
            }
        }
    }
}
