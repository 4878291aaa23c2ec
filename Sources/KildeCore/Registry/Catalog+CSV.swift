extension Catalog {
    /// The catalogue file names, in load order.
    public static let fileNames = ["sources.csv", "dimensions.csv", "categories.csv", "filters.csv", "datasets.csv", "indicators.csv"]

    /// Files a catalogue directory may lack: catalogues written before they existed still load (without indicators,
    /// the map has nothing to draw).
    public static let optionalFileNames: Set<String> = ["indicators.csv"]

    /// Builds a catalogue from the text of its CSV files, keyed by file name (see ``fileNames``).
    ///
    /// The files are documented in `Sources/KildeCatalog/catalog/README.md`.
    /// - Throws: ``CatalogError`` naming the file and line of the first bad row, or a reference
    ///   (e.g. a category of an unknown source) that does not resolve.
    public init(csvFiles: [String: String]) throws(CatalogError) {
        func table(_ name: String) throws(CatalogError) -> CSVTable {
            guard let text = csvFiles[name] else { throw CatalogError(file: name, line: 0, message: "file missing") }
            return try CSVTable(name: name, text: text)
        }
        let sources = try table("sources.csv").map { (r) throws(CatalogError) in
            Source(
                id: try r.int("source_id"), key: try r.string("key"), name: try r.string("name"),
                publisher: try r.string("publisher"), attribution: try r.string("attribution"),
                url: try r.string("url"), supportsSubyear: try r.bool("supports_subyear"),
                rateLimitPerMinute: try r.optionalInt("rate_limit_per_minute"), options: try r.options("options"))
        }
        let dimensions = try table("dimensions.csv").map { (r) throws(CatalogError) in
            Dimension(code: try r.int("dim_code"), name: try r.string("name"), description: try r.string("description"))
        }
        let categories = try table("categories.csv").map { (r) throws(CatalogError) in
            Category(
                sourceID: try r.int("source_id"), dimCode: try r.int("dim_code"), catCode: try r.int("cat_code"),
                nativeAPICode: try r.string("native_api_code"), nativeName: try r.string("native_name"),
                name: try r.string("name"), standardCode: try r.optionalString("standard_code"),
                sortOrder: try r.int("sort_order"), isNativeOnly: try r.bool("is_native_only"),
                unit: r.optionalColumn("unit"), verified: r.optionalColumn("verified") == nil ? true : try r.bool("verified"))
        }
        let filters = try table("filters.csv").map { (r) throws(CatalogError) in
            let axisText = try r.string("axis")
            guard let axis = FilterAxis(rawValue: axisText) else {
                throw CatalogError(file: r.file, line: r.line, message: "unknown axis '\(axisText)'")
            }
            return Filter(
                id: try r.int("id"), sourceID: try r.int("source_id"), axis: axis,
                nativeCode: try r.string("native_code"), nativeName: try r.string("native_name"),
                standardCode: try r.optionalString("standard_code"),
                applicableDimCodes: try r.intList("applicable_dim_codes"), sortOrder: try r.int("sort_order"),
                level: try r.optionalEnum("level", RegionLevel.self), validFrom: try r.optionalInt("valid_from"), validTo: try r.optionalInt("valid_to"))
        }
        let datasets = try table("datasets.csv").map { (r) throws(CatalogError) in
            DatasetDefinition(
                key: try r.string("key"), sourceID: try r.int("source_id"), adapter: try r.string("adapter"),
                tableID: try r.string("table_id"), title: try r.string("title"), dimCode: try r.int("dim_code"),
                schedule: try r.string("schedule"), freshnessMonths: try r.int("freshness_months"),
                isDefault: try r.bool("default"), options: try r.options("options"),
                grain: try r.optionalEnum("grain", TimeGrain.self) ?? .year, attribution: r.optionalColumn("attribution"))
        }
        let indicators: [Indicator] = csvFiles["indicators.csv"] == nil ? [] : try table("indicators.csv").map { (r) throws(CatalogError) -> Indicator in
            let key = try r.string("key"), dataset = try r.string("dataset"), catCode = try r.int("cat_code")
            var fixed: [FilterAxis: String] = [:]
            for (name, code) in try r.options("filters").values {
                guard let axis = FilterAxis(rawValue: name), axis != .region else {
                    throw CatalogError(file: r.file, line: r.line, message: "'\(name)' is not a filter axis other than region")
                }
                fixed[axis] = code
            }
            // The category's unit unless the indicator names one.
            let category = datasets.first { $0.key == dataset }.flatMap { d in
                categories.first { $0.sourceID == d.sourceID && $0.dimCode == d.dimCode && $0.catCode == catCode }
            }
            guard let unit = r.optionalColumn("unit") ?? category?.unit else {
                throw CatalogError(file: r.file, line: r.line, message: "indicator '\(key)' has no unit, nor has its category")
            }
            return Indicator(key: key, dataset: dataset, catCode: catCode, filters: fixed, unit: unit,
                             title: try r.string("title"), sortOrder: try r.int("sort_order"), isDefault: try r.bool("default"))
        }
        self.init(sources: sources, dimensions: dimensions, categories: categories, filters: filters, datasets: datasets, indicators: indicators)
        try validateReferences()
        try validateIndicators()
    }

    /// Checks that every row refers to a known source and dimension, so a typo fails at load, not at ingest.
    func validateReferences() throws(CatalogError) {
        let sourceIDs = Set(sources.map(\.id))
        let dimCodes = Set(dimensions.map(\.code))
        for (i, c) in categories.enumerated() {
            if !sourceIDs.contains(c.sourceID) { throw CatalogError(file: "categories.csv", line: i + 2, message: "unknown source_id \(c.sourceID)") }
            if !dimCodes.contains(c.dimCode) { throw CatalogError(file: "categories.csv", line: i + 2, message: "unknown dim_code \(c.dimCode)") }
        }
        for (i, f) in filters.enumerated() {
            if !sourceIDs.contains(f.sourceID) { throw CatalogError(file: "filters.csv", line: i + 2, message: "unknown source_id \(f.sourceID)") }
            for d in f.applicableDimCodes where !dimCodes.contains(d) {
                throw CatalogError(file: "filters.csv", line: i + 2, message: "unknown applicable dim_code \(d)")
            }
        }
        for (i, d) in datasets.enumerated() {
            if !sourceIDs.contains(d.sourceID) { throw CatalogError(file: "datasets.csv", line: i + 2, message: "unknown source_id \(d.sourceID)") }
            if !dimCodes.contains(d.dimCode) { throw CatalogError(file: "datasets.csv", line: i + 2, message: "unknown dim_code \(d.dimCode)") }
        }
    }
}

