extension CSVTable {
    /// The table as CSV text: a header row, then one line per row; a field with a comma, a quote or a line break is
    /// quoted, with quotes doubled (RFC 4180, as ``init(name:text:)`` reads it).
    public var text: String {
        ([header] + rows).map { row in row.map(Self.quoted).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return field }
        var out = "\""
        for ch in field {
            if ch == "\"" { out += "\"\"" } else { out.append(ch) }
        }
        return out + "\""
    }
}

extension Catalog {
    /// The catalogue as the text of its CSV files, keyed by file name: what ``init(csvFiles:)`` reads back as an equal
    /// catalogue. Rows keep their order; every column is written, optional ones empty.
    public var csvFiles: [String: String] {
        func yes(_ b: Bool) -> String { b ? "true" : "false" }
        func opt(_ i: Int?) -> String { i.map(String.init) ?? "" }
        let tables = [
            CSVTable(name: "sources.csv", header: ["source_id", "key", "name", "publisher", "attribution", "url", "supports_subyear", "rate_limit_per_minute", "options"],
                     rows: sources.map { [String($0.id), $0.key, $0.name, $0.publisher, $0.attribution, $0.url, yes($0.supportsSubyear), opt($0.rateLimitPerMinute),
                                          $0.options.description] }),
            CSVTable(name: "dimensions.csv", header: ["dim_code", "name", "description"], rows: dimensions.map { [String($0.code), $0.name, $0.description] }),
            CSVTable(name: "categories.csv",
                     header: ["source_id", "dim_code", "cat_code", "native_api_code", "native_name", "name", "standard_code", "sort_order", "is_native_only", "unit", "verified"],
                     rows: categories.map { [String($0.sourceID), String($0.dimCode), String($0.catCode), $0.nativeAPICode, $0.nativeName, $0.name,
                                             $0.standardCode ?? "", String($0.sortOrder), yes($0.isNativeOnly), $0.unit ?? "", yes($0.verified)] }),
            CSVTable(name: "filters.csv",
                     header: ["id", "source_id", "axis", "native_code", "native_name", "standard_code", "applicable_dim_codes", "sort_order", "level", "valid_from", "valid_to"],
                     rows: filters.map { [String($0.id), String($0.sourceID), $0.axis.rawValue, $0.nativeCode, $0.nativeName, $0.standardCode ?? "",
                                          $0.applicableDimCodes.map(String.init).joined(separator: ";"), String($0.sortOrder), $0.level?.rawValue ?? "",
                                          opt($0.validFrom), opt($0.validTo)] }),
            CSVTable(name: "datasets.csv",
                     header: ["key", "source_id", "adapter", "table_id", "title", "dim_code", "schedule", "freshness_months", "default", "options", "grain", "attribution"],
                     rows: datasets.map { [$0.key, String($0.sourceID), $0.adapter, $0.tableID, $0.title, String($0.dimCode), $0.schedule, String($0.freshnessMonths),
                                           yes($0.isDefault), $0.options.description, $0.grain.rawValue, $0.attribution ?? ""] }),
            CSVTable(name: "indicators.csv", header: ["key", "dataset", "cat_code", "filters", "unit", "title", "sort_order", "default"],
                     rows: indicators.map { i in
                         let filters = i.filters.sorted { $0.key < $1.key }.map { "\($0.key.rawValue)=\($0.value)" }.joined(separator: ";")
                         return [i.key, i.dataset, String(i.catCode), filters, i.unit, i.title, String(i.sortOrder), yes(i.isDefault)]
                     }),
        ]
        return Dictionary(uniqueKeysWithValues: tables.map { ($0.name, $0.text) })
    }
}
