import KildeCore

/// Finds the adapter for a catalogue dataset by its `adapter` column.
public enum AdapterRegistry {
    /// The adapter for `dataset`.
    /// - Throws: ``IngestError`` `.unknownDataset` when no adapter has that name.
    public static func adapter(for dataset: DatasetDefinition) throws(IngestError) -> any DatasetAdapter {
        switch dataset.adapter {
        case "ssb-12058": return SSBAdapter(dataset: dataset, table: .fires12058)
        case "ssb-08764": return SSBAdapter(dataset: dataset, table: .lowIncomeChildren08764)
        default: throw IngestError(.unknownDataset, dataset: dataset.key, message: "no adapter named '\(dataset.adapter)'")
        }
    }

    /// Adapter names this build knows.
    public static let names = ["ssb-12058", "ssb-08764"]
}
