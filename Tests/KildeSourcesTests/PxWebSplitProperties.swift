import KildeSources
import PropertyBased
import Testing

/// The table-driven cases of ``PxWebSplitTests`` over random selections: whatever the sizes and the cell limit,
/// the parts request every cell exactly once and none exceeds the limit.
@Suite("PxWeb selection splitting, properties")
struct PxWebSplitProperties {
    @Test("parts are disjoint, cover the selection and respect the limit")
    func partsCoverOnceWithinTheLimit() async {
        await propertyCheck(count: 200, input: Gen.int(in: 1...400), Gen.int(in: 1...3), Gen.int(in: 1...30), Gen.int(in: 1...5000)) { regions, contents, years, limit in
            let r = (0..<regions).map { "R\($0)" }
            let c = (0..<contents).map { "C\($0)" }
            let t = (0..<years).map { String(1990 + $0) }
            let selection = PxWebSelection([("Region", .items(r)), ("ContentsCode", .items(c)), ("Tid", .items(t))])
            let parts = selection.split(limit: limit, sizes: [:])
            var cells = Set<String>()
            var duplicate = false
            for part in parts {
                #expect((part.cellCount(sizes: [:]) ?? .max) <= limit)
                guard case .items(let pr) = part.variables[0].values, case .items(let pc) = part.variables[1].values,
                      case .items(let pt) = part.variables[2].values else {
                    Issue.record("a part lost its item lists")
                    continue
                }
                for a in pr { for b in pc { for y in pt where !cells.insert("\(a)|\(b)|\(y)").inserted { duplicate = true } } }
            }
            #expect(!duplicate, "no cell is requested twice")
            #expect(cells.count == regions * contents * years, "every cell is requested")
        }
    }
}
