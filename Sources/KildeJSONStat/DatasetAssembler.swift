/// Validates a ``DatasetDraft`` and builds the ``JSONStatDataset``.
///
/// Checks, in order: `id`/`size` present and of equal length, every listed
/// dimension present (and, unless the options allow them, no unlisted one),
/// category indices valid and matching the sizes, `label`/`unit`/`child`/`note`/
/// `coordinates` keys known, `role` ids known, the cell count representable,
/// then values and statuses. Unlisted dimensions are validated like listed ones,
/// their size being their category count, and kept apart from the cell coordinates.
struct DatasetAssembler {
    let base: UnsafePointer<UInt8>
    let end: Int
    let options: JSONStatDecodingOptions

    /// Builds the dataset; errors are prefixed with `context` (e.g. `dataset 'A02Level'`).
    func assemble(_ draft: DatasetDraft, name: String?, context: String) throws(JSONStatError) -> JSONStatDataset {
        do throws(JSONStatError) {
            return try build(draft, name: name)
        } catch {
            throw error.inDataset(context)
        }
    }

    private func build(_ d: DatasetDraft, name: String?) throws(JSONStatError) -> JSONStatDataset {
        if let error = d.firstError { throw error }
        guard d.hasDimension else { throw missing("'dimension'", at: d.offset) }
        let ids = try pick(d.ids, d.innerIDs, what: "id", offset: d.offset)
        let sizes = try pick(d.sizes, d.innerSizes, what: "size", offset: d.offset)
        guard ids.count == sizes.count else {
            throw JSONStatError(
                code: .idSizeMismatch,
                message: "'id' lists \(ids.count) dimensions \(ids) but 'size' has \(sizes.count) entries \(sizes)")
        }
        var drafts: [String: DimensionDraft] = [:]
        for (id, draft) in d.dimensions {
            guard drafts.updateValue(draft, forKey: id) == nil else {
                throw JSONStatError(code: .invalidField, message: "dimension '\(id)' is defined twice", dimension: id)
            }
        }
        var roleSpans = d.roles
        if let offset = d.innerRoleOffset {
            var s = JSONScanner(base: base, count: end, position: offset)
            if ids.contains("role") {
                drafts["role"] = try DimensionDraft.parse(&s, id: "role")
            } else if roleSpans == nil {
                roleSpans = try DatasetDraft.readRoles(&s)
            }
        }
        var seen = Set<String>()
        for id in ids where !seen.insert(id).inserted {
            throw JSONStatError(code: .invalidField, message: "dimension '\(id)' is listed twice in 'id'", dimension: id)
        }
        for id in ids where drafts[id] == nil {
            throw JSONStatError(
                code: .missingDimension,
                message: "dimension '\(id)' is listed in 'id' but missing from 'dimension'", dimension: id)
        }
        var unlistedIDs: [String] = []
        for (id, _) in d.dimensions where !seen.contains(id) {
            guard options.allowsUnlistedDimensions else {
                throw JSONStatError(
                    code: .unlistedDimension, message: "dimension '\(id)' is not listed in 'id' \(ids)", dimension: id)
            }
            unlistedIDs.append(id)
        }
        var roleOf: [String: String] = [:]
        for (role, members) in roleSpans ?? [] {
            for id in members {
                guard seen.contains(id) || unlistedIDs.contains(id) else {
                    throw JSONStatError(
                        code: .unknownRoleDimension,
                        message: "role '\(role)' lists dimension '\(id)', which is not in 'id' \(ids)", dimension: id)
                }
                if roleOf[id] == nil { roleOf[id] = role }
            }
        }
        func dimension(_ id: String, size: Int?) throws(JSONStatError) -> JSONStatDimension? {
            guard let draft = drafts[id] else { return nil }  // checked above
            do throws(JSONStatError) {
                let (categories, positions) = try CategoryBuilder.categories(of: draft, size: size)
                return JSONStatDimension(id: id, label: draft.label, role: roleOf[id], categories: categories, positions: positions)
            } catch {
                var located = error
                located.dimension = id
                located.message = "dimension '\(id)': \(error.message)"
                throw located
            }
        }
        var dimensions: [JSONStatDimension] = []
        dimensions.reserveCapacity(ids.count)
        for (k, id) in ids.enumerated() {
            if let listed = try dimension(id, size: sizes[k]) { dimensions.append(listed) }
        }
        var unlisted: [JSONStatDimension] = []
        for id in unlistedIDs {
            if let extra = try dimension(id, size: nil) { unlisted.append(extra) }
        }
        var cellCount = 1
        for size in sizes {
            let (product, overflow) = cellCount.multipliedReportingOverflow(by: size)
            guard !overflow else {
                throw JSONStatError(code: .tooManyCells, message: "the product of the sizes \(sizes) overflows")
            }
            cellCount = product
        }
        guard cellCount <= options.maximumCellCount else {
            throw JSONStatError(
                code: .tooManyCells,
                message: "the sizes \(sizes) make \(cellCount) cells, more than the maximum of \(options.maximumCellCount)")
        }
        let cells = try CellBuilder(base: base, end: end, options: options).build(d, cellCount: cellCount)
        var dataset = JSONStatDataset(
            name: name, label: d.label, source: d.source, updated: d.updated, version: d.version,
            dimensions: dimensions, cellCount: cellCount, presentCount: cells.present,
            isMetadataOnly: cells.metadataOnly, values: cells.values, statuses: cells.statuses,
            strings: cells.strings, stringCount: cells.stringCount)
        dataset.unlistedDimensions = unlisted
        return dataset
    }

    /// The top-level (2.0) member, else the one inside `dimension` (1.x); both must agree when both exist.
    private func pick<T: Equatable>(_ top: T?, _ inner: T?, what: String, offset: Int) throws(JSONStatError) -> T {
        if let top, let inner, top != inner {
            throw JSONStatError(
                code: .invalidField, message: "top-level '\(what)' differs from 'dimension.\(what)'", offset: offset)
        }
        guard let value = top ?? inner else { throw missing("'\(what)'", at: offset) }
        return value
    }

    private func missing(_ what: String, at offset: Int) -> JSONStatError {
        JSONStatError(
            code: .missingField, message: "the dataset object at byte \(offset) has no \(what)", offset: offset)
    }
}
