import Foundation
import KildeJSONStat
import Testing

/// Cell values checked by hand against the fixture text (category ids in `id` order).
struct FixtureValueTests {
    struct Cell: Sendable, CustomTestStringConvertible {
        var path: String
        var dataset = 0
        var categories: [String]
        var flat: Int
        var value: Double?
        var status: String? = nil
        var testDescription: String { "\(path) \(categories)" }
    }

    static let cells: [Cell] = [
        // oecd: (1,5,1) 1-based ≈ 9.5434; US is area index 33; [0,33,7] is value index 403.
        Cell(path: "jsonstat/rjstat/oecd.json", categories: ["UNR", "CL", "2003"], flat: 48, value: 9.5433848),
        Cell(path: "jsonstat/rjstat/oecd.json", categories: ["UNR", "US", "2010"], flat: 403, value: 9.627692959),
        Cell(path: "jsonstat/rjstat/oecd.json", categories: ["UNR", "AU", "2013"], flat: 10, value: 5.50415003, status: "e"),
        Cell(path: "jsonstat/rjstat/oecd-canada-col.json", categories: ["UNR", "US", "2010"], flat: 403, value: 9.627692959),
        Cell(path: "jsonstat/pyjstat/oecd-canada.json", categories: ["UNR", "US", "2010"], flat: 403, value: 9.627692959),
        // canada: status ["a"] applies to every cell.
        Cell(path: "jsonstat/rjstat/canada.json", categories: ["CA", "2012", "T", "POP", "T"], flat: 0, value: 34880.5, status: "a"),
        Cell(path: "jsonstat/rjstat/canada.json", categories: ["CA", "2012", "older", "PERCENT", "F"], flat: 119, value: 1.0, status: "a"),
        Cell(path: "jsonstat/rjstat/canada.json", categories: ["CA", "2012", "24", "PERCENT", "M"], flat: 34, value: 7.2, status: "a"),
        Cell(path: "jsonstat/pyjstat/oecd-canada.json", dataset: 1, categories: ["CA", "2012", "24", "PERCENT", "M"], flat: 34, value: 7.2, status: "a"),
        // galicia in every form: value[0] = 2695880; nulls at 3278, 3288, 3298, 3947.
        Cell(path: "jsonstat/pyjstat/galicia-2.0.json", categories: ["T", "T", "T", "2001", "T", "pop"], flat: 0, value: 2_695_880),
        Cell(path: "jsonstat/pyjstat/galicia-ds.json", categories: ["T", "T", "T", "2001", "T", "pop"], flat: 0, value: 2_695_880),
        Cell(path: "jsonstat/pyjstat/galicia.json", categories: ["T", "T", "T", "2001", "T", "pop"], flat: 0, value: 2_695_880),
        Cell(path: "jsonstat/rjstat/galicia.json", categories: ["F", "100", "F", "2011", "36", "pop"], flat: 3959, value: 11),
        Cell(path: "jsonstat/rjstat/galicia.json", categories: ["C", "10", "F", "2001", "32", "pop"], flat: 773, value: 4527),
        Cell(path: "jsonstat/rjstat/galicia.json", categories: ["F", "100", "M", "2011", "27", "pop"], flat: 3947, value: nil),
        // hierarchy: all missing ({"0": null}).
        Cell(path: "jsonstat/rjstat/hierarchy.json", categories: ["T"], flat: 0, value: nil),
        // A02Level: sparse object, every cell present.
        Cell(path: "jsonstat/pyjstat/A02Level.json",
             categories: ["CI_0018932", "CI_0018950", "CI_0004585", "CI_0019149", "CI_0018933", "Segment_1", "K02000001"], flat: 0, value: 25_635_937),
        Cell(path: "jsonstat/pyjstat/A02Level.json",
             categories: ["CI_0018944", "CI_0018950", "CI_0018935", "CI_0019088", "CI_0018939", "Segment_1", "K02000001"], flat: 19_237, value: 208_770),
        Cell(path: "jsonstat/pyjstat/A02Level.json",
             categories: ["CI_0018948", "CI_0018934", "CI_0018936", "CI_0042642", "CI_0018942", "Segment_1", "K02000001"], flat: 62_855, value: 5_720_643),
        // CPI15: sparse, 504 cells absent from 31496 on.
        Cell(path: "jsonstat/pyjstat/CPI15.json", categories: ["CI_0004216", "CI_0004215", "Segment_1", "K02000001"], flat: 0, value: 67.8),
        Cell(path: "jsonstat/pyjstat/CPI15.json", categories: ["CI_0004266", "CI_0004452", "Segment_1", "K02000001"], flat: 12_500, value: 50.4),
        Cell(path: "jsonstat/pyjstat/CPI15.json", categories: ["CI_0004360", "CI_0042644", "Segment_1", "K02000001"], flat: 33_975, value: 105.1),
        // statswe (v1 bundle, SCB), us-*, cantabria, ons, ssb-1120.
        Cell(path: "jsonstat/pyjstat/statswe.json", categories: ["25", "23-28", "90+", "2", "HS0301A1", "1996"], flat: 1119, value: 137),
        Cell(path: "jsonstat/pyjstat/statswe.json", categories: ["25", "23-28", "45-49", "1", "HS0301A1", "1974"], flat: 565, value: 6),
        Cell(path: "jsonstat/rjstat/us-gsp.json", categories: ["2013", "06", "perc"], flat: 17, value: 13.34),
        Cell(path: "jsonstat/rjstat/us-gsp.json", categories: ["2013", "56", "capita"], flat: 203, value: 63_667),
        Cell(path: "jsonstat/rjstat/us-labor.json", categories: ["2012", "72153", "unr"], flat: 12_879, value: 15.8),
        Cell(path: "jsonstat/rjstat/us-unr.json", categories: ["2012", "01001", "unr"], flat: 0, value: 6.5),
        Cell(path: "jsonstat/pyjstat/cantabria.json", categories: ["2005", "Ambos sexos", "Total", "Población"], flat: 0, value: nil),
        Cell(path: "jsonstat/pyjstat/cantabria.json", categories: ["2016 - 4", "Mujeres", "De 55 y más años", "Inactivos"], flat: 5399, value: 87.0),
        Cell(path: "jsonstat/pyjstat/ons.json", categories: ["K04000001", "CI_0002763", "CI_0000070", "Segment_1", "CI_0000001"], flat: 260, value: 133),
        Cell(path: "ssb/ssb-1120-v1-rjstat.json", categories: ["02", "2014U31", "Kilopris"], flat: 7, value: 43.32),
        // PxWeb / SSB.
        Cell(path: "pxweb/pxwebpy/mock/response_se.json", categories: ["1+2", "tot16+", "HE0110J8", "2022"], flat: 8, value: 316.6),
        Cell(path: "pxweb/pxwebpy/v2-responses/TAB6471_data.json", categories: ["25", "100+10", "2", "000007SF", "2026M04"], flat: 2771, value: 54),
        Cell(path: "ssb/dapla-statbank-client/dataset_05300.json", categories: ["01", "01", "Avstand", "1991"], flat: 0, value: 16),
        Cell(path: "ssb/dapla-statbank-client/dataset_05300.json", categories: ["01", "08", "Avstand", "2021"], flat: 71, value: nil, status: "."),
        Cell(path: "ssb/dapla-statbank-client/dataset_05300.json", categories: ["06", "08", "Avstand", "2021"], flat: 431, value: nil, status: "."),
        Cell(path: "ssb/pxwebpy-07221/response_no.json", categories: ["TOTAL", "01", "Boligindeks", "2022K1"], flat: 0, value: 136.2),
        Cell(path: "ssb/pxwebpy-07221/response_no.json", categories: ["007", "02", "Boligindeks", "2022K1"], flat: 176, value: nil, status: ".."),
    ]

