import KildeCore
import KildeJSONStat

/// Inbound translation of SSB JSON-stat into facts (SPEC §6): contents code → category (and the
/// building-type filter it stands for), region → filter id (national code → NULL; unmapped → counted
/// and skipped), time → year. Missing and suppressed cells are not facts; zero cells are not stored.
struct SSBTransform {
    let dataset: DatasetDefinition
    let table: SSBTable
    let registry: Registry

    /// Transforms every dataset in every response body (split requests are merged by concatenation:
    /// their selections are disjoint).
    func transform(_ bodies: [[UInt8]], slice: Slice) throws(IngestError) -> TransformOutput {
        let keys = SliceKeySet(slice: slice, sourceID: dataset.sourceID)
        var facts: [Fact] = []
        var apiTotal = 0.0
        var unmapped: [String: Int] = [:]
        var unknownContents: [String: Int] = [:]
        var outside = 0
        var seen = Set<FactKey>()
        for body in bodies {
            let doc: JSONStatDocument
            do { doc = try JSONStat.decode(body) } catch {
                throw IngestError(.malformedResponse, dataset: dataset.key, slice: slice.label, message: "JSON-stat: \(error)", underlying: error)
            }
            for ds in doc.datasets {
                let axes = try resolve(ds, slice: slice)
                var failure: IngestError?
                ds.forEachCell { _, idx, value, _ in
                    guard failure == nil, let value else { return }
                    guard let content = axes.contents[idx[axes.contentsAt]] else { return }  // native-only: read live, never stored
                    guard let category = content else {
                        unknownContents[ds.dimensions[axes.contentsAt].categories[idx[axes.contentsAt]].id, default: 0] += 1
                        return
                    }
                    apiTotal += value
                    guard case .mapped(let region) = axes.regions[idx[axes.regionAt]] else {
                        unmapped[ds.dimensions[axes.regionAt].categories[idx[axes.regionAt]].id, default: 0] += 1
                        return
                    }
                    let key = FactKey(sourceID: dataset.sourceID, dimCode: slice.dimCode, catCode: category.cat,
                                      period: .year(axes.years[idx[axes.timeAt]]), buildingType: category.buildingType, region: region)
                    guard keys.contains(key) else {
                        outside += 1
                        return
                    }
                    guard value.isFinite, value >= 0 else {
                        failure = IngestError(.malformedResponse, dataset: dataset.key, slice: slice.label, message: "negative or non-finite value \(value) at \(key.period) region \(region.map(String.init) ?? "national")")
                        return
                    }
                    guard seen.insert(key).inserted else {
                        failure = IngestError(.malformedResponse, dataset: dataset.key, slice: slice.label, message: "the response holds \(key.period) region \(region.map(String.init) ?? "national") twice")
                        return
                    }
                    if value != 0 { facts.append(Fact(key: key, value: value)) }
                }
                if let failure { throw failure }
            }
        }
        var warnings: [String] = []
        if !unmapped.isEmpty {
            warnings.append("skipped \(unmapped.values.reduce(0, +)) cells of \(unmapped.count) regions missing from the catalogue: \(unmapped.keys.sorted().prefix(10).joined(separator: ", "))")
        }
        if !unknownContents.isEmpty {
            warnings.append("skipped \(unknownContents.values.reduce(0, +)) cells of contents codes missing from the catalogue: \(unknownContents.keys.sorted().joined(separator: ", "))")
        }
        if outside > 0 { warnings.append("ignored \(outside) cells outside the slice") }
        return TransformOutput(facts: facts, totals: SliceTotals(facts: facts, metric: .value), apiTotal: apiTotal,
                               skippedUnmapped: unmapped.values.reduce(0, +), warnings: warnings)
    }

    enum RegionMapping {
        case mapped(Int?)
        case unmapped
    }

    /// Per-dimension lookup tables, built once per response so the cell loop does no registry work.
    struct Axes {
        var regionAt: Int
        var contentsAt: Int
        var timeAt: Int
        var regions: [RegionMapping]
        /// `nil` = native-only (skip silently); `.some(nil)` = unknown (skip, warn); else the category.
        var contents: [(cat: Int, buildingType: Int?)??]
        var years: [Int]
    }

    func resolve(_ ds: JSONStatDataset, slice: Slice) throws(IngestError) -> Axes {
        func position(_ id: String) throws(IngestError) -> Int {
            guard let i = ds.dimensions.firstIndex(where: { $0.id == id }) else {
                throw IngestError(.schemaChanged, dataset: dataset.key, slice: slice.label,
                                  message: "expected dimension '\(id)' in table \(table.tableID); the response has \(ds.dimensions.map(\.id).joined(separator: ", "))")
            }
            return i
        }
        let r = try position(table.regionVariable), c = try position(table.contentsVariable), t = try position(table.timeVariable)
        for (i, d) in ds.dimensions.enumerated() where ![r, c, t].contains(i) && d.categories.count != 1 {
            throw IngestError(.schemaChanged, dataset: dataset.key, slice: slice.label,
                              message: "unexpected dimension '\(d.id)' with \(d.categories.count) categories in table \(table.tableID)")
        }
        let source = dataset.sourceID
        let regions: [RegionMapping] = ds.dimensions[r].categories.map { cat in
            if cat.id == table.nationalCode { return .mapped(nil) }
            guard let f = registry.filter(source: source, axis: .region, nativeCode: cat.id) else { return .unmapped }
            return .mapped(f.id)
        }
        let contents: [(cat: Int, buildingType: Int?)??] = ds.dimensions[c].categories.map { cat in
            if let stored = registry.category(source: source, dim: slice.dimCode, nativeAPICode: cat.id) {
                return .some((stored.cat, registry.filter(source: source, axis: .buildingType, nativeCode: cat.id)?.id))
            }
            if let other = registry.catalog.categories.first(where: { $0.sourceID == source && $0.nativeAPICode == cat.id }), other.isNativeOnly {
                return nil
            }
            return .some(nil)
        }
        var years: [Int] = []
        for cat in ds.dimensions[t].categories {
            guard let y = Self.year(of: cat.id) else {
                throw IngestError(.schemaChanged, dataset: dataset.key, slice: slice.label, message: "time code '\(cat.id)' is not a year")
            }
            years.append(y)
        }
        return Axes(regionAt: r, contentsAt: c, timeAt: t, regions: regions, contents: contents, years: years)
    }

    /// `2024` → 2024; anything else (e.g. `2024K1`) is not a year.
    static func year(of code: String) -> Int? {
        guard code.count == 4, let y = Int(code), y > 1800, y < 3000 else { return nil }
        return y
    }
}

private extension Category {
    var cat: Int { catCode }
}
