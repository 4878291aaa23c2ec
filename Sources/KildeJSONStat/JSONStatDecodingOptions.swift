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

    /// Whether `value` may hold strings beside numbers and `null` (JSON-stat 2.0 allows them).
    ///
    /// Accepted string cells are read with ``JSONStatDataset/cellValue(at:)`` and
    /// ``JSONStatDataset/forEachCellValue(includingMissing:_:)``, counted in
    /// ``JSONStatDataset/stringCount``, and refused by ``JSONStatDataset/requireNumericValues()``.
    /// When `false`, a dataset with a string cell fails with ``JSONStatError/Code-swift.enum/nonNumericValue``
    /// naming the first one. Defaults to `true`.
    public var allowsStringValues: Bool = true

    /// Whether `dimension` may hold a dimension that `id` does not list.
    ///
    /// PxWeb leaves an eliminated variable (such as a contents variable with one category)
    /// in `dimension` but not in `id`. Such a dimension takes no part in cell coordinates; it is
    /// kept in ``JSONStatDataset/unlistedDimensions``. When `false`, it fails with
    /// ``JSONStatError/Code-swift.enum/unlistedDimension``. Defaults to `true`.
    public var allowsUnlistedDimensions: Bool = true

    /// Creates the default options.
    public init() {}

    /// The defaults: metadata-only datasets, string values and unlisted dimensions are accepted.
    public static let `default` = JSONStatDecodingOptions()

    /// For data responses: every dataset must carry its values.
    public static let requireValues: JSONStatDecodingOptions = {
        var options = JSONStatDecodingOptions()
        options.allowsMetadataOnly = false
        return options
    }()

    /// Strict JSON-stat for numeric data: every dataset must carry its values, every value is a
    /// number or `null`, and every dimension in `dimension` is listed in `id`.
    public static let strict: JSONStatDecodingOptions = {
        var options = JSONStatDecodingOptions.requireValues
        options.allowsStringValues = false
        options.allowsUnlistedDimensions = false
        return options
    }()
}
