import KildeCore
import KildeJSONStat

/// Inbound translation of PxWeb JSON-stat into facts (SPEC §6): category code → category (and the filters it stands
/// for), region → filter id (the national code → NULL; a region the catalogue lacks → counted and skipped), time →
/// period. Missing and suppressed cells are not facts; zero cells are not stored. Cells outside the slice (a run's
/// shared request answers every slice of the run) are left to the slices they belong to.
struct PxWebTransform {
    let adapter: PxWebAdapter
    let prepared: PxWebPrepared

    var dataset: String { adapter.dataset.key }
    var table: PxWebTable { adapter.table }

    /// Transforms every dataset in every response body; split requests are merged by concatenation (their
    /// selections are disjoint).
    func transform(_ bodies: [[UInt8]], slice: Slice) throws(IngestError) -> TransformOutput {
        let keys = SliceKeySet(slice: slice, sourceID: adapter.dataset.sourceID)
        let query = PxWebQuery(adapter: adapter, prepared: prepared)
        let askedCategories = Set(try query.categoryCodes(for: slice))
        let regional = slice.filters[.region] != nil
        var facts: [Fact] = []
        var apiTotal = 0.0
        var unmapped: [String: Int] = [:]
        var seen = Set<FactKey>()
        var unasked: [String: String] = [:]
        for body in bodies {
            let doc: JSONStatDocument
            do { doc = try JSONStat.decode(body) } catch {
                throw IngestError(.malformedResponse, dataset: dataset, slice: slice.label, message: "JSON-stat: \(error)", underlying: error)
            }
            for ds in doc.datasets {
                // JSON-stat allows strings as values; a fact needs a number.
                do { try ds.requireNumericValues() } catch {
                    throw IngestError(.malformedResponse, dataset: dataset, slice: slice.label, message: "JSON-stat: \(error)", underlying: error)
                }
                let axes = try resolve(ds, slice: slice)
                // Codes no request asks for (none the catalogue knows): the host answered more than it was asked.
                // They are not stored, but a table that gained a category should not go unnoticed. Only codes this
                // dimension does not store are looked up in the whole catalogue, so a usual answer costs nothing here.
                for (i, cat) in ds.dimensions[axes.categoryAt].categories.enumerated() where axes.categories[i] == nil
                    && !adapter.registry.catalog.categories.contains(where: { $0.sourceID == adapter.dataset.sourceID && $0.nativeAPICode == cat.id }) {
                    unasked[cat.id] = cat.label
                }
                // Per category position, once: the stored category and its filters when the slice asked for it.
                let categoryCodes = ds.dimensions[axes.categoryAt].categories.map(\.id)
                let stored = axes.categories.enumerated().map { i, category in
                    askedCategories.contains(categoryCodes[i]) ? category.map {
                        (cat: $0.cat, fireType: $0.filters[.fireType], buildingType: $0.filters[.buildingType], buildingAge: $0.filters[.buildingAge])
                    } : nil
                }
                var failure: IngestError?
                ds.forEachCell { _, idx, value, _ in
                    guard failure == nil, let value else { return }
                    guard let category = stored[idx[axes.categoryAt]],
                          let period = axes.periods[idx[axes.timeAt]], keys.years.map({ $0.contains(period.year) }) ?? true else { return }
                    var regionID: Int?
                    if let at = axes.regionAt {
                        switch axes.regions[idx[at]] {
                        case .mapped(let id):
                            regionID = id
                        case .unmapped:
                            // A region the catalogue lacks belongs to the slice of the regions: counted there, not stored.
                            guard regional else { return }
                            apiTotal += value
                            unmapped[ds.dimensions[at].categories[idx[at]].id, default: 0] += 1
                            return
                        }
                    }
                    let key = FactKey(sourceID: adapter.dataset.sourceID, dimCode: slice.dimCode, catCode: category.cat, period: period,
                                      fireType: category.fireType, buildingType: category.buildingType,
                                      region: regionID, buildingAge: category.buildingAge)
                    // Cells of the run's other slices, when a shared request answered them all.
                    guard keys.contains(key) else { return }
                    apiTotal += value
                    guard value.isFinite, value >= 0 else {
                        failure = IngestError(.malformedResponse, dataset: dataset, slice: slice.label,
                                              message: "negative or non-finite value \(value) at \(period) region \(regionID.map(String.init) ?? "national")")
                        return
                    }
                    guard seen.insert(key).inserted else {
                        failure = IngestError(.malformedResponse, dataset: dataset, slice: slice.label,
                                              message: "the response holds \(period) \(categoryCodes[idx[axes.categoryAt]]) region \(regionID.map(String.init) ?? "national") twice")
                        return
                    }
                    if value != 0 { facts.append(Fact(key: key, value: value)) }
                }
                if let failure { throw failure }
            }
        }
        var warnings: [String] = []
        if let asked = slice.years, let offered = prepared.years, !(offered.contains(asked.first) && offered.contains(asked.last)) {
            let kept = max(asked.first, offered.first)...min(asked.last, offered.last)
            warnings.append("asked for \(asked.first)–\(asked.last); table \(table.id) offers \(offered.first)–\(offered.last)"
                + (kept.isEmpty ? ", so nothing was fetched" : ", so \(kept.lowerBound)–\(kept.upperBound) was fetched"))
        }
        if !unasked.isEmpty {
            warnings.append("the answer holds \(table.categoryVariable) codes nobody asked for and the catalogue does not know, not stored: "
                + unasked.sorted { $0.key < $1.key }.prefix(10).map { "\($0.key) (\($0.value))" }.joined(separator: ", "))
        }
        if !unmapped.isEmpty {
            warnings.append("skipped \(unmapped.values.reduce(0, +)) cells of \(unmapped.count) regions missing from the catalogue: \(unmapped.keys.sorted().prefix(10).joined(separator: ", "))")
        }
        return TransformOutput(facts: facts, totals: SliceTotals(facts: facts, metric: .value), apiTotal: apiTotal,
                               skippedUnmapped: unmapped.values.reduce(0, +), warnings: warnings)
    }

