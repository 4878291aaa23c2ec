/// A JSON-stat document could not be decoded.
///
/// Every error carries a machine-readable ``code`` and a human ``message`` that
/// names where the problem is: the dataset (bundle key or label), the dimension
/// and, for syntax problems, the byte offset in the input.
public struct JSONStatError: Error, CustomStringConvertible, CustomDebugStringConvertible, Sendable {
    /// What kind of problem was found.
    public enum Code: String, Sendable, CaseIterable {
        /// The bytes are not valid JSON (bad token, bad escape, invalid UTF-8, trailing content…).
        case malformedJSON
        /// The input ended before the JSON document was complete (or was empty).
        case truncated
        /// Objects and arrays are nested deeper than the decoder allows.
        case nestingTooDeep
        /// Valid JSON, but not a JSON-stat document (no class, no dataset shape).
        case notJSONStat
        /// A `class` the decoder does not decode: `dimension` documents, or an unknown class.
        case unsupportedClass
        /// A required member is absent (`dimension`, `id`, `size`, `value`, category `index`/`label`).
        case missingField
        /// A member has the wrong JSON type or an unusable value (e.g. `size` holding `-1`).
        case invalidField
        /// `id` and `size` do not have the same length.
        case idSizeMismatch
        /// A dimension is listed in `id` but has no entry in `dimension`.
        case missingDimension
        /// `dimension` has an entry that is not listed in `id`, and
        /// ``JSONStatDecodingOptions/allowsUnlistedDimensions`` is `false`.
        case unlistedDimension
        /// A dimension's `size` differs from the number of its categories.
        case categoryCountMismatch
        /// Category `index` positions are duplicated, out of range or not a permutation of `0..<n`.
        case invalidIndex
        /// `label`, `unit`, `child`, `note` or `coordinates` refers to a category id that is not in `index`.
        case unknownCategory
        /// `role` lists a dimension id that is not in `id`.
        case unknownRoleDimension
        /// The number of values differs from the product of the sizes.
        case valueCountMismatch
        /// A key of a sparse `value` object is not a non-negative integer, or is repeated.
        case invalidSparseKey
        /// A key of a sparse `value` object is not below the cell count.
        case sparseKeyOutOfRange
        /// A `value` entry is a boolean, object or array instead of a number, string or `null`; or a
        /// string where numbers are required (``JSONStatDecodingOptions/allowsStringValues`` is `false`,
        /// or ``JSONStatDataset/requireNumericValues()`` found one).
        case nonNumericValue
        /// A `status` array has neither one entry nor one entry per cell.
        case statusCountMismatch
        /// A key of a `status` object is not an integer in `0..<cellCount`, or is repeated.
        case invalidStatusKey
        /// The product of the sizes overflows, or exceeds ``JSONStatDecodingOptions/maximumCellCount``.
        case tooManyCells
        /// A dataset has `value: []` (metadata only) but the options require values.
        case missingValues
    }

    /// What kind of problem was found.
    public var code: Code
    /// A human-readable explanation naming the dataset, dimension or byte offset concerned.
    public var message: String
    /// The byte offset in the input where the problem was detected, when known.
    public var offset: Int?
    /// The dataset concerned (bundle key, label, or position in a collection), when known.
    public var dataset: String?
    /// The dimension concerned, when known.
    public var dimension: String?

    /// Creates an error.
    public init(code: Code, message: String, offset: Int? = nil, dataset: String? = nil, dimension: String? = nil) {
        self.code = code
        self.message = message
        self.offset = offset
        self.dataset = dataset
        self.dimension = dimension
    }

    /// `"<code>: <message>"`.
    public var description: String { "\(code.rawValue): \(message)" }

    /// The description plus the structured location fields.
    public var debugDescription: String {
        var parts = ["JSONStatError(\(code.rawValue)"]
        if let dataset { parts.append("dataset: \(dataset)") }
        if let dimension { parts.append("dimension: \(dimension)") }
        if let offset { parts.append("offset: \(offset)") }
        return parts.joined(separator: ", ") + "): " + message
    }

    /// Returns a copy whose message is prefixed with the dataset it concerns.
    func inDataset(_ name: String) -> JSONStatError {
        guard dataset == nil else { return self }
        var copy = self
        copy.dataset = name
        copy.message = "\(name): \(message)"
        return copy
    }
}
