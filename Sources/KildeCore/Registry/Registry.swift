/// The catalogue loaded once per run, with inbound (native → id) and outbound (id → native) maps.
///
/// Transforms look natives up here; nothing in a per-row loop queries a store.
public struct Registry: Sendable {
    public let catalog: Catalog
    private let sourcesByID: [Int: Source]
    private let sourcesByKey: [String: Source]
    private let categoriesByNativeName: [CategoryNameKey: Category]
    private let categoriesByAPICode: [CategoryNameKey: Category]
    private let categoriesByCode: [CategoryCodeKey: Category]
    private let filtersByNative: [FilterNativeKey: Filter]
    private let filtersByID: [Int: Filter]
    private let datasetsByKey: [String: DatasetDefinition]
    /// The kommune indicators in display order: sort order, then key.
    public let indicators: [Indicator]

    private struct CategoryNameKey: Hashable { var source: Int, dim: Int, native: String }
    private struct CategoryCodeKey: Hashable { var source: Int, dim: Int, cat: Int }
    private struct FilterNativeKey: Hashable { var source: Int, axis: FilterAxis, native: String }

    /// Builds the maps; duplicate natives are rejected, as the store's unique keys would.
    /// - Throws: ``CatalogError`` naming the duplicate.
    public init(catalog: Catalog) throws(CatalogError) {
        self.catalog = catalog
        var byID: [Int: Source] = [:]
        var byKey: [String: Source] = [:]
        for s in catalog.sources {
            guard byID.updateValue(s, forKey: s.id) == nil, byKey.updateValue(s, forKey: s.key) == nil else {
                throw CatalogError(file: "sources.csv", line: 0, message: "duplicate source \(s.id) '\(s.key)'")
            }
        }
        sourcesByID = byID
        sourcesByKey = byKey
        var byName: [CategoryNameKey: Category] = [:]
        var byAPI: [CategoryNameKey: Category] = [:]
        var byCode: [CategoryCodeKey: Category] = [:]
        for c in catalog.categories {
            guard byName.updateValue(c, forKey: .init(source: c.sourceID, dim: c.dimCode, native: c.nativeName)) == nil else {
                throw CatalogError(file: "categories.csv", line: 0, message: "duplicate native_name '\(c.nativeName)' in source \(c.sourceID) dim \(c.dimCode)")
            }
            guard byCode.updateValue(c, forKey: .init(source: c.sourceID, dim: c.dimCode, cat: c.catCode)) == nil else {
                throw CatalogError(file: "categories.csv", line: 0, message: "duplicate cat_code \(c.catCode) in source \(c.sourceID) dim \(c.dimCode)")
            }
            byAPI[.init(source: c.sourceID, dim: c.dimCode, native: c.nativeAPICode)] = c
        }
        categoriesByNativeName = byName
        categoriesByAPICode = byAPI
        categoriesByCode = byCode
        var fByNative: [FilterNativeKey: Filter] = [:]
        var fByID: [Int: Filter] = [:]
        for f in catalog.filters {
            guard fByID.updateValue(f, forKey: f.id) == nil else {
                throw CatalogError(file: "filters.csv", line: 0, message: "duplicate filter id \(f.id)")
            }
            guard fByNative.updateValue(f, forKey: .init(source: f.sourceID, axis: f.axis, native: f.nativeCode)) == nil else {
                throw CatalogError(file: "filters.csv", line: 0, message: "duplicate native_code '\(f.nativeCode)' on axis \(f.axis.rawValue) of source \(f.sourceID)")
            }
        }
        filtersByNative = fByNative
        filtersByID = fByID
        var ds: [String: DatasetDefinition] = [:]
        for d in catalog.datasets {
            guard ds.updateValue(d, forKey: d.key) == nil else {
                throw CatalogError(file: "datasets.csv", line: 0, message: "duplicate dataset '\(d.key)'")
            }
        }
        datasetsByKey = ds
        var indicatorKeys = Set<String>()
        for i in catalog.indicators where !indicatorKeys.insert(i.key).inserted {
            throw CatalogError(file: "indicators.csv", line: 0, message: "duplicate indicator '\(i.key)'")
        }
        indicators = catalog.indicators.sorted { ($0.sortOrder, $0.key) < ($1.sortOrder, $1.key) }
    }

    public func source(id: Int) -> Source? { sourcesByID[id] }

    /// The credit line shown wherever a person sees `dataset`'s data: the dataset's own from the catalogue, else its
    /// source's. The one place an attribution is made, for the explorer, the read API and the CLI alike.
    public func attribution(dataset: DatasetDefinition) -> String {
        dataset.attribution ?? source(id: dataset.sourceID)?.attribution ?? "Kilde: ukjent"
    }
    public func source(key: String) -> Source? { sourcesByKey[key] }
    public func dataset(key: String) -> DatasetDefinition? { datasetsByKey[key] }

    /// The indicator `key` names.
    public func indicator(key: String) -> Indicator? { indicators.first { $0.key == key } }

    /// The indicator the map shows when none is asked for: the catalogue's default, else the first; `nil` without any.
    public var defaultIndicator: Indicator? { indicators.first(where: \.isDefault) ?? indicators.first }

    /// Whether facts of `dataset` feed the kommune indicators (so a new materialisation of it rebuilds the mart).
    public func feedsIndicators(dataset: String) -> Bool { indicators.contains { $0.dataset == dataset } }

    /// Inbound: the category an upstream label maps to.
    public func category(source: Int, dim: Int, nativeName: String) -> Category? {
        categoriesByNativeName[.init(source: source, dim: dim, native: nativeName)]
    }

    /// Inbound: the category an upstream API code (e.g. an SSB `ContentsCode`) maps to.
    public func category(source: Int, dim: Int, nativeAPICode: String) -> Category? {
        categoriesByAPICode[.init(source: source, dim: dim, native: nativeAPICode)]
    }

    /// Outbound: the category row for a `cat_code`.
    public func category(source: Int, dim: Int, catCode: Int) -> Category? {
        categoriesByCode[.init(source: source, dim: dim, cat: catCode)]
    }

    /// Inbound: the filter an upstream code maps to on an axis.
    public func filter(source: Int, axis: FilterAxis, nativeCode: String) -> Filter? {
        filtersByNative[.init(source: source, axis: axis, native: nativeCode)]
    }

    /// Outbound: the filter row for a `filters.id`.
    public func filter(id: Int) -> Filter? { filtersByID[id] }

    /// Outbound: the native codes of filter ids on one axis of a source, and the ids that are not such filters.
    public func nativeCodes(ofFilters ids: [Int], source: Int, axis: FilterAxis) -> (codes: [String], unknown: [Int]) {
        var codes: [String] = []
        var unknown: [Int] = []
        for id in ids {
            if let f = filtersByID[id], f.sourceID == source, f.axis == axis { codes.append(f.nativeCode) } else { unknown.append(id) }
        }
        return (codes, unknown)
    }

    /// All filters of a source on one axis, in sort order.
    public func filters(source: Int, axis: FilterAxis) -> [Filter] {
        catalog.filters.filter { $0.sourceID == source && $0.axis == axis }.sorted { ($0.sortOrder, $0.id) < ($1.sortOrder, $1.id) }
    }

    /// All categories of a source on one dimension, in sort order.
    public func categories(source: Int, dim: Int) -> [Category] {
        catalog.categories.filter { $0.sourceID == source && $0.dimCode == dim }.sorted { ($0.sortOrder, $0.catCode) < ($1.sortOrder, $1.catCode) }
    }
}
