import KildeCore

/// A kind of upstream (`pxweb`, `bris`; `brask`, `tabular` later): it makes the adapter of every catalogue
/// dataset whose `adapter` column names it, from the dataset's and its source's options.
public protocol AdapterKind: Sendable {
    /// The name the catalogue's `adapter` column uses.
    var name: String { get }

    /// The adapter for `dataset`.
    /// - Throws: ``IngestError`` `.invalidSlice` naming the option that is missing or malformed.
    func adapter(for dataset: DatasetDefinition, source: Source, registry: Registry, upstream: Upstream) throws(IngestError) -> any DatasetAdapter
}

/// The adapter kinds a pipeline knows, by name: an open registry, so a kind (or a test's) is added without
/// touching a switch.
public struct AdapterKinds: Sendable {
    private var kinds: [String: any AdapterKind]

    public init(_ kinds: [any AdapterKind]) {
        self.kinds = Dictionary(kinds.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// The kinds this build ships.
    public static let builtIn = AdapterKinds([PxWebKind(), BRISKind(), BRASKKind()])

    /// These kinds and `kind` (replacing one of the same name).
    public func adding(_ kind: any AdapterKind) -> AdapterKinds {
        var k = self
        k.kinds[kind.name] = kind
        return k
    }

    /// Names of the known kinds, sorted.
    public var names: [String] { kinds.keys.sorted() }

    /// The adapter for a catalogue dataset.
    /// - Throws: ``IngestError`` `.unknownDataset` when no kind has the dataset's `adapter` name or its source is
    ///   missing; the kind's own error when its options are wrong.
    public func adapter(for dataset: DatasetDefinition, registry: Registry, upstream: Upstream) throws(IngestError) -> any DatasetAdapter {
        guard let kind = kinds[dataset.adapter] else {
            throw IngestError(.unknownDataset, dataset: dataset.key,
                              message: "no adapter kind named '\(dataset.adapter)' (this build knows \(names.joined(separator: ", ")))")
        }
        guard let source = registry.source(id: dataset.sourceID) else {
            throw IngestError(.unknownDataset, dataset: dataset.key, message: "source \(dataset.sourceID) is missing from the catalogue")
        }
        // Checked once for every kind: a daily dataset of a source that serves years only (its `supports_subyear`)
        // is refused before anything is asked, however the kind would have spelled the request.
        if dataset.grain.isSubyear && !source.supportsSubyear {
            throw IngestError(.grainNotSupported, dataset: dataset.key,
                              message: "source '\(source.key)' serves yearly data only (supports_subyear=false); grain \(dataset.grain.rawValue) is not offered")
        }
        return try kind.adapter(for: dataset, source: source, registry: registry, upstream: upstream)
    }
}
