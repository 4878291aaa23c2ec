/// Reads the top-level object and decides what kind of JSON-stat document it is.
///
/// - `class: dataset` → one dataset; `class: collection` → the datasets embedded
///   in `link.item`, nested collections flattened, link-only items ignored;
///   `class: dimension` and unknown classes → `.unsupportedClass`.
/// - No `class`: with `dimension` or `value` members it is a 1.x dataset;
///   otherwise every object member is a 1.x bundle dataset (`{"dataset": {…}}`,
///   `{"oecd": {…}, "canada": {…}}`); a `version` string beside them is tolerated.
/// - Anything else → `.notJSONStat`.
struct DocumentDecoder {
    let options: JSONStatDecodingOptions

    init(options: JSONStatDecodingOptions) {
        self.options = options
    }

    func decode(_ s: inout JSONScanner) throws(JSONStatError) -> JSONStatDocument {
        // Tolerate a UTF-8 byte order mark.
        if s.end >= 3 && s.base[0] == 0xEF && s.base[1] == 0xBB && s.base[2] == 0xBF { s.pos = 3 }
        guard try s.peek() == UInt8(ascii: "{") else {
            let kind = s.describeNextValue()
            try s.skipValue()
            try expectEnd(&s)
            throw JSONStatError(code: .notJSONStat, message: "the top-level JSON value is \(kind), not an object", offset: 0)
        }
        let draft = try DatasetDraft.parse(&s, topLevel: true)
        try expectEnd(&s)
        let assembler = DatasetAssembler(base: s.base, end: s.end, options: options)
        switch draft.classValue {
        case "dataset":
            let dataset = try assembler.assemble(draft, name: nil, context: Self.context(draft))
            return JSONStatDocument(kind: .dataset, datasets: [dataset], version: draft.version, label: draft.label)
        case "collection":
            let datasets = try collect(draft, assembler: assembler, path: "")
            return JSONStatDocument(kind: .collection, datasets: datasets, version: draft.version, label: draft.label)
        case "bundle":
            return try bundle(draft, assembler: assembler)
        case "dimension":
            throw JSONStatError(
                code: .unsupportedClass,
                message: "a JSON-stat 'dimension' document has no cells; only datasets, collections and bundles are decoded")
        case let other?:
            throw JSONStatError(code: .unsupportedClass, message: "unknown JSON-stat class '\(other)'")
        case nil:
            if draft.hasDatasetContent {
                let dataset = try assembler.assemble(draft, name: nil, context: Self.context(draft))
                return JSONStatDocument(kind: .dataset, datasets: [dataset], version: draft.version, label: draft.label)
            }
            guard !draft.candidates.isEmpty else {
                throw JSONStatError(
                    code: .notJSONStat,
                    message: "not a JSON-stat document: no 'class', no dataset members and no bundled datasets")
            }
            return try bundle(draft, assembler: assembler)
        }
    }

    private func expectEnd(_ s: inout JSONScanner) throws(JSONStatError) {
        s.skipWhitespace()
        guard s.isAtEnd else { throw s.syntaxError("unexpected content after the JSON document") }
    }

    /// A 1.x bundle: every object member must be a dataset.
    private func bundle(_ draft: DatasetDraft, assembler: DatasetAssembler) throws(JSONStatError) -> JSONStatDocument {
        var datasets: [JSONStatDataset] = []
        datasets.reserveCapacity(draft.candidates.count)
        for candidate in draft.candidates {
            let (name, offset, member) = (candidate.name, candidate.offset, candidate.draft)
            let context = "dataset '\(name)'"
            guard member.hasDatasetContent else {
                throw JSONStatError(
                    code: .notJSONStat,
                    message: "bundle member '\(name)' at byte \(offset) is not a JSON-stat dataset (no 'dimension' or 'value')",
                    offset: offset, dataset: name)
            }
            datasets.append(try assembler.assemble(member, name: name, context: context))
        }
        return JSONStatDocument(kind: .bundle, datasets: datasets, version: draft.version, label: nil)
    }

    /// The embedded datasets of a collection, depth first, in document order.
    private func collect(_ draft: DatasetDraft, assembler: DatasetAssembler, path: String) throws(JSONStatError) -> [JSONStatDataset] {
        var items = draft.items ?? []
        if draft.items == nil, let offset = draft.linkOffset {
            var s = JSONScanner(base: assembler.base, count: assembler.end, position: offset)
            items = try DatasetDraft.readLinkItems(&s)
        }
        var datasets: [JSONStatDataset] = []
        for (n, item) in items.enumerated() {
            let place = path.isEmpty ? "collection item \(n)" : "\(path) > item \(n)"
            switch item.classValue {
            case "collection":
                datasets += try collect(item, assembler: assembler, path: place)
            case "dataset", nil:
                guard item.hasDatasetContent else { continue }  // a link to a dataset elsewhere
                let label = item.label.map { " (\(Self.shorten($0)))" } ?? ""
                datasets.append(try assembler.assemble(item, name: nil, context: place + label))
            default:
                continue  // dimensions and unknown items carry no cells
            }
        }
        return datasets
    }

    private static func context(_ draft: DatasetDraft) -> String {
        draft.label.map { "dataset '\(shorten($0))'" } ?? "dataset"
    }

    private static func shorten(_ text: String) -> String {
        text.count <= 60 ? text : String(text.prefix(57)) + "..."
    }
}
