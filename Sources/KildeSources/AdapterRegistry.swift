import KildeCore

/// Finds the adapter for a catalogue dataset by its `adapter` column.
public enum AdapterRegistry {
    /// The adapter for `dataset`.
    /// - Throws: ``IngestError`` `.unknownDataset` when no adapter has that name.
    public static func adapter(for dataset: DatasetDefinition) throws(IngestError) -> any DatasetAdapter {
        switch dataset.adapter {
        case "pxweb":
            guard let region = dataset.options["region"], let national = dataset.options["national"] else {
                throw IngestError(.invalidSlice, dataset: dataset.key, message: "a pxweb dataset needs the options region and national")
            }
            return SSBAdapter(dataset: dataset, table: SSBTable(tableID: dataset.tableID, regionVariable: region, nationalCode: national))
        default: throw IngestError(.unknownDataset, dataset: dataset.key, message: "no adapter kind named '\(dataset.adapter)'")
        }
    }

    /// Adapter names this build knows.
    public static let names = ["pxweb"]
}
