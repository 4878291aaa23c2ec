import KildeJSONStat
import Testing

/// One tiny inline document per error code (and per distinct cause), with the expected code and message.
struct ErrorCaseTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var json: String
        var code: JSONStatError.Code
        var mentions: [String] = []
        var options: JSONStatDecodingOptions = .default
        var testDescription: String { name }
    }

    /// A valid 2×2 dataset with replaceable parts.
    static func dataset(
        id: String = #"["sex","year"]"#, size: String = "[2,2]",
        sex: String = #"{"category":{"index":["M","F"]}}"#,
        year: String = #"{"category":{"index":["2020","2021"]}}"#,
        value: String = "[1,2,3,4]", extra: String = ""
    ) -> String {
        #"{"version":"2.0","class":"dataset","label":"tiny","id":\#(id),"size":\#(size),"#
            + #""dimension":{"sex":\#(sex),"year":\#(year)},"value":\#(value)\#(extra)}"#
    }

    static let cases: [Case] = [
        // Syntax
        Case(name: "bad token", json: #"{"class": dataset}"#, code: .malformedJSON, mentions: ["byte 10"]),
        Case(name: "trailing comma", json: #"{"a":1,}"#, code: .malformedJSON, mentions: ["byte 7"]),
        Case(name: "leading zero", json: dataset(value: "[01,2,3,4]"), code: .malformedJSON),
        Case(name: "bad escape", json: #"{"label":"a\qb"}"#, code: .malformedJSON, mentions: ["escape"]),
        Case(name: "lone surrogate", json: #"{"label":"\ud800x"}"#, code: .malformedJSON, mentions: ["surrogate"]),
        Case(name: "control character in string", json: "{\"label\":\"a\u{01}b\"}", code: .malformedJSON, mentions: ["control"]),
        Case(name: "content after document", json: dataset() + " {}", code: .malformedJSON, mentions: ["after the JSON document"]),
        Case(name: "missing colon", json: #"{"class" "dataset"}"#, code: .malformedJSON, mentions: ["':'"]),
        Case(name: "number without digits after point", json: dataset(value: "[1.,2,3,4]"), code: .malformedJSON, mentions: ["after '.'"]),
        Case(name: "truncated document", json: String(dataset().dropLast(5)), code: .truncated, mentions: ["end of input"]),
        Case(name: "empty input", json: "", code: .truncated),
        Case(name: "only whitespace", json: "  \n ", code: .truncated),
        Case(name: "nesting too deep", json: String(repeating: "[", count: 600) + String(repeating: "]", count: 600),
             code: .nestingTooDeep),
        // Not JSON-stat / class
        Case(name: "plain object", json: #"{"type_of_json":"Not json stat"}"#, code: .notJSONStat),
        Case(name: "top-level array", json: "[1,2]", code: .notJSONStat, mentions: ["array"]),
        Case(name: "bundle member that is no dataset", json: #"{"a":{"b":1}}"#, code: .notJSONStat, mentions: ["'a'"]),
        Case(name: "dimension document", json: #"{"version":"2.0","class":"dimension","category":{"index":["T"]}}"#,
             code: .unsupportedClass, mentions: ["dimension"]),
        Case(name: "unknown class", json: #"{"class":"cube"}"#, code: .unsupportedClass, mentions: ["cube"]),
        // Structure
        Case(name: "no value", json: #"{"class":"dataset","id":["x"],"size":[1],"dimension":{"x":{"category":{"index":["a"]}}}}"#,
             code: .missingField, mentions: ["'value'"]),
        Case(name: "no size", json: #"{"class":"dataset","id":["x"],"dimension":{"x":{"category":{"index":["a"]}}},"value":[1]}"#,
             code: .missingField, mentions: ["'size'"]),
        Case(name: "no dimension", json: #"{"class":"dataset","id":["x"],"size":[1],"value":[1]}"#, code: .missingField, mentions: ["'dimension'"]),
        Case(name: "no category", json: dataset(sex: #"{"label":"sex"}"#), code: .missingField, mentions: ["dimension 'sex'", "category"]),
        Case(name: "neither index nor label", json: dataset(sex: #"{"category":{}}"#), code: .missingField, mentions: ["dimension 'sex'"]),
        Case(name: "size not integers", json: dataset(size: "[2,2.5]"), code: .invalidField, mentions: ["size[1]"]),
        Case(name: "negative size", json: dataset(size: "[2,-2]"), code: .invalidField, mentions: ["size[1]"]),
        Case(name: "id not strings", json: dataset(id: #"["sex",2]"#), code: .invalidField, mentions: ["id[1]"]),
        Case(name: "duplicate id", json: dataset(id: #"["sex","sex"]"#), code: .invalidField, mentions: ["twice"]),
        Case(name: "label not a string", json: #"{"class":"dataset","label":5}"#, code: .invalidField, mentions: ["'label'"]),
        Case(name: "status of wrong type", json: dataset(extra: #","status":5"#), code: .invalidField, mentions: ["'status'"]),
        Case(name: "id/size length", json: dataset(size: "[2,2,1]"), code: .idSizeMismatch, mentions: ["2 dimensions", "3 entries"]),
        Case(name: "dimension missing", json: dataset(id: #"["sex","year","geo"]"#, size: "[2,2,1]"), code: .missingDimension,
             mentions: ["'geo'"]),
        Case(name: "dimension unlisted (strict)", json: dataset(id: #"["sex"]"#, size: "[2]", value: "[1,2]"), code: .unlistedDimension,
             mentions: ["'year'"], options: .strict),
        Case(name: "unlisted dimension without categories", json: dataset(id: #"["sex"]"#, size: "[2]", year: #"{"label":"year"}"#, value: "[1,2]"),
             code: .missingField, mentions: ["dimension 'year'", "category"]),
        Case(name: "unlisted dimension with a bad index", json: dataset(id: #"["sex"]"#, size: "[2]", year: #"{"category":{"index":{"a":0,"b":0}}}"#, value: "[1,2]"),
             code: .invalidIndex, mentions: ["dimension 'year'"]),
        Case(name: "size vs categories", json: dataset(size: "[3,2]", value: "[1,2,3,4,5,6]"), code: .categoryCountMismatch,
             mentions: ["dimension 'sex'", "3", "2 categories"]),
        Case(name: "index position out of range", json: dataset(sex: #"{"category":{"index":{"M":0,"F":2}}}"#), code: .invalidIndex,
             mentions: ["dimension 'sex'", "'F'", "position 2"]),
        Case(name: "index position repeated", json: dataset(sex: #"{"category":{"index":{"M":1,"F":1}}}"#), code: .invalidIndex,
             mentions: ["share index position 1"]),
        Case(name: "index position not an integer", json: dataset(sex: #"{"category":{"index":{"M":0,"F":"1"}}}"#), code: .invalidIndex,
             mentions: ["'F'"]),
        Case(name: "index id repeated", json: dataset(sex: #"{"category":{"index":["M","M"]}}"#), code: .invalidIndex,
             mentions: ["'M' appears twice"]),
        Case(name: "label key unknown", json: dataset(sex: #"{"category":{"index":["M","F"],"label":{"X":"x"}}}"#),
             code: .unknownCategory, mentions: ["'X'", "dimension 'sex'"]),
        Case(name: "unit key unknown", json: dataset(sex: #"{"category":{"index":["M","F"],"unit":{"Q":{"decimals":1}}}}"#),
             code: .unknownCategory, mentions: ["'Q'"]),
        Case(name: "child id unknown", json: dataset(sex: #"{"category":{"index":["M","F"],"child":{"M":["Z"]}}}"#),
             code: .unknownCategory, mentions: ["'Z'"]),
        Case(name: "role dimension unknown", json: dataset(extra: #","role":{"time":["tid"]}"#), code: .unknownRoleDimension,
             mentions: ["'tid'"]),
        // Values
        Case(name: "too few values", json: dataset(value: "[1,2,3]"), code: .valueCountMismatch, mentions: ["3 entries", "4 cells"]),
        Case(name: "too many values", json: dataset(value: "[1,2,3,4,5]"), code: .valueCountMismatch, mentions: ["5 entries"]),
        Case(name: "huge size, few values", json: dataset(size: "[2000000000,2]", sex: #"{"category":{"index":{"M":0}}}"#),
             code: .categoryCountMismatch),
        Case(name: "sparse key not an integer", json: dataset(value: #"{"0":1,"a":2}"#), code: .invalidSparseKey, mentions: ["\"a\""]),
        Case(name: "sparse key negative", json: dataset(value: #"{"-1":1}"#), code: .invalidSparseKey),
        Case(name: "sparse key with leading zero", json: dataset(value: #"{"01":1}"#), code: .invalidSparseKey),
        Case(name: "sparse key repeated", json: dataset(value: #"{"1":1,"1":2}"#), code: .invalidSparseKey, mentions: ["twice"]),
        Case(name: "sparse key out of range", json: dataset(value: #"{"0":1,"4":2}"#), code: .sparseKeyOutOfRange, mentions: ["\"4\"", "4 cells"]),
        Case(name: "string value (strict)", json: dataset(value: #"[1,"2",3,4]"#), code: .nonNumericValue, mentions: ["value[1]", "\"2\""],
             options: .strict),
        Case(name: "boolean value", json: dataset(value: "[1,2,true,4]"), code: .nonNumericValue, mentions: ["value[2]", "a boolean"]),
        Case(name: "object value", json: dataset(value: #"[1,2,{},4]"#), code: .nonNumericValue, mentions: ["value[2]", "an object"]),
        Case(name: "boolean after a string", json: dataset(value: #"[1,"x",true,4]"#), code: .nonNumericValue, mentions: ["value[2]", "a boolean"]),
        Case(name: "too few values, with strings", json: dataset(value: #"["a","b",3]"#), code: .valueCountMismatch, mentions: ["3 entries"]),
        Case(name: "array in sparse value", json: dataset(value: #"{"0":"a","1":[2]}"#), code: .nonNumericValue, mentions: ["value[\"1\"]", "an array"]),
        Case(name: "string in sparse value (strict)", json: dataset(value: #"{"0":1,"3":"x"}"#), code: .nonNumericValue,
             mentions: ["value[3]", "\"x\"", "1 string cells"], options: .strict),
        Case(name: "value is a string", json: dataset(value: #""1,2""#), code: .invalidField, mentions: ["'value'"]),
        Case(name: "status array length", json: dataset(extra: #","status":["a","b","c"]"#), code: .statusCountMismatch, mentions: ["3 entries"]),
        Case(name: "status key out of range", json: dataset(extra: #","status":{"4":"x"}"#), code: .invalidStatusKey, mentions: ["\"4\""]),
        Case(name: "status key not an integer", json: dataset(extra: #","status":{"x":"a"}"#), code: .invalidStatusKey),
        Case(name: "status key repeated", json: dataset(extra: #","status":{"1":"a","1":"b"}"#), code: .invalidStatusKey, mentions: ["twice"]),
        Case(name: "more cells than allowed", json: dataset(), code: .tooManyCells, mentions: ["4 cells", "maximum of 3"],
             options: { var o = JSONStatDecodingOptions(); o.maximumCellCount = 3; return o }()),
        Case(name: "metadata only, values required", json: dataset(value: "[]"), code: .missingValues, options: .requireValues),
    ]

    @Test("inline document fails as expected", arguments: cases)
    func failure(_ testCase: Case) throws {
        let error = try #require(Fixtures.error(decoding: Array(testCase.json.utf8), options: testCase.options))
        #expect(error.code == testCase.code, "\(error)")
        for fragment in testCase.mentions {
            #expect(error.message.contains(fragment), "message lacks '\(fragment)': \(error.message)")
        }
        #expect(error.description.hasPrefix(testCase.code.rawValue + ": "))
    }

    @Test("every error code has an inline case")
    func everyCodeCovered() {
        let covered = Set(Self.cases.map(\.code))
        #expect(Set(JSONStatError.Code.allCases).subtracting(covered).isEmpty)
    }

    @Test("sizes whose product overflows never allocate and are rejected")
    func overflow() throws {
        let json = #"{"id":["a","b"],"size":[4611686018427387904,4],"#
            + #""dimension":{"a":{"category":{"index":{"x":0}}},"b":{"category":{"index":{"x":0}}}},"value":[1,2]}"#
        let error = try #require(Fixtures.error(decoding: Array(json.utf8)))
        #expect(error.code == .categoryCountMismatch)
    }

    /// Sparse values take one of four paths: scattered into dense storage or kept as pairs,
    /// each read before or after the sizes are known. All must reject the same mistakes.
    @Test("sparse value errors on every storage path", arguments: [
        (#"{"1":1,"1":2}"#, JSONStatError.Code.invalidSparseKey),
        (#"{"4000000":1}"#, .sparseKeyOutOfRange),
        (#"{"x":1}"#, .invalidSparseKey),
        (#"{"0":[1]}"#, .nonNumericValue),
    ])
    func sparsePaths(_ value: String, _ code: JSONStatError.Code) throws {
        let small = #""dimension":{"id":["x"],"size":[4],"x":{"category":{"index":["a","b","c","d"]}}}"#
        let large = #""dimension":{"id":["x","y"],"size":[2000,2000],"x":{"category":{"index":["#
            + (0..<2000).map { "\"\($0)\"" }.joined(separator: ",") + #"]}},"y":{"category":{"index":["#
            + (0..<2000).map { "\"\($0)\"" }.joined(separator: ",") + "]}}}"
        for dimension in [small, large] {
            for json in [#"{"value":\#(value),\#(dimension)}"#, #"{\#(dimension),"value":\#(value)}"#] {
                let error = Fixtures.error(decoding: Array(json.utf8))
                #expect(error?.code == code, "\(json.prefix(80)): \(String(describing: error))")
            }
        }
    }

    @Test("errors name the dataset of a bundle and the dimension")
    func errorLocation() throws {
        let json = #"{"first":{"value":[1],"dimension":{"id":["x"],"size":[1],"x":{"category":{"index":["a"]}}}},"#
            + #""second":{"value":[1,2],"dimension":{"id":["x"],"size":[1],"x":{"category":{"index":["a"]}}}}}"#
        let error = try #require(Fixtures.error(decoding: Array(json.utf8)))
        #expect(error.code == .valueCountMismatch)
        #expect(error.dataset == "dataset 'second'")
        #expect(error.message.hasPrefix("dataset 'second': "))
        let index = try #require(Fixtures.error(decoding: Array(Self.dataset(year: #"{"category":{"index":{"a":5,"b":0}}}"#).utf8)))
        #expect(index.dimension == "year")
        #expect(index.dataset == "dataset 'tiny'")
        let syntax = try #require(Fixtures.error(decoding: Array(#"{"a": [1, 2,, 3]}"#.utf8)))
        #expect(syntax.offset == 12)
    }
}
