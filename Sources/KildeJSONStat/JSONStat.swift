/// Decoding of JSON-stat documents (2.0 and 1.x) from bytes.
///
/// The decoder scans the bytes itself (no Foundation): it is strict about
/// syntax and about the consistency of the cube (sizes, category indices,
/// value and status counts, sparse keys) and reports every problem as a
/// ``JSONStatError`` naming the dataset, dimension or byte offset.
///
/// Accepted shapes:
/// - 2.0 `class: dataset`; 2.0 `class: collection` with datasets embedded in
///   `link.item` (nested collections are flattened; items that only link
///   elsewhere are ignored);
/// - 1.x bundles (`{"name": {dataset}, …}`, including `{"dataset": {…}}`) and
///   1.x datasets with `id`/`size`/`role` inside `dimension`.
///
/// By default (see ``JSONStatDecodingOptions``) `value` may hold strings beside
/// numbers and `null` (``JSONStatDataset/stringCount``), and `dimension` may hold
/// dimensions that `id` does not list (``JSONStatDataset/unlistedDimensions``).
/// Work is proportional to the document: a sparse `value` over a huge cube costs
/// what its entries cost, never the product of the sizes.
///
/// `class: dimension` documents are rejected with `.unsupportedClass`: Kilde
/// only ingests datasets.
public enum JSONStat {
    /// Decodes any JSON-stat document (2.0 dataset/collection, 1.x bundle/dataset).
    public static func decode(_ bytes: [UInt8]) throws(JSONStatError) -> JSONStatDocument {
        try decode(bytes, options: .default)
    }

    /// Decodes any JSON-stat document (2.0 dataset/collection, 1.x bundle/dataset).
    public static func decode(_ bytes: UnsafeRawBufferPointer) throws(JSONStatError) -> JSONStatDocument {
        try decode(bytes, options: .default)
    }

    /// Decodes any JSON-stat document with the given options.
    public static func decode(_ bytes: [UInt8], options: JSONStatDecodingOptions) throws(JSONStatError) -> JSONStatDocument {
        let result: Result<JSONStatDocument, JSONStatError> = bytes.withUnsafeBytes { buffer in
            Result { () throws(JSONStatError) in try decode(buffer, options: options) }
        }
        return try result.get()
    }

    /// Decodes any JSON-stat document with the given options.
    public static func decode(_ bytes: UnsafeRawBufferPointer, options: JSONStatDecodingOptions) throws(JSONStatError) -> JSONStatDocument {
        guard let base = bytes.baseAddress, bytes.count > 0 else {
            throw JSONStatError(code: .truncated, message: "empty input", offset: 0)
        }
        var scanner = JSONScanner(base: base.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        let decoder = DocumentDecoder(options: options)
        return try decoder.decode(&scanner)
    }
}