    enum RegionMapping {
        case mapped(Int?)
        case unmapped
    }

    /// Per-dimension lookup tables, built once per response so the cell loop does no catalogue work.
    struct Axes {
        var regionAt: Int?
        var categoryAt: Int
        var timeAt: Int
        var regions: [RegionMapping]
        /// `nil`: a code the catalogue does not store for this dimension.
        var categories: [(cat: Int, filters: [FilterAxis: Int])?]
        var periods: [Period?]
    }

    func resolve(_ ds: JSONStatDataset, slice: Slice) throws(IngestError) -> Axes {
        func position(_ id: String) throws(IngestError) -> Int {
            guard let i = ds.dimensions.firstIndex(where: { $0.id == id }) else {
                throw IngestError(.schemaChanged, dataset: dataset, slice: slice.label,
                                  message: "expected dimension '\(id)' in table \(table.id); the response has \(ds.dimensions.map(\.id).joined(separator: ", "))")
            }
            return i
        }
        let r = try table.regionVariable.map { (v) throws(IngestError) in try position(v) }
        let c = try position(table.categoryVariable), t = try position(table.timeVariable)
        let held = Set(table.fixed.map(\.variable))
        for (i, d) in ds.dimensions.enumerated() where ![r, c, t].contains(i) {
            guard d.categories.count == 1 else {
                throw IngestError(.schemaChanged, dataset: dataset, slice: slice.label,
                                  message: "unexpected dimension '\(d.id)' with \(d.categories.count) categories in table \(table.id)")
            }
            // One category the request did not choose is the host's default: maybe the whole, maybe a part. Storing
            // its cells as the whole could be wrong, so the slice fails until the catalogue holds the variable.
            guard held.contains(d.id) else {
                let only = d.categories[0]
                throw IngestError(.schemaChanged, dataset: dataset, slice: slice.label,
                                  message: "the response has a dimension '\(d.id)' (one category, '\(only.id)' \(only.label)) that table \(table.id)'s "
                                      + "catalogue entry does not name; hold it with the dataset option fixed=\(d.id):CODE")
            }
        }
        let source = adapter.dataset.sourceID
        let registry = adapter.registry
        let regions: [RegionMapping] = r.map { at in
            ds.dimensions[at].categories.map { cat in
                if cat.id == table.nationalCode { return .mapped(nil) }
                guard let f = registry.filter(source: source, axis: .region, nativeCode: cat.id) else { return .unmapped }
                return .mapped(f.id)
            }
        } ?? []
        let categories = ds.dimensions[c].categories.map { cat -> (cat: Int, filters: [FilterAxis: Int])? in
            guard let stored = registry.category(source: source, dim: slice.dimCode, nativeAPICode: cat.id), !stored.isNativeOnly else { return nil }
            return (stored.catCode, adapter.filters(standingFor: stored))
        }
        var periods: [Period?] = []
        for cat in ds.dimensions[t].categories {
            guard let p = PxWebTime.period(cat.id) else {
                throw IngestError(.schemaChanged, dataset: dataset, slice: slice.label, message: "time code '\(cat.id)' is not a year, month or quarter")
            }
            let grain: TimeGrain = if case .year = p { .year } else { .month }
            guard grain.isSubyear == adapter.dataset.grain.isSubyear else {
                throw IngestError(.schemaChanged, dataset: dataset, slice: slice.label,
                                  message: "time code '\(cat.id)' does not fit the dataset's grain \(adapter.dataset.grain.rawValue)")
            }
            periods.append(p)
        }
        return Axes(regionAt: r, categoryAt: c, timeAt: t, regions: regions, categories: categories, periods: periods)
    }
}
