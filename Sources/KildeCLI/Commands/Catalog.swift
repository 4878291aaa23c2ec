import Foundation
import ArgumentParser
import KildeCore
import KildeIngest

struct CatalogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog", abstract: "Show the catalogue: sources, datasets, dimensions, categories and filters; --check validates it.",
        discussion: """
            --check loads the catalogue (its files and references), makes every dataset's adapter from its options and, unless
            --offline, reads each table's metadata from its upstream and reports the codes the catalogue names that the upstream
            no longer offers. Exit code 1 when it finds a problem; an upstream that cannot be reached is said, not a problem.
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var upstream: UpstreamOptions

    @Flag(name: .long, help: "Validate the catalogue (and, unless --offline, check its codes against the upstreams).")
    var check = false

    @Flag(name: .long, help: "With --check: do not ask the upstreams.")
    var offline = false

    func run() async throws {
        try await reporting {
            let registry = try store.registry()
            if check { return try await runCheck(registry) }
            let c = registry.catalog
            let format: OutputFormat = store.json ? .json : .table
            if store.json {
                // The catalogue's own types, so a code such as 08764 stays a string and a count a number.
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                printOut(String(decoding: try encoder.encode(c), as: UTF8.self) + "\n")
                return
            }
            printOut("Sources\n")
            printOut(TextTable(header: ["id", "key", "name", "attribution"], rows: c.sources.map { [String($0.id), $0.key, $0.name, $0.attribution] }).render(format))
            printOut("\nDatasets\n")
            printOut(TextTable(header: ["key", "source", "adapter", "table", "dim", "grain", "default", "title"],
                               rows: c.datasets.map { [$0.key, registry.source(id: $0.sourceID)?.key ?? "", $0.adapter, $0.tableID, String($0.dimCode), $0.grain.rawValue,
                                                       $0.isDefault ? "yes" : "", $0.title] }).render(format))
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

    func runCheck(_ registry: Registry) async throws {
        // A check asks once per table: an upstream that does not answer is reported, not waited for.
        let reports = try await withUpstream(upstream, registry: registry, attempts: 2) { up in
            await CatalogCheck.run(registry: registry, upstream: up, online: !offline)
        }
        let c = registry.catalog
        printOut("Catalogue: \(c.sources.count) sources, \(c.datasets.count) datasets, \(c.dimensions.count) dimensions, \(c.categories.count) categories, \(c.filters.count) filters: the files load\n")
        for r in reports {
            let state = r.hasProblems ? "PROBLEM" : r.offline != nil ? "not checked online" : "ok"
            printOut("\(r.dataset): \(state)\(r.offline.map { " (\($0))" } ?? "")\n")
            for f in r.findings { printOut("  \(f)\n") }
        }
        if reports.contains(where: \.hasProblems) { throw ExitCode(1) }
    }
}
