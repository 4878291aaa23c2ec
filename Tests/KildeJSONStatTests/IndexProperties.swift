import KildeJSONStat
import PropertyBased
import Testing

/// Row-major index inversion over random cube shapes: a flat index and its coordinates are one-to-one.
@Suite("Index math, properties")
struct IndexProperties {
    @Test("flatIndex and indices(ofFlat:) invert each other on every cell of a random cube")
    func inversion() async throws {
        await propertyCheck(count: 200, input: Gen.int(in: 1...6).array(of: 1...5)) { sizes in
            let dimensions = sizes.enumerated().map { k, size in
                JSONStatDimension(id: "d\(k)", categories: (0..<size).map { JSONStatCategory(id: "c\($0)") })
            }
            let count = sizes.reduce(1, *)
            guard let dataset = try? JSONStatDataset(dimensions: dimensions, values: (0..<count).map { Double($0) }) else {
                Issue.record("a \(sizes) cube could not be made")
                return
            }
            for flat in 0..<count {
                let coordinates = dataset.indices(ofFlat: flat)
                #expect(coordinates.count == sizes.count && zip(coordinates, sizes).allSatisfy { $0 >= 0 && $0 < $1 })
                #expect(dataset.flatIndex(coordinates) == flat)
                #expect(dataset.value(at: coordinates) == Double(flat))
            }
        }
    }
}
