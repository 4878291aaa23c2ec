import KildeCore

/// 1,000,000 atoms shaped like a wide SSB table: `slices` kommuner (one slice each, building type NULL),
/// `categories` synthetic categories of dimension 5, and the years 2005–2024. Values are deterministic.
struct SyntheticData {
    let sourceID = 5
    let dimCode = 5
    let firstCategory = 60_001
    let years = YearWindow(first: 2005, last: 2024)
    let categories: Int
    let regions: [Int]

    /// Chooses the shape for `atoms` (a multiple of 20 years × `categories`).
    init(atoms: Int, registry: Registry, categories: Int = 250) throws {
        self.categories = categories
        let perSlice = categories * 20
        guard atoms % perSlice == 0 else { throw BenchError("--atoms must be a multiple of \(perSlice)") }
        let regions = registry.catalog.filters.filter { $0.sourceID == 5 && $0.axis == .region && $0.applicableDimCodes.contains(5) }.map(\.id)
        guard atoms / perSlice <= regions.count else { throw BenchError("at most \(regions.count * perSlice) atoms with this catalogue") }
        self.regions = Array(regions.prefix(atoms / perSlice))
    }

    var atomCount: Int { regions.count * categories * years.years.count }

    /// The bundled catalogue plus the synthetic categories, so the registry and the store's checks accept them.
    func catalog(extending base: Catalog) -> Catalog {
        var c = base
        for i in 0..<categories {
            c.categories.append(Category(sourceID: sourceID, dimCode: dimCode, catCode: firstCategory + i, nativeAPICode: "BENCH\(i)",
                                         nativeName: "Benchmark category \(i)", name: "Benchmark category \(i)", standardCode: nil,
                                         sortOrder: 1000 + i, isNativeOnly: false))
        }
        return c
    }

    func slice(_ index: Int) -> Slice {
        Slice(dataset: "ssb-12058", dimCode: dimCode, filters: [.region: [regions[index]]], years: years)
    }

    /// The atoms of one slice, in natural-key order.
    func facts(slice index: Int) -> [Fact] {
        var out: [Fact] = []
        out.reserveCapacity(categories * 20)
        for c in 0..<categories {
            for year in years.years {
                let key = FactKey(sourceID: sourceID, dimCode: dimCode, catCode: firstCategory + c, period: .year(year), region: regions[index])
                // A cheap deterministic spread of small positive counts.
                let v = Double((index &* 7919 &+ c &* 104_729 &+ year &* 31) % 997 + 1)
                out.append(Fact(key: key, value: v))
            }
        }
        return out
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
