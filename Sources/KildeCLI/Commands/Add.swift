import ArgumentParser
import Foundation
import KildeCatalog
import KildeCore
import KildeIngest
import KildeSources

/// `kilde add`: propose catalogue rows for a new dataset from its upstream's metadata.
struct Add: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Add a dataset to the catalogue from its upstream's metadata, for review.",
        subcommands: [AddPxWeb.self])
}

struct AddPxWeb: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pxweb",
        abstract: "Add a PxWeb table (SSB or any PxWeb host in sources.csv) to the catalogue, no Swift.",
        discussion: """
            Reads the table's metadata and writes to the catalogue files in --catalog DIR (a copy of the shipped catalogue
            is made there first when DIR is new): the dataset with its adapter options, a dimension, the categories (the
            category variable's codes with label and unit), the region filters with their level and years of use, the time
            grain and freshness. It prints every guess for you to review; use the same --catalog (or KILDE_CATALOG) to ingest.
            Example: kilde add pxweb 05300 --category Avstand1 --fixed Kulturtilbud:01 --catalog ./catalog
                     kilde add pxweb https://statistikdatabasen.scb.se/api/v2/tables/TAB6471 --category Alder --catalog ./catalog
            """)

    @Argument(help: "A table id at --source's host, or the table's v2 URL (its host names the source).")
    var table: String

    @Option(name: .long, help: "The catalogue source the table is at (default: ssb, or the one whose URL the table URL starts with).")
    var source: String?

    @Option(name: .long, help: "Dataset key (default SOURCE-TABLE).")
    var key: String?

    @Option(name: .long, help: "The variable holding the categories (default ContentsCode).")
    var category: String?

    @Option(name: .long, help: "The variable mapped onto the region axis (default: one named like Region).")
    var region: String?

    @Option(name: .long, help: "The region code of the whole country, stored as region NULL (default: guessed: 0, 00, EAK, 'Hele landet').")
    var national: String?

    @Option(name: .long, help: ArgumentHelp("Hold a variable at one value, VAR:CODE. Repeatable.", valueName: "var:code"))
    var fixed: [String] = []

    @Option(name: .long, help: ArgumentHelp("Take a variable's values from a code list, VAR:ID. Repeatable.", valueName: "var:id"))
    var codelist: [String] = []

    @Option(name: .long, help: "The dimension code (default: a new one).")
    var dim: Int?

    @Flag(name: .long, help: "Ingest the dataset with `kilde up`.")
    var makeDefault = false

    @Flag(name: .long, help: "Print the proposal without writing it.")
    var dryRun = false

    @OptionGroup var store: StoreOptions
    @OptionGroup var upstream: UpstreamOptions

    func run() async throws {
        try await reporting {
            guard let dir = (store.catalog ?? ProcessInfo.processInfo.environment["KILDE_CATALOG"]).map({ URL(fileURLWithPath: $0) }) else {
                throw CLIError(.usage, "kilde add writes to a catalogue directory: pass --catalog DIR (a copy of the shipped catalogue is made there when it is new) and use the same --catalog or KILDE_CATALOG afterwards")
            }
            if !dryRun { try CatalogFiles.prepare(dir) }
            let registry = try store.registry()
            try await withUpstream(upstream, registry: registry) { up in try await add(registry: registry, upstream: up, into: dir) }
        }
    }

    func add(registry: Registry, upstream up: Upstream, into dir: URL) async throws {
            let (src, tableID) = try locate(registry: registry, upstream: up)
            var choices = PxWebProposal.Choices()
            choices.key = key
            choices.dimCode = dim
            choices.regionVariable = region
            choices.nationalCode = national
            choices.categoryVariable = category
            choices.fixed = try pairs(fixed, "--fixed")
            choices.codelists = try pairs(codelist, "--codelist")
            choices.isDefault = makeDefault
            let host = try PxWebHost(source: src, upstream: up, dataset: key ?? tableID)
            var read = try await CatalogCheck.converse(host.metadataConversation(table: tableID, dataset: key ?? tableID), upstream: up,
                                                       dataset: key ?? tableID, source: src.key)
            // A variable read through a code list takes the list's values, not its own.
            for (variable, id) in choices.codelists {
                guard let at = read.metadata.variables.firstIndex(where: { $0.code == variable }) else { continue }
                let values = try await CatalogCheck.converse(RequestSequence([host.codelistRequest(id: id)]) { (r) throws(IngestError) in
                    try PxWebMetadata.codelistValues(r.first?.body ?? [], dataset: key ?? tableID)
                }, upstream: up, dataset: key ?? tableID, source: src.key)
                read.metadata.variables[at].values = values
            }
            let proposal = try PxWebProposal.propose(table: tableID, source: src, metadata: read.metadata, into: registry.catalog, choices: choices,
                                                     verified: !read.isDemo)
            // The proposal must load and make an adapter, as an ingest will.
            let proposed = try Registry(catalog: proposal.catalog)
            _ = try AdapterKinds.builtIn.adapter(for: proposal.dataset, registry: proposed, upstream: up)
            let d = proposal.dataset
            printOut("\(dryRun ? "Would add" : "Added") dataset \(d.key): \(d.title)\n  adapter pxweb, options \(d.options), grain \(d.grain.rawValue), dimension \(d.dimCode), freshness \(d.freshnessMonths) months\n")
            for (file, n) in proposal.changes.sorted(by: { $0.key < $1.key }) { printOut("  \(file): \(n) row\(n == 1 ? "" : "s") added or changed\n") }
            if read.isDemo { printOut("  The metadata came from the simulator: the categories are marked unverified.\n") }
            for note in proposal.notes { printOut("  review: \(note)\n") }
            guard !dryRun else { return }
            try CatalogFiles.write(proposal.catalog, to: dir)
            printOut("Written to \(dir.path). Ingest it with: kilde ingest \(d.key) --catalog \(dir.path)\n")
    }

    /// The source and table id named by the argument: a URL's host picks the source whose base URL it starts with.
    func locate(registry: Registry, upstream: Upstream) throws -> (Source, String) {
        if table.contains("://") {
            guard let url = URL(string: table) else { throw CLIError(.usage, "'\(table)' is not a URL") }
            let parts = url.path.split(separator: "/").map(String.init)
            guard let i = parts.firstIndex(of: "tables"), i + 1 < parts.count else {
                throw CLIError(.usage, "a PxWeb v2 table URL has /tables/ID in its path, not \(url.path)")
            }
            // The source whose base URL the table URL starts with; the longest wins (a simulator serves several).
            let candidates = registry.catalog.sources.filter { source in
                table.hasPrefix(upstream.baseURL(of: source) + "/") && (self.source == nil || source.key == self.source)
            }
            guard let src = candidates.max(by: { upstream.baseURL(of: $0).count < upstream.baseURL(of: $1).count }) else {
                throw CLIError(.usage, "no source in the catalogue is at \(url.host ?? table); add it to sources.csv (url, rate_limit_per_minute, options api=v2;language=…)")
            }
            return (src, parts[i + 1])
        }
        let key = source ?? "ssb"
        guard let src = registry.source(key: key) else { throw CLIError(.usage, "no source '\(key)' in the catalogue") }
        return (src, table)
    }

    func pairs(_ items: [String], _ option: String) throws -> [String: String] {
        var out: [String: String] = [:]
        for item in items {
            let p = item.split(separator: ":", maxSplits: 1).map(String.init)
            guard p.count == 2 else { throw CLIError(.usage, "\(option) takes VAR:VALUE, not '\(item)'") }
            out[p[0]] = p[1]
        }
        return out
    }
}
