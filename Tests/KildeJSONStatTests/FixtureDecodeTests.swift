import KildeJSONStat
import Testing

/// Every JSON file in the JSON-stat, PxWeb and SSB fixture folders, with the expected outcome.
struct FixtureDecodeTests {
    struct Shape: Sendable {
        var name: String?
        var sizes: [Int]
        var present: Int
        var metadataOnly = false
        /// Cells holding a string.
        var strings = 0
    }

    enum Outcome: Sendable {
        case decodes(JSONStatDocument.Kind, [Shape])
        /// Fails with the code; the message must contain every listed fragment.
        case fails(JSONStatError.Code, [String])
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var path: String
        var outcome: Outcome
        var why: String = ""
        var testDescription: String { path }
    }

    static let notJSONStat = Outcome.fails(.notJSONStat, [])

    static let cases: [Case] = [
        // pyjstat's test files
        Case(path: "jsonstat/pyjstat/A02Level.json", outcome: .decodes(.bundle, [Shape(name: "A02Level", sizes: [4, 2, 3, 291, 9, 1, 1], present: 62_856)])),
        Case(path: "jsonstat/pyjstat/CPI15.json", outcome: .decodes(.bundle, [Shape(name: "CPI15", sizes: [137, 248, 1, 1], present: 33_472)])),
        Case(path: "jsonstat/pyjstat/QS104EW.json", outcome: .fails(.idSizeMismatch, ["QS104EW", "4 dimensions", "3 entries"]),
             why: "id lists 4 dimensions but size has 3 entries: inconsistent upstream file"),
        Case(path: "jsonstat/pyjstat/cantabria.json", outcome: .decodes(.dataset, [Shape(sizes: [60, 3, 5, 6], present: 4_205)])),
        Case(path: "jsonstat/pyjstat/collection.json", outcome: .decodes(.collection, []), why: "items only link to datasets elsewhere"),
        Case(path: "jsonstat/pyjstat/dimension.json", outcome: .fails(.unsupportedClass, ["dimension"]), why: "class: dimension is rejected by design"),
        Case(path: "jsonstat/pyjstat/galicia-2.0.json", outcome: .decodes(.dataset, [Shape(sizes: [6, 22, 3, 2, 5, 1], present: 3_956)])),
        Case(path: "jsonstat/pyjstat/galicia-ds.json", outcome: .decodes(.dataset, [Shape(sizes: [6, 22, 3, 2, 5, 1], present: 3_956)])),
        Case(path: "jsonstat/pyjstat/galicia.json", outcome: .decodes(.bundle, [Shape(name: "dataset", sizes: [6, 22, 3, 2, 5, 1], present: 3_956)])),
        Case(path: "jsonstat/pyjstat/oecd-canada.json", outcome: .decodes(.bundle, [
            Shape(name: "oecd", sizes: [1, 36, 12], present: 432), Shape(name: "canada", sizes: [1, 1, 20, 2, 3], present: 120),
        ])),
        Case(path: "jsonstat/pyjstat/ons.json", outcome: .decodes(.bundle, [Shape(name: "ST1117EWla", sizes: [1, 87, 3, 1, 1], present: 261)])),
        Case(path: "jsonstat/pyjstat/sample_data.json", outcome: .fails(.missingField, ["dataset 'dataset'", "'value'"]),
             why: "uses 'measure' instead of 'value'"),
        Case(path: "jsonstat/pyjstat/statswe.json", outcome: .decodes(.bundle, [Shape(name: "dataset", sizes: [1, 1, 20, 2, 1, 28], present: 1_120)])),
        Case(path: "jsonstat/pyjstat/us-labor-ds.json", outcome: .decodes(.dataset, [Shape(sizes: [1, 3220, 4], present: 12_880)])),
        // rjstat's test files
        Case(path: "jsonstat/rjstat/bundle.json", outcome: .decodes(.bundle, [
            Shape(name: "dataset", sizes: [2, 3, 1], present: 6), Shape(name: "dataset2", sizes: [4], present: 2),
        ])),
        Case(path: "jsonstat/rjstat/canada.json", outcome: .decodes(.dataset, [Shape(sizes: [1, 1, 20, 2, 3], present: 120)])),
        Case(path: "jsonstat/rjstat/collection.json", outcome: .decodes(.collection, [Shape(sizes: [1], present: 1)])),
        Case(path: "jsonstat/rjstat/collection_sample.json", outcome: .decodes(.collection, []), why: "items only link to datasets elsewhere"),
        Case(path: "jsonstat/rjstat/dataset.json", outcome: .decodes(.dataset, [Shape(sizes: [1], present: 1)])),
        Case(path: "jsonstat/rjstat/dataset2.json", outcome: .decodes(.dataset, [Shape(sizes: [1], present: 1)])),
        Case(path: "jsonstat/rjstat/galicia.json", outcome: .decodes(.dataset, [Shape(sizes: [6, 22, 3, 2, 5, 1], present: 3_956)])),
        Case(path: "jsonstat/rjstat/hierarchy.json", outcome: .decodes(.dataset, [Shape(sizes: [132], present: 0)]), why: "all 132 cells missing"),
        Case(path: "jsonstat/rjstat/nonexistent.json", outcome: .decodes(.collection, []),
             why: "a collection of links only: nothing embedded, so no datasets (fetching hrefs is not the decoder's job)"),
        Case(path: "jsonstat/rjstat/notjsonstat.json", outcome: notJSONStat),
        Case(path: "jsonstat/rjstat/oecd-canada-col.json", outcome: .decodes(.collection, [
            Shape(sizes: [1, 36, 12], present: 432), Shape(sizes: [1, 1, 20, 2, 3], present: 120),
        ])),
        Case(path: "jsonstat/rjstat/oecd.json", outcome: .decodes(.dataset, [Shape(sizes: [1, 36, 12], present: 432)])),
        Case(path: "jsonstat/rjstat/oecd_tidy.json", outcome: .decodes(.dataset, [Shape(sizes: [1, 36, 12], present: 432)])),
        Case(path: "jsonstat/rjstat/order.json", outcome: .decodes(.dataset, [Shape(sizes: [3, 2, 4], present: 24, strings: 24)]),
             why: "the ordering demo holds strings as values (JSON-stat 2.0 allows them)"),
        Case(path: "jsonstat/rjstat/us-gsp.json", outcome: .decodes(.dataset, [Shape(sizes: [1, 51, 4], present: 204)])),
        Case(path: "jsonstat/rjstat/us-labor.json", outcome: .decodes(.dataset, [Shape(sizes: [1, 3220, 4], present: 12_880)])),
        Case(path: "jsonstat/rjstat/us-unr.json", outcome: .decodes(.dataset, [Shape(sizes: [1, 3220, 1], present: 3_220)])),
        // PxWebApi reference server
        Case(path: "pxweb/PxWebApi-ExpectedJson/GetApiConfiguration.json", outcome: notJSONStat),
        Case(path: "pxweb/PxWebApi-ExpectedJson/ListAllTables.json", outcome: notJSONStat),
        Case(path: "pxweb/PxWebApi-ExpectedJson/MetadataById_tab001_js2.json",
             outcome: .decodes(.dataset, [Shape(sizes: [30, 3, 22, 1, 3], present: 0, metadataOnly: true)])),
        Case(path: "pxweb/PxWebApi-ExpectedJson/MetadataById_tab003_js2.json",
             outcome: .decodes(.dataset, [Shape(sizes: [9, 34, 2, 4], present: 0, metadataOnly: true)])),
        Case(path: "pxweb/PxWebApi-ExpectedJson/MetadataById_tab004_js2.json",
             outcome: .decodes(.dataset, [Shape(sizes: [14, 11, 1, 28], present: 0, metadataOnly: true)])),
        Case(path: "pxweb/PxWebApi-ExpectedJson/TableById_tab004.json", outcome: notJSONStat),
        // pxwebpy (Statistics Sweden)
        Case(path: "pxweb/pxwebpy/mock/response_se.json", outcome: .decodes(.dataset, [Shape(sizes: [3, 1, 1, 3], present: 9)])),
        Case(path: "pxweb/pxwebpy/mock/response_table_variables.json", outcome: notJSONStat),
        Case(path: "pxweb/pxwebpy/queries/query_se.json", outcome: notJSONStat),
        Case(path: "pxweb/pxwebpy/v2-responses/TAB6471_data.json", outcome: .decodes(.dataset, [Shape(sizes: [21, 11, 3, 1, 4], present: 2_772)])),
        Case(path: "pxweb/pxwebpy/v2-responses/TAB6471_metadata.json",
             outcome: .decodes(.dataset, [Shape(sizes: [312, 134, 3, 1, 16], present: 0, metadataOnly: true)])),
        Case(path: "pxweb/pxwebpy/v2-responses/agg_Alder10arJ.json", outcome: notJSONStat),
        Case(path: "pxweb/pxwebpy/v2-responses/code_list_agg_Alder10arJ.json", outcome: notJSONStat),
        Case(path: "pxweb/pxwebpy/v2-responses/config.json", outcome: notJSONStat),
        Case(path: "pxweb/pxwebpy/v2-responses/search.json", outcome: notJSONStat),
        Case(path: "pxweb/pxwebpy/v2-responses/table_variables_TAB5444.json", outcome: notJSONStat),
        Case(path: "pxweb/pxwebpy/v2-responses/tables.json", outcome: notJSONStat),
        Case(path: "pxweb/rOpenGov-pxweb/api.json", outcome: notJSONStat),
        // Statistics Norway
        Case(path: "ssb/dapla-statbank-client/code_lists_agg_valgdistrikt.json", outcome: notJSONStat),
        Case(path: "ssb/dapla-statbank-client/config_TESTFAKE.json", outcome: notJSONStat),
        Case(path: "ssb/dapla-statbank-client/dataset_05300.json", outcome: .decodes(.dataset, [Shape(sizes: [6, 8, 1, 9], present: 404)])),
        Case(path: "ssb/dapla-statbank-client/metadata_05300.json",
             outcome: .decodes(.dataset, [Shape(sizes: [6, 8, 1, 9], present: 0, metadataOnly: true)])),
        Case(path: "ssb/dapla-statbank-client/metadata_14216.json",
             outcome: .fails(.invalidIndex, ["dimension 'TettSted'", "159", "permutation of 0..<2"]),
             why: "trimmed upstream file: TettSted has size 2 but index positions 159/160"),
        Case(path: "ssb/dapla-statbank-client/table_v0_05300.json", outcome: notJSONStat),
        Case(path: "ssb/dapla-statbank-client/table_v2_05300.json", outcome: notJSONStat),
        Case(path: "ssb/pxwebpy-07221/query_no.json", outcome: notJSONStat),
        Case(path: "ssb/pxwebpy-07221/response_no.json", outcome: .decodes(.dataset, [Shape(sizes: [12, 3, 1, 8], present: 264)])),
        Case(path: "ssb/pxwebpy-07221/result_no.json", outcome: notJSONStat, why: "expected flattened records, a JSON array"),
        Case(path: "ssb/ssb-1120-v1-rjstat.json", outcome: .decodes(.bundle, [Shape(name: "dataset", sizes: [2, 2, 2], present: 8)])),
    ]