extension Catalog {
    /// Checks that every indicator reads a stored category of a yearly dataset through filters that apply to it, and
    /// that at most one is the map's default: a typo fails at load, not as an empty map.
    func validateIndicators() throws(CatalogError) {
        var defaults = 0
        for (i, indicator) in indicators.enumerated() {
            func fail(_ message: String) -> CatalogError {
                CatalogError(file: "indicators.csv", line: i + 2, message: "indicator '\(indicator.key)': \(message)")
            }
            guard let d = datasets.first(where: { $0.key == indicator.dataset }) else { throw fail("unknown dataset '\(indicator.dataset)'") }
            guard d.grain == .year else { throw fail("dataset '\(d.key)' is not yearly; the mart reads yearly facts") }
            guard let c = categories.first(where: { $0.sourceID == d.sourceID && $0.dimCode == d.dimCode && $0.catCode == indicator.catCode }),
                  !c.isNativeOnly else {
                throw fail("no stored category \(indicator.catCode) in dimension \(d.dimCode) of source \(d.sourceID)")
            }
            for (axis, code) in indicator.filters {
                guard let f = filters.first(where: { $0.sourceID == d.sourceID && $0.axis == axis && $0.nativeCode == code }),
                      f.applicableDimCodes.contains(d.dimCode) else {
                    throw fail("no \(axis.rawValue) filter '\(code)' of source \(d.sourceID) applies to dimension \(d.dimCode)")
                }
            }
            if indicator.isDefault { defaults += 1 }
            if defaults > 1 { throw fail("a second default; the map has one") }
        }
    }
}
