import ArgumentParser
import KildeCore
import KildeIngest

/// `kilde plan DATASET|SOURCE [selection…]`: the slices a run would fetch, counted before anything runs.
struct Plan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the slices an ingest would run (count first, then one line per slice), without running it.",
        discussion: """
            The target is a dataset key, or a source key with --characteristic (the dataset of that source whose form row,
            dimension name or code it names, of --grain). The selection is `kilde ingest`'s and the admin ingest's: --years,
            --filter AXIS=TOKENS, --metric. Example: kilde plan brask --characteristic arsak --year 2024 --metric value
            (598 slices: 2 fire types × 23 næringer × 13 bygningsalder brackets); add --filter building_type=0 for 26.
            """)

    @Argument(help: "A dataset key (e.g. brask-arsak) or a source key (e.g. brask) with --characteristic.")
    var target: String

    @Option(name: .long, help: "With a source: the characteristic, e.g. arsak, kilde, bygningsalder (a dataset's row option, or its dimension's name or code).")
    var characteristic: String?

    @Option(name: .long, help: "With a source: the grain of the dataset to plan, year or day (default year).")
    var grain: String = "year"

    @OptionGroup var selection: SelectionOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var upstream: UpstreamOptions

    func run() async throws {
        try await reporting {
            let registry = try store.registry()
            let datasets = try Self.datasets(target, characteristic: characteristic, grain: grain, registry: registry)
            try await withUpstream(upstream, registry: registry) { up in
                for dataset in datasets {
                    let chosen = try selection.resolve(dataset: dataset.key, registry: registry)
                    let slices = try await SlicePlanning.plan(dataset: dataset.key, selection: chosen, registry: registry, upstream: up)
                    if store.json {
                        printOut(CanonicalJSON.object([("dataset", CanonicalJSON.string(dataset.key)), ("count", String(slices.count)),
                                                       ("slices", CanonicalJSON.array(slices.map(\.canonicalJSON)))]) + "\n")
                        continue
                    }
                    printOut("\(dataset.key): \(slices.count) slice\(slices.count == 1 ? "" : "s")\n")
                    for (i, slice) in slices.enumerated() { printOut("\(i + 1)\t\(Self.describe(slice, registry: registry))\n") }
                }
            }
        }
    }

    /// The datasets `target` names: the dataset of that key, or the source's datasets of the characteristic and grain.
    static func datasets(_ target: String, characteristic: String?, grain: String, registry: Registry) throws -> [DatasetDefinition] {
        if let ds = registry.dataset(key: target) {
            guard characteristic == nil else { throw CLIError(.usage, "--characteristic goes with a source key, not the dataset '\(target)'") }
            return [ds]
        }
        guard let source = registry.source(key: target) else {
            throw CLIError(.usage, "'\(target)' is neither a dataset nor a source; see `kilde catalog`")
        }
        guard let wanted = TimeGrain(rawValue: grain) else { throw CLIError(.usage, "--grain must be one of \(TimeGrain.allCases.map(\.rawValue).joined(separator: ", "))") }
        let all = registry.catalog.datasets.filter { $0.sourceID == source.id && $0.grain == wanted }
        guard let characteristic else {
            throw CLIError(.usage, "source '\(target)' needs --characteristic (one of \(all.compactMap { $0.options["row"] ?? String($0.dimCode) }.joined(separator: ", ")))")
        }
        let matching = all.filter { ds in
            let dimension = registry.catalog.dimensions.first { $0.code == ds.dimCode }?.name ?? ""
            return ds.options["row"] == characteristic || String(ds.dimCode) == characteristic || fold(dimension) == fold(characteristic)
        }
        guard !matching.isEmpty else {
            throw CLIError(.usage, "source '\(target)' has no \(grain) dataset for characteristic '\(characteristic)'")
        }
        return matching
    }

    /// Lower case, Norwegian letters as ASCII: `Årsak` → `arsak`.
    static func fold(_ s: String) -> String {
        s.lowercased().replacingOccurrences(of: "å", with: "a").replacingOccurrences(of: "ø", with: "o").replacingOccurrences(of: "æ", with: "ae")
    }

    /// One slice as a line: the metric, each axis's native code and label, the window and table.
    static func describe(_ slice: Slice, registry: Registry) -> String {
        var parts = ["dim \(slice.dimCode)", slice.metric.rawValue]
        for axis in FilterAxis.allCases {
            guard let ids = slice.filters[axis] else { continue }
            let shown = ids.prefix(3).map { id in registry.filter(id: id).map { "\($0.nativeCode) (\($0.nativeName))" } ?? String(id) }
            parts.append("\(axis.rawValue)=\(shown.joined(separator: ","))\(ids.count > 3 ? ",… \(ids.count) values" : "")")
        }
        parts.append(slice.years.map { $0.first == $0.last ? String($0.first) : "\($0.first)-\($0.last)" } ?? "all years")
        parts.append(slice.table.rawValue)
        return parts.joined(separator: "  ")
    }
}
