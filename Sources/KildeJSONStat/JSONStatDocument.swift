/// A decoded JSON-stat document: one dataset, a collection or a 1.x bundle.
public struct JSONStatDocument: Sendable {
    /// The shape of the document.
    public enum Kind: Sendable {
        /// A single dataset: 2.0 `class: dataset`, or a 1.x dataset object.
        case dataset
        /// A 2.0 `class: collection`; its embedded datasets (also from nested collections) are flattened.
        case collection
        /// A 1.x bundle: a top-level object whose members are datasets keyed by name.
        case bundle
    }

    /// The shape of the document.
    public var kind: Kind
    /// The datasets, flattened, in document order. Collection items that only link to a dataset
    /// elsewhere (no embedded `dimension`) are not included.
    public var datasets: [JSONStatDataset]
    /// The top-level `version`, when given.
    public var version: String?
    /// The top-level `label` of a collection (or of the single dataset), when given.
    public var label: String?

    /// Creates a document.
    public init(kind: Kind, datasets: [JSONStatDataset], version: String? = nil, label: String? = nil) {
        self.kind = kind
        self.datasets = datasets
        self.version = version
        self.label = label
    }
}