    @Test("hand-verified cells", arguments: cells)
    func cell(_ cell: Cell) throws {
        let dataset = try Fixtures.dataset(cell.path, cell.dataset)
        let (value, status) = try dataset.values(categories: cell.categories)
        #expect(value == cell.value)
        #expect(status == cell.status)
        #expect(dataset.value(at: cell.flat) == cell.value)
        #expect(dataset.status(at: cell.flat) == cell.status)
        #expect(dataset.indices(ofFlat: cell.flat).enumerated().map { dataset.dimensions[$0].categories[$1].id } == cell.categories)
    }

    @Test("oecd: sizes, US position, status object, roles, unit, labels")
    func oecd() throws {
        let oecd = try Fixtures.dataset("jsonstat/rjstat/oecd.json")
        #expect(oecd.sizes == [1, 36, 12])
        let area = try #require(oecd.dimension(id: "area"))
        #expect(area.position(of: "US") == 33)
        #expect(area.categories[33].label == "United States")
        #expect(area.role == "geo")
        #expect(oecd.dimension(id: "year")?.role == "time")
        let concept = try #require(oecd.dimension(id: "concept"))
        #expect(concept.role == "metric")
        #expect(concept.categories == [JSONStatCategory(id: "UNR", label: "unemployment rate", unit: JSONStatUnit(decimals: 9, label: "%", base: "per cent"))])
        #expect(oecd.flatIndex([0, 33, 7]) == 403)
        #expect(oecd.indices(ofFlat: 403) == [0, 33, 7])
        var statuses = 0
        oecd.forEachCell { _, _, _, status in if status == "e" { statuses += 1 } }
        #expect(statuses == 72)
    }

