import Foundation
import KildeJSONStat
import Testing

/// The jsonstat validator's corpus (`validator/corpus/cases.json`), mapped to Kilde's behaviour.
struct ValidatorCorpusTests {
    enum Expected: Sendable {
        case decodes
        case rejects(JSONStatError.Code)
        /// Decodes on purpose although the validator flags it; the reason is documented.
        case tolerated(String)
    }

    /// Validator code → what Kilde does.
    static let mapping: [String: Expected] = [
        "VALUE_LEN_MISMATCH": .rejects(.valueCountMismatch),
        "ID_SIZE_LEN_MISMATCH": .rejects(.idSizeMismatch),
        "DIM_KEY_ID_MISMATCH": .rejects(.missingDimension),
        "SPARSE_KEY_OUT_OF_RANGE": .rejects(.sparseKeyOutOfRange),
        "ROLE_ID_UNKNOWN": .rejects(.unknownRoleDimension),
        "STATUS_LEN_MISMATCH": .rejects(.statusCountMismatch),
        "INDEX_COUNT_MISMATCH": .rejects(.categoryCountMismatch),
        "INDEX_POSITIONS_INVALID": .rejects(.invalidIndex),
        "LABEL_KEY_UNKNOWN": .rejects(.unknownCategory),
        "UNIT_KEY_UNKNOWN": .rejects(.unknownCategory),
        "COORD_KEY_UNKNOWN": .rejects(.unknownCategory),
        "NOTE_KEY_UNKNOWN": .rejects(.unknownCategory),
        "CHILD_ID_UNKNOWN": .rejects(.unknownCategory),
        "CHILD_CYCLE": .tolerated(
            "the category hierarchy (child) is not exposed or walked; only its ids are checked, so a cycle cannot change any cell"),
        "METRIC_UNIT_MISSING": .tolerated("a warning in the validator too (valid: true); units are optional"),
        "BUNDLE_DEPRECATED": .tolerated("1.x bundles are what PxWeb v0 and older SSB endpoints return: decoded as kind .bundle"),
    ]

    struct Case: Sendable, CustomTestStringConvertible {
        var id: String
        var codes: [String]
        var input: [UInt8]
        var testDescription: String { id }
    }

    static func corpus() throws -> [Case] {
        let data = try Data(Fixtures.bytes("jsonstat/validator/corpus/cases.json"))
        let entries = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        return try entries.map { entry in
            let id = try #require(entry["id"] as? String)
            let expected = try #require(entry["expected"] as? [String: Any])
            let input = try #require(entry["input"])
            let bytes = try JSONSerialization.data(withJSONObject: input, options: [.sortedKeys])
            return Case(id: id, codes: expected["codes"] as? [String] ?? [], input: [UInt8](bytes))
        }
    }

    @Test("every validator code in the corpus is mapped")
    func everyCodeMapped() throws {
        let corpus = try Self.corpus()
        #expect(corpus.count == 20)
        let codes = Set(corpus.flatMap(\.codes))
        #expect(codes.subtracting(Self.mapping.keys).sorted() == [])
    }

    @Test("validator corpus cases behave as mapped")
    func corpusCases() throws {
        for testCase in try Self.corpus() {
            let outcome = Self.expected(for: testCase.codes)
            let error = Fixtures.error(decoding: testCase.input)
            switch outcome {
            case .decodes, .tolerated:
                #expect(error == nil, "\(testCase.id): \(String(describing: error))")
            case .rejects(let code):
                #expect(error?.code == code, "\(testCase.id): got \(String(describing: error))")
                #expect(error?.message.isEmpty == false)
            }
        }
    }

    @Test("tolerated cases decode to what they say")
    func toleratedShapes() throws {
        let corpus = Dictionary(uniqueKeysWithValues: try Self.corpus().map { ($0.id, $0) })
        let bundle = try JSONStat.decode(try #require(corpus["invalid/bundle-deprecated"]).input)
        #expect(bundle.kind == .bundle)
        #expect(bundle.datasets.map(\.name) == ["unemployment"])
        #expect(bundle.datasets.first?.value(at: 0) == 1)
        let cycle = try JSONStat.decode(try #require(corpus["invalid/child-cycle"]).input)
        #expect(cycle.datasets.first?.dimensions.first?.categories.map(\.id) == ["A", "B"])
        let sparse = try JSONStat.decode(try #require(corpus["valid/sparse-dataset"]).input)
        #expect((0..<4).map { sparse.datasets[0].value(at: $0) } == [1, nil, nil, 4])
        let collection = try JSONStat.decode(try #require(corpus["valid/collection-embedded"]).input)
        #expect(collection.kind == .collection)
        #expect(collection.datasets.first?.value(at: 0) == 42)
    }

    static func expected(for codes: [String]) -> Expected {
        for code in codes {
            if case .rejects(let kilde)? = mapping[code] { return .rejects(kilde) }
        }
        for code in codes {
            if case .tolerated(let why)? = mapping[code] { return .tolerated(why) }
        }
        return .decodes
    }
}
