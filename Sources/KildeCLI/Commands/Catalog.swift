import Foundation
import ArgumentParser
import KildeCore

struct CatalogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "catalog", abstract: "Show the catalogue: sources, datasets, dimensions, categories and filters.")

    @OptionGroup var store: StoreOptions

    func run() async throws {
        try await reporting {
            let registry = try store.registry()
            let c = registry.catalog
            let format: OutputFormat = store.json ? .json : .table
            if store.json {
                let parts = [
                    TextTable(header: ["source_id", "key", "name", "publisher", "attribution", "url"],
                              rows: c.sources.map { [String($0.id), $0.key, $0.name, $0.publisher, $0.attribution, $0.url] }),
                    TextTable(header: ["key", "source_id", "table_id", "title", "dim_code", "schedule", "freshness_months", "default"],
                              rows: c.datasets.map { [$0.key, String($0.sourceID), $0.tableID, $0.title, String($0.dimCode), $0.schedule, String($0.freshnessMonths), String($0.isDefault)] }),
                    TextTable(header: ["source_id", "dim_code", "cat_code", "native_api_code", "native_name", "name", "standard_code", "is_native_only"],
                              rows: c.categories.map { [String($0.sourceID), String($0.dimCode), String($0.catCode), $0.nativeAPICode, $0.nativeName, $0.name, $0.standardCode ?? "", String($0.isNativeOnly)] }),
                    TextTable(header: ["id", "source_id", "axis", "native_code", "native_name", "standard_code"],
                              rows: c.filters.map { [String($0.id), String($0.sourceID), $0.axis.rawValue, $0.nativeCode, $0.nativeName, $0.standardCode ?? ""] }),
                ].map { $0.render(.json).trimmingCharacters(in: .whitespacesAndNewlines) }
                printOut("{\"sources\":\(parts[0]),\"datasets\":\(parts[1]),\"categories\":\(parts[2]),\"filters\":\(parts[3])}\n")
                return
            }
            printOut("Sources\n")
            printOut(TextTable(header: ["id", "key", "name", "attribution"], rows: c.sources.map { [String($0.id), $0.key, $0.name, $0.attribution] }).render(format))
            printOut("\nDatasets\n")
            printOut(TextTable(header: ["key", "source", "table", "dim", "default", "title"],
                               rows: c.datasets.map { [$0.key, registry.source(id: $0.sourceID)?.key ?? "", $0.tableID, String($0.dimCode), $0.isDefault ? "yes" : "", $0.title] }).render(format))
            printOut("\nDimensions\n")
            printOut(TextTable(header: ["dim", "name", "description"], rows: c.dimensions.map { [String($0.code), $0.name, $0.description] }).render(format))
            printOut("\nCategories\n")
            printOut(TextTable(header: ["source", "dim", "cat", "native_api_code", "name", "standard_code", "native_only"],
                               rows: c.categories.map { [registry.source(id: $0.sourceID)?.key ?? "", String($0.dimCode), String($0.catCode), $0.nativeAPICode, $0.name, $0.standardCode ?? "", $0.isNativeOnly ? "yes" : ""] }).render(format))
            printOut("\nFilters\n")
            var counts: [String: Int] = [:]
            for f in c.filters { counts["\(registry.source(id: f.sourceID)?.key ?? "?")\t\(f.axis.rawValue)", default: 0] += 1 }
            printOut(TextTable(header: ["source", "axis", "filters"], rows: counts.sorted { $0.key < $1.key }.map { k, n in
                let p = k.split(separator: "\t").map(String.init)
                return [p[0], p[1], String(n)]
            }).render(format))
        }
    }
}