    @Test("hierarchy: all 132 cells missing, none visited")
    func hierarchy() throws {
        let dataset = try Fixtures.dataset("jsonstat/rjstat/hierarchy.json")
        #expect(dataset.cellCount == 132)
        #expect((0..<132).allSatisfy { dataset.value(at: $0) == nil })
        var visited = 0
        dataset.forEachCell { _, _, _, _ in visited += 1 }
        #expect(visited == 0)
    }

    @Test("bundle.json: array, object and missing index")
    func rjstatBundle() throws {
        let document = try Fixtures.decode("jsonstat/rjstat/bundle.json")
        let first = document.datasets[0]
        #expect(first.label == "A dataset with array value")
        #expect(first.source == "Random data")
        #expect(first.updated == "2014-09-29")
        #expect(first.dimensions.map { $0.categories.map(\.id) } == [
            ["testcategory11", "testcategory12"], ["testcategory21", "testcategory22", "testcategory23"], ["testcategory3"],
        ])
        #expect(first.dimensions[2].categories[0].label == "Category 3")
        #expect((0..<6).map { first.value(at: $0) } == [1.23456789, 2.3456789, 3.456789, 4.56789, 5.6789, 6.789])
        let second = document.datasets[1]
        #expect((0..<4).map { second.value(at: $0) } == [nil, 2, nil, 4])
    }

    @Test("SSB 07221: 288 cells, 24 null with status '..', labels and values match result_no.json")
    func ssb07221() throws {
        let dataset = try Fixtures.dataset("ssb/pxwebpy-07221/response_no.json")
        #expect(dataset.cellCount == 288)
        #expect(dataset.presentCount == 264)
        #expect(dataset.label?.hasPrefix("07221: Prisindeks for brukte boliger") == true)
        #expect(dataset.source == "Statistisk sentralbyrå")
        #expect(dataset.dimensions.map(\.label) == ["region", "boligtype", "statistikkvariabel", "kvartal"])
        #expect(dataset.dimension(id: "Tid")?.role == "time")
        #expect(dataset.dimension(id: "ContentsCode")?.categories[0].unit == JSONStatUnit(decimals: 1, base: "indeks"), "PxWeb's unit word is kept as base")
        var nulls = 0
        for flat in 0..<288 where dataset.value(at: flat) == nil {
            nulls += 1
            #expect(dataset.status(at: flat) == "..")
        }
        #expect(nulls == 24)

        // The expected flattened records (pxwebpy's test oracle), one per cell in row-major order.
        let data = try Data(Fixtures.bytes("ssb/pxwebpy-07221/result_no.json"))
        let records = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        try #require(records.count == 288)
        var visited = 0
        dataset.forEachCell { flat, indices, value, status in
            visited += 1
            let record = records[flat]
            let labels = (0..<4).map { dataset.dimensions[$0].categories[indices[$0]].label }
            #expect(labels == [record["region"], record["boligtype"], record["statistikkvariabel"], record["kvartal"]].map { $0 as? String })
            let expected = record["value"] as? Double
            #expect(value == expected, "cell \(flat)")
            #expect((status == "..") == (expected == nil))
        }
        #expect(visited == 288)
        // A handful of records spelled out: Norwegian labels survive decoding.
        #expect(try dataset.value(categories: ["001", "02", "Boligindeks", "2023K4"]) == (records[39]["value"] as? Double))
        #expect(dataset.dimension(id: "Region")?.categories[1].label == "Oslo med Bærum")
        #expect(dataset.dimension(id: "Boligtype")?.categories[1].label == "Småhus")
        #expect(dataset.dimension(id: "Region")?.categories[11].label == "Nord-Norge")
    }

    @Test("SCB response with malformed 'updated' keeps the raw text")
    func malformedUpdated() throws {
        let dataset = try Fixtures.dataset("pxweb/pxwebpy/mock/response_se.json")
        #expect(dataset.updated == "2024-01-12T05: 52: 00Z")
    }

    @Test("metadata documents keep their categories")
    func metadata() throws {
        let dataset = try Fixtures.dataset("ssb/dapla-statbank-client/metadata_05300.json")
        #expect(dataset.isMetadataOnly)
        #expect(dataset.updated == "2022-05-24T06:00:00Z")
        #expect(dataset.dimension(id: "Tid")?.categories.first?.id == "1991")
        #expect(dataset.value(at: 0) == nil)
        var visited = 0
        dataset.forEachCell { _, _, _, _ in visited += 1 }
        #expect(visited == 0)
    }
}