    @Test("every JSON fixture file has an expectation")
    func everyFileIsListed() {
        let onDisk = Set(Fixtures.jsonFiles(under: ["jsonstat/pyjstat", "jsonstat/rjstat", "pxweb", "ssb"]))
        let listed = Set(Self.cases.map(\.path))
        #expect(onDisk.count >= 50, "fixtures not found under \(Fixtures.root.path)")
        #expect(onDisk.subtracting(listed).sorted() == [], "fixtures without an expectation")
        #expect(listed.subtracting(onDisk).sorted() == [], "expectations without a fixture")
    }

    @Test("fixture decodes as expected", arguments: cases)
    func decode(_ fixture: Case) throws {
        let bytes = try Fixtures.bytes(fixture.path)
        switch fixture.outcome {
        case .decodes(let kind, let shapes):
            let document = try JSONStat.decode(bytes)
            #expect(document.kind == kind)
            try #require(document.datasets.count == shapes.count)
            for (dataset, shape) in zip(document.datasets, shapes) {
                #expect(dataset.name == shape.name)
                #expect(dataset.sizes == shape.sizes)
                #expect(dataset.dimensions.map(\.count) == shape.sizes)
                #expect(dataset.cellCount == shape.sizes.reduce(1, *))
                #expect(dataset.presentCount == shape.present)
                #expect(dataset.isMetadataOnly == shape.metadataOnly)
                #expect(dataset.stringCount == shape.strings)
                #expect(dataset.unlistedDimensions.isEmpty)
                var counted = 0
                for flat in 0..<dataset.cellCount where dataset.value(at: flat) != nil { counted += 1 }
                #expect(counted == shape.present)
            }
        case .fails(let code, let fragments):
            let error = try #require(Fixtures.error(decoding: bytes), "\(fixture.path) decoded but should fail with \(code)")
            #expect(error.code == code, "\(error)")
            for fragment in fragments {
                #expect(error.message.contains(fragment), "message lacks '\(fragment)': \(error.message)")
            }
        }
    }

    @Test("metadata-only documents are rejected when values are required")
    func requireValues() throws {
        let bytes = try Fixtures.bytes("ssb/dapla-statbank-client/metadata_05300.json")
        let error = try #require(Fixtures.error(decoding: bytes, options: .requireValues))
        #expect(error.code == .missingValues)
        #expect(error.message.contains("432 cells"))
    }
}
