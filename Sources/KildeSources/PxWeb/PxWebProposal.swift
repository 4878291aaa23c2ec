import KildeCore

/// What `kilde add pxweb` proposes for a PxWeb table, read from its metadata: the dataset with its adapter options,
/// the dimension, the categories (the category variable's codes with label and unit), the region filters mapped
/// onto the region axis with their level and years of use, the time grain and freshness, merged into a catalogue for
/// a person to review. Pure: the caller fetches the metadata and writes the files.
public struct PxWebProposal: Sendable {
    /// Choices a person makes where the metadata cannot tell; `nil` lets the proposal guess (and say so in a note).
    public struct Choices: Sendable {
        public var key: String?
        public var dimCode: Int?
        public var regionVariable: String?
        public var nationalCode: String?
        public var categoryVariable: String?
        public var fixed: [String: String] = [:]
        public var codelists: [String: String] = [:]
        public var isDefault = false

        public init() {}
    }

    /// The catalogue with the proposal merged in.
    public var catalog: Catalog
    public var dataset: DatasetDefinition
    /// What a reviewer should check: every guess, with what was guessed.
    public var notes: [String]
    /// Rows added or changed, per catalogue file, for the summary.
    public var changes: [String: Int]

    /// - Parameters:
    ///   - table: the table id at the source's host.
    ///   - verified: whether the metadata came from the live upstream (the simulator's is not), recorded on categories.
    /// - Throws: ``IngestError`` `.invalidSlice` when the table cannot be placed (no time variable, a key in use, …).
    public static func propose(table: String, source: Source, metadata: PxWebMetadata, into catalog: Catalog, choices: Choices,
                               verified: Bool) throws(IngestError) -> PxWebProposal {
        var catalog = catalog
        var notes: [String] = []
        var changes: [String: Int] = [:]
        let key = choices.key ?? "\(source.key)-\(table.lowercased())"
        func fail(_ message: String) -> IngestError { IngestError(.invalidSlice, dataset: key, message: message) }
        guard !catalog.datasets.contains(where: { $0.key == key }) else { throw fail("the catalogue already has a dataset '\(key)'; choose another key") }
        let codes = metadata.variables.map(\.code)

        guard let time = metadata.variables.first(where: \.isTime) ?? metadata.variable("Tid") else {
            throw fail("table \(table) has no time variable (variables: \(codes.joined(separator: ", ")))")
        }
        guard let categoryCode = choices.categoryVariable ?? (codes.contains("ContentsCode") ? "ContentsCode" : nil),
              let category = metadata.variable(categoryCode) else {
            throw fail("say which variable holds the categories (--category); the table has \(codes.joined(separator: ", "))")
        }
        let regionCode = choices.regionVariable ?? codes.first { $0.lowercased().contains("region") && $0 != categoryCode }
        let region = regionCode.flatMap(metadata.variable)
        if let regionCode, region == nil { throw fail("table \(table) has no variable '\(regionCode)'") }

        // Every other variable is held at one value: the one chosen, else the one that looks like the total.
        var fixed: [(String, String)] = []
        for v in metadata.variables where ![time.code, category.code, region?.code].contains(v.code) {
            if let chosen = choices.fixed[v.code] {
                guard v.codes.contains(chosen) || choices.codelists[v.code] != nil else { throw fail("variable \(v.code) has no value '\(chosen)'") }
                fixed.append((v.code, chosen))
            } else if let total = v.values.first(where: isTotal) ?? v.values.first {
                fixed.append((v.code, total.code))
                if v.values.count > 1 { notes.append("held \(v.code) at '\(total.code)' (\(total.label)); choose another with --fixed \(v.code):CODE") }
            }
        }

        // The dimension: the chosen one, else a new one after the highest code.
        let dimCode = choices.dimCode ?? max(100, (catalog.dimensions.map(\.code).max() ?? 99) + 1)
        if !catalog.dimensions.contains(where: { $0.code == dimCode }) {
            catalog.dimensions.append(Dimension(code: dimCode, name: capitalized(category.label), description: "\(category.label) (\(source.key) \(table))"))
            changes["dimensions.csv", default: 0] += 1
        }
        var nextCat = max(dimCode * 100, catalog.categories.filter { $0.sourceID == source.id && $0.dimCode == dimCode }.map(\.catCode).max() ?? 0)
        var names = Set(catalog.categories.filter { $0.sourceID == source.id && $0.dimCode == dimCode }.map(\.nativeName))
        var sort = 0
        for value in category.values where !catalog.categories.contains(where: { $0.sourceID == source.id && $0.dimCode == dimCode && $0.nativeAPICode == value.code }) {
            nextCat += 1
            sort += 1
            let name = names.contains(value.label) ? "\(value.label) (\(value.code))" : value.label
            names.insert(name)
            catalog.categories.append(Category(sourceID: source.id, dimCode: dimCode, catCode: nextCat, nativeAPICode: value.code, nativeName: name,
                                               name: name, standardCode: nil, sortOrder: sort, isNativeOnly: false, unit: unit(value.unit), verified: verified))
            changes["categories.csv", default: 0] += 1
        }
        if category.values.contains(where: { $0.unit == nil }) {
            notes.append("some \(category.code) values have no unit in the metadata; set `unit` in categories.csv")
        }

        // Regions: the national code is stored as NULL; every other code is a region filter with a level.
        var national = choices.nationalCode
        if let region {
            if national == nil, let whole = region.values.first(where: isWholeCountry) {
                national = whole.code
                notes.append("took \(region.code) '\(whole.code)' (\(whole.label)) as the whole country, stored as region NULL")
            }
            var nextID = (catalog.filters.map(\.id).max() ?? 0) + 1
            var unleveled: [String] = []
            for (i, value) in region.values.enumerated() where value.code != national {
                if let at = catalog.filters.firstIndex(where: { $0.sourceID == source.id && $0.axis == .region && $0.nativeCode == value.code }) {
                    if !catalog.filters[at].applicableDimCodes.contains(dimCode) {
                        catalog.filters[at].applicableDimCodes.append(dimCode)
                        changes["filters.csv", default: 0] += 1
                    }
                    continue
                }
                let (name, from, to) = yearsOfUse(value.label)
                let level = levelOf(value.code)
                if level == nil { unleveled.append(value.code) }
                catalog.filters.append(Filter(id: nextID, sourceID: source.id, axis: .region, nativeCode: value.code, nativeName: name,
                                              standardCode: level == .municipality ? String(value.code.prefix(2)) : level == .county ? value.code : nil,
                                              applicableDimCodes: [dimCode], sortOrder: i, level: level, validFrom: from, validTo: to))
                nextID += 1
                changes["filters.csv", default: 0] += 1
            }
            if !unleveled.isEmpty {
                notes.append("\(unleveled.count) region codes of no known level (e.g. \(unleveled.prefix(5).joined(separator: ", "))); set `level` in filters.csv")
            }
        }

        let grain = time.codes.compactMap(PxWebTime.grain).first ?? .year
        if time.codes.contains(where: { PxWebTime.grain($0) == nil }) {
            notes.append("some \(time.code) codes are neither years, months nor quarters; Kilde cannot store them")
        }
        var options: AdapterOptions = [:]
        if let region { options["region"] = region.code }
        options["national"] = national
        if category.code != "ContentsCode" { options["category"] = category.code }
        if time.code != "Tid" { options["time"] = time.code }
        if !fixed.isEmpty { options["fixed"] = fixed.map { "\($0.0):\($0.1)" }.joined(separator: ",") }
        if !choices.codelists.isEmpty { options["codelist"] = choices.codelists.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: ",") }
        let language = source.options["language"] ?? "en"
        let word = ["no", "nb", "nn", "sv", "da"].contains(language) ? "tabell" : language == "fi" ? "taulukko" : "table"
        let dataset = DatasetDefinition(
            key: key, sourceID: source.id, adapter: "pxweb", tableID: table, title: title(metadata.title, table: table), dimCode: dimCode,
            schedule: "0 6 * * 1", freshnessMonths: [.year: 13, .quarter: 4, .month: 2, .week: 1, .day: 1][grain] ?? 13, isDefault: choices.isDefault,
            options: options, grain: grain, attribution: "\(source.attribution), \(word) \(table)")
        catalog.datasets.append(dataset)
        changes["datasets.csv", default: 0] += 1
        return PxWebProposal(catalog: catalog, dataset: dataset, notes: notes, changes: changes)
    }

    /// A value that looks like the total of its variable (`I alt`, `totalt`, `TotSa`, …).
    static func isTotal(_ v: PxWebMetadata.Variable.Value) -> Bool {
        let label = v.label.lowercased(), code = v.code.lowercased()
        return ["i alt", "totalt", "total", "alle", "samtliga", "both sexes", "begge kjønn"].contains { label.hasPrefix($0) }
            || ["tot", "totsa", "total", "all"].contains(code)
    }

    /// A region value that looks like the whole country.
    static func isWholeCountry(_ v: PxWebMetadata.Variable.Value) -> Bool {
        let label = v.label.lowercased()
        return ["0", "00", "EAK"].contains(v.code) || ["hele landet", "heile landet", "riket", "whole country", "landet i alt"].contains(label)
    }

    /// The level a region code of digits suggests: 2 digits a county, 4 a municipality; `nil` otherwise.
    static func levelOf(_ code: String) -> RegionLevel? {
        guard code.allSatisfy(\.isNumber) else { return nil }
        switch code.count {
        case 2: return .county
        case 4: return .municipality
        default: return nil
        }
    }

    /// SSB labels codes no longer (or not yet) in use with their years: `Halden (2020-2023)`, `Halden (-2019)`,
    /// `Halden (2024-)`. Returns the name without them and the years.
    static func yearsOfUse(_ label: String) -> (name: String, from: Int?, to: Int?) {
        guard label.hasSuffix(")"), let open = label.lastIndex(of: "(") else { return (label, nil, nil) }
        let inner = label[label.index(after: open)..<label.index(before: label.endIndex)]
        let parts = inner.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.isEmpty || ($0.count == 4 && $0.allSatisfy(\.isNumber)) }), !(parts[0].isEmpty && parts[1].isEmpty) else {
            return (label, nil, nil)
        }
        let name = String(label[..<open]).trimmingSuffix(" ")
        return (name, Int(parts[0]), Int(parts[1]))
    }

    /// The unit words PxWeb hosts use, as the catalogue's (`count`, `percent`), or the host's own word.
    static func unit(_ word: String?) -> String? {
        guard let word else { return nil }
        switch word.lowercased() {
        case "prosent", "procent", "percent", "%": return "percent"
        case "personer", "antall", "antal", "number", "persons", "stk", "count": return "count"
        default: return word
        }
    }

    static func capitalized(_ s: String) -> String { s.prefix(1).uppercased() + s.dropFirst() }

    /// The metadata's title without the leading `TABLE: ` SSB puts there.
    static func title(_ title: String?, table: String) -> String {
        guard let title else { return table }
        return title.hasPrefix("\(table): ") ? String(title.dropFirst(table.count + 2)) : title
    }
}

private extension String {
    func trimmingSuffix(_ c: Character) -> String {
        var s = Substring(self)
        while s.last == c { s = s.dropLast() }
        return String(s)
    }
}
