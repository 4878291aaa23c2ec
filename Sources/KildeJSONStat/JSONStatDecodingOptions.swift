/// Options for ``JSONStat`` decoding.
public struct JSONStatDecodingOptions: Sendable {
    /// Whether a dataset may carry `value: []` although its dimensions span cells.
    ///
    /// PxWebApi 2 (`/tables/{id}/metadata`) and SSB return table metadata that way;
    /// such datasets decode with ``JSONStatDataset/isMetadataOnly`` set and every cell
    /// missing. When `false` they fail with ``JSONStatError/Code-swift.enum/missingValues``.
    /// Defaults to `true`.
    public var allowsMetadataOnly: Bool = true

    /// The largest cell count (product of the sizes) accepted; larger datasets fail with
    /// ``JSONStatError/Code-swift.enum/tooManyCells``. Defaults to `Int.max` (only overflow fails).
    ///
    /// Dense values can never exceed what the document holds, but a metadata-only or sparse
    /// document can declare a huge cube; set a limit when cells are iterated afterwards.
    public var maximumCellCount: Int = .max

    /// Creates the default options.
    public init() {}

    /// The defaults: metadata-only datasets are accepted.
    public static let `default` = JSONStatDecodingOptions()

    /// For data responses: every dataset must carry its values.
    public static let requireValues: JSONStatDecodingOptions = {
        var options = JSONStatDecodingOptions()
        options.allowsMetadataOnly = false
        return options
    }()
}
