/// A JSON object read as a possible dataset (or collection, or bundle), before validation.
///
/// Members may come in any order, so everything is collected first and checked
/// by ``DatasetAssembler`` afterwards. A `value` array met before the sizes are
/// known is skipped and re-read from its offset later, so that its storage can
/// be allocated exactly once.
struct DatasetDraft {
    enum Values {
        case absent
        case deferred(offset: Int)
        case dense(DenseValues)
        case sparse(indices: [Int], values: [Double], sorted: Bool)
        /// A sparse object met before the sizes were known: its offset and length in bytes.
        case deferredSparse(offset: Int, length: Int)
        /// A sparse object already scattered into dense storage (``CellSlot/missing`` for missing).
        case scattered(DenseValues)
    }

    enum Statuses {
        case absent
        case uniform(String)
        case array(codes: [UInt32])
        case object(indices: [Int], codes: [UInt32], sorted: Bool)
    }

    /// Offset of the object's `{`.
    var offset: Int
    var classValue: String?
    var version: String?
    var label: String?
    var source: String?
    var updated: String?
    var ids: [String]?
    var sizes: [Int]?
    var roles: [(role: String, ids: [String])]?
    var hasDimension = false
    var dimensions: [(id: String, draft: DimensionDraft)] = []
    /// 1.x: `id`, `size` and `role` inside `dimension`.
    var innerIDs: [String]?
    var innerSizes: [Int]?
    var innerRoleOffset: Int?
    var values: Values = .absent
    var valuesOffset = 0
    /// The strings met in `value`, interned; cells hold their codes (see ``CellSlot``).
    var valueStrings = SymbolTable()
    var statuses: Statuses = .absent
    var statusSymbols = SymbolTable()
    var statusOffset = 0
    /// Offset of `link` when it was not read as collection items.
    var linkOffset: Int?
    /// Collection items read from `link.item` (when `class` was already known to be `collection`).
    var items: [DatasetDraft]?
    /// Top-level only: other object members, read as possible 1.x bundle datasets.
    var candidates: [Candidate] = []
    /// Whether a `value` member was present (even if it could not be read).
    var hasValueMember = false
    /// The first JSON-stat error met while reading members; thrown if the object is used as a dataset.
    var firstError: JSONStatError?

    /// Whether the object embeds dataset content (as opposed to only linking to it).
    var hasDatasetContent: Bool { hasDimension || hasValueMember }

    /// The number of cells implied by the sizes read so far, if they are known.
    var knownCellCount: Int? {
        guard let sizes = sizes ?? innerSizes else { return nil }
        var product = 1
        for size in sizes {
            let (p, overflow) = product.multipliedReportingOverflow(by: size)
            if overflow { return nil }
            product = p
        }
        return product
    }
}

/// A top-level object member read as a possible 1.x bundle dataset.
struct Candidate {
    var name: String
    var offset: Int
    var draft: DatasetDraft
}

extension JSONStatError.Code {
    /// Syntax errors abort decoding; others may be deferred (e.g. in bundle candidates).
    var isSyntax: Bool { self == .malformedJSON || self == .truncated || self == .nestingTooDeep }
}
