import Foundation
import KildeJSONStat
import Testing

/// Dimensions that `dimension` holds but `id` does not list (PxWeb's eliminated contents variable).
struct UnlistedDimensionTests {
    /// A PxWeb-like response: `ContentsCode` was eliminated from `id`/`size` but left in `dimension`
    /// (and in `role.metric`), between the listed dimensions.
    static let pxweb = #"""
        {"version":"2.0","class":"dataset","label":"Branner","source":"SSB","updated":"2024-01-12T07:00:00Z",
         "role":{"time":["Tid"],"metric":["ContentsCode"],"geo":["Region"]},
         "id":["Region","Tid"],"size":[2,3],
         "dimension":{
           "Region":{"label":"region","category":{"index":{"0301":0,"4601":1},"label":{"0301":"Oslo","4601":"Bergen"}}},
           "ContentsCode":{"label":"statistikkvariabel","category":{"index":{"Branner":0},"label":{"Branner":"Branner i alt"},
                           "unit":{"Branner":{"base":"antall","decimals":0}}}},
           "Tid":{"label":"år","category":{"index":["2021","2022","2023"]}}},
         "value":[1,2,3,4,5,6]}
        """#

    /// The same shape in JSON-stat 1.x: `id`, `size` and `role` inside `dimension`, in a bundle.
    static let v1 = #"""
        {"dataset":{"dimension":{"id":["Region","Tid"],"size":[2,3],"role":{"time":["Tid"]},
           "Region":{"category":{"index":{"0301":0,"4601":1}}},
           "Tid":{"category":{"index":["2021","2022","2023"]}},
           "ContentsCode":{"label":"statistikkvariabel","category":{"index":["Branner"]}}},
         "value":[1,2,3,4,5,6]}}
        """#

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var json: String
        var unlisted: [String]
        var unlistedLabels: [String?]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "2.0 with the contents variable eliminated", json: pxweb, unlisted: ["ContentsCode"], unlistedLabels: ["statistikkvariabel"]),
        Case(name: "1.x bundle", json: v1, unlisted: ["ContentsCode"], unlistedLabels: ["statistikkvariabel"]),
        Case(name: "two unlisted, before the listed ones",
             json: #"{"class":"dataset","id":["Tid"],"size":[2],"dimension":{"A":{"category":{"index":["a"]}},"#
                + #""B":{"label":"bee","category":{"index":["b1","b2"]}},"Tid":{"category":{"index":["2021","2022"]}}},"value":[1,2]}"#,
             unlisted: ["A", "B"], unlistedLabels: [nil, "bee"]),
    ]

    @Test("unlisted dimensions are reported and take no part in cell coordinates", arguments: cases)
    func decode(_ testCase: Case) throws {
        let document = try JSONStat.decode(Array(testCase.json.utf8))
        let dataset = try #require(document.datasets.first)
        #expect(dataset.unlistedDimensions.map(\.id) == testCase.unlisted)
        #expect(dataset.unlistedDimensions.map(\.label) == testCase.unlistedLabels)
        #expect(!dataset.dimensions.contains { testCase.unlisted.contains($0.id) })
        #expect(dataset.cellCount == dataset.sizes.reduce(1, *))
        #expect(dataset.presentCount == dataset.cellCount)
        // Row-major over the listed dimensions only: the last listed dimension varies fastest.
        var flats: [Int] = []
        dataset.forEachCellValue { flat, indices, value, _ in
            #expect(dataset.flatIndex(Array(indices)) == flat)
            #expect(value == .number(Double(flat + 1)))
            flats.append(flat)
        }
        #expect(flats == Array(0..<dataset.cellCount))
        // The strict options still refuse the document.
        let error = Fixtures.error(decoding: Array(testCase.json.utf8), options: .strict)
        #expect(error?.code == .unlistedDimension)
        #expect(error?.dimension == testCase.unlisted.first)
    }

    @Test("the eliminated contents variable keeps its categories, unit and role")
    func contents() throws {
        let dataset = try #require(try JSONStat.decode(Array(Self.pxweb.utf8)).datasets.first)
        #expect(dataset.dimensions.map(\.id) == ["Region", "Tid"])
        #expect(dataset.sizes == [2, 3])
        let contents = try #require(dataset.unlistedDimensions.first)
        #expect(contents.role == "metric")
        #expect(contents.categories == [JSONStatCategory(id: "Branner", label: "Branner i alt", unit: JSONStatUnit(decimals: 0, base: "antall"))])
        #expect(dataset.dimension(id: "ContentsCode") == nil, "dimension(id:) looks only at the listed dimensions")
        #expect(try dataset.value(categories: ["4601", "2022"]) == 5)
        #expect(dataset.describeCell(at: 4) == "Region=4601, Tid=2022")
    }

    @Test("a role naming a dimension that is nowhere is still an error")
    func unknownRole() throws {
        let json = Self.pxweb.replacingOccurrences(of: #""metric":["ContentsCode"]"#, with: #""metric":["Nowhere"]"#)
        let error = try #require(Fixtures.error(decoding: Array(json.utf8)))
        #expect(error.code == .unknownRoleDimension)
        #expect(error.message.contains("'Nowhere'"))
    }
}
