import KildeCore
@testable import KildeStore
import Testing

/// A slice's key in `extraction_state` and `source_totals` must fit a PostgreSQL btree row (2,704 bytes), also for a
/// slice of every region code since 2013.
@Suite("Slice state keys")
struct StateKeyTests {
    /// As many region ids as every kommune and fylke code since 2013.
    static let regions = Array(50000..<50900)

    @Test("a short slice keeps its canonical JSON; a long one is its digest", arguments: [
        (Slice(dataset: "ssb-12058", dimCode: 5, filters: [.region: [50301]]), false),
        (Slice(dataset: "ssb-12058", dimCode: 5, filters: [.region: regions]), true),
        (Slice(dataset: "ssb-12058", dimCode: 5, filters: [.region: regions, .buildingType: [64]]), true),
    ])
    func stateKey(_ slice: Slice, _ digested: Bool) {
        #expect(slice.stateKey.utf8.count <= Slice.longestStateKey)
        #expect(slice.stateKey == (digested ? "sha256:" + sha256Hex(slice.canonicalJSON) : slice.canonicalJSON))
    }

    @Test func longSlicesKeepDistinctKeys() {
        let all = Slice(dataset: "ssb-12058", dimCode: 5, filters: [.region: Self.regions])
        let residential = Slice(dataset: "ssb-12058", dimCode: 5, filters: [.region: Self.regions, .buildingType: [64]])
        #expect(all.stateKey != residential.stateKey)
    }
}
