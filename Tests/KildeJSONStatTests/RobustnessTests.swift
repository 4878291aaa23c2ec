import Foundation
import KildeJSONStat
import Testing

/// Truncation, corruption, and a cell-by-cell comparison with Foundation's JSON parser.
struct RobustnessTests {
    @Test("every proper prefix of a real response is reported as truncated", arguments: [
        "ssb/pxwebpy-07221/response_no.json", "jsonstat/rjstat/bundle.json", "jsonstat/rjstat/oecd-canada-col.json",
    ])
    func truncation(_ path: String) throws {
        let bytes = try Fixtures.bytes(path)
        // Trailing whitespace after the closing brace is not part of the document.
        var end = bytes.count
        while end > 0, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x20 || bytes[end - 1] == 0x0D || bytes[end - 1] == 0x09 { end -= 1 }
        for length in 0..<end {
            let error = Fixtures.error(decoding: Array(bytes[0..<length]))
            #expect(error?.code == .truncated, "prefix of \(length) bytes: \(String(describing: error))")
            if error?.code != .truncated { break }
        }
        #expect(Fixtures.error(decoding: Array(bytes[0..<end])) == nil)
    }

    @Test("random corruption never crashes and never decodes silently wrong sizes")
    func corruption() throws {
        let original = try Fixtures.bytes("ssb/dapla-statbank-client/dataset_05300.json")
        var random = NumberTests.SplitMix(state: 5300)
        let alphabet = Array(#"{}[],:"\0123456789.-eEnull truefalse"#.utf8) + [0xC3, 0xA5, 0xFF, 0x00]
        var decoded = 0
        for _ in 0..<1_500 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let at = Int.random(in: 0..<bytes.count, using: &random)
                switch random.next() % 3 {
                case 0: bytes[at] = alphabet[Int(random.next() % UInt64(alphabet.count))]
                case 1: bytes.remove(at: at)
                default: bytes.insert(alphabet[Int(random.next() % UInt64(alphabet.count))], at: at)
                }
            }
            guard let document = try? JSONStat.decode(bytes) else { continue }
            decoded += 1
            for dataset in document.datasets {
                #expect(dataset.sizes.reduce(1, *) == dataset.cellCount)
                #expect(dataset.dimensions.map(\.count) == dataset.sizes)
                var present = 0
                dataset.forEachCell { _, _, value, _ in if value != nil { present += 1 } }
                #expect(present == dataset.presentCount)
            }
        }
        #expect(decoded < 1_500)
    }

    /// Every decodable fixture, compared cell by cell (values bit-exact, statuses, category order)
    /// with what Foundation's `JSONSerialization` reads from the same bytes.
    @Test("cells agree with JSONSerialization", arguments: FixtureDecodeTests.cases.filter {
        if case .decodes = $0.outcome { return true } else { return false }
    })
    func differential(_ fixture: FixtureDecodeTests.Case) throws {
        let bytes = try Fixtures.bytes(fixture.path)
        let document = try JSONStat.decode(bytes)
        let root = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        let objects = Self.datasetObjects(root, kind: document.kind, names: document.datasets.map(\.name))
        try #require(objects.count == document.datasets.count)
        for (dataset, object) in zip(document.datasets, objects) {
            let dimension = try #require(object["dimension"] as? [String: Any])
            let ids = try #require((object["id"] ?? dimension["id"]) as? [String])
            #expect(dataset.dimensions.map(\.id) == ids)
            for (decoded, id) in zip(dataset.dimensions, ids) {
                let category = try #require((dimension[id] as? [String: Any])?["category"] as? [String: Any])
                #expect(decoded.categories.map(\.id) == Self.categoryOrder(category), "\(id)")
            }
            for flat in 0..<dataset.cellCount {
                switch (dataset.cellValue(at: flat), Self.value(object["value"], flat)) {
                case (.number(let decoded)?, .number(let expected)?):
                    #expect(decoded.bitPattern == expected.bitPattern, "\(fixture.path) cell \(flat)")
                case (let decoded, let expected):
                    #expect(decoded == expected, "\(fixture.path) cell \(flat)")
                }
                #expect(dataset.status(at: flat) == Self.status(object["status"], flat), "\(fixture.path) status \(flat)")
            }
        }
    }

    static func datasetObjects(_ root: [String: Any], kind: JSONStatDocument.Kind, names: [String?]) -> [[String: Any]] {
        switch kind {
        case .dataset: return [root]
        case .bundle: return names.compactMap { $0.flatMap { root[$0] as? [String: Any] } }
        case .collection:
            func walk(_ node: [String: Any]) -> [[String: Any]] {
                let items = (node["link"] as? [String: Any])?["item"] as? [[String: Any]] ?? []
                return items.flatMap { item -> [[String: Any]] in
                    if item["class"] as? String == "collection" { return walk(item) }
                    return item["dimension"] != nil ? [item] : []
                }
            }
            return walk(root)
        }
    }

    static func categoryOrder(_ category: [String: Any]) -> [String] {
        if let ids = category["index"] as? [String] { return ids }
        if let positions = category["index"] as? [String: Int] { return positions.sorted { $0.value < $1.value }.map(\.key) }
        return (category["label"] as? [String: Any]).map { Array($0.keys) } ?? []  // single category in tests
    }

    static func value(_ values: Any?, _ flat: Int) -> JSONStatValue? {
        let raw: Any? = (values as? [Any]).map { flat < $0.count ? $0[flat] : nil } ?? (values as? [String: Any])?[String(flat)]
        if let text = raw as? String { return .string(text) }
        return (raw as? NSNumber).map { .number($0.doubleValue) }
    }

    static func status(_ statuses: Any?, _ flat: Int) -> String? {
        if let single = statuses as? String { return single }
        if let array = statuses as? [Any] { return array.count == 1 ? array[0] as? String : flat < array.count ? array[flat] as? String : nil }
        return (statuses as? [String: Any])?[String(flat)] as? String
    }
}
