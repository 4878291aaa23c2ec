import KildeCore

/// Which variable of a PxWeb table plays which part, as the catalogue's dataset options say (`datasets.csv`):
///
/// - `table`: the table id at the host (default: the dataset's `table_id`);
/// - `region`: the variable mapped onto the region axis (absent: the table has no regions);
/// - `national`: its code for the whole country, stored as region NULL (absent: no national slice);
/// - `category`: the variable whose values are the dataset dimension's categories (default `ContentsCode`);
/// - `time`: the time variable (default `Tid`);
/// - `fixed`: other variables held to one value, `Var:Code,…` (e.g. `Kon:TotSa`);
/// - `codelist`: code lists to take values from, `Var:Id,…` (e.g. `Alder:agg_Alder10arJ`).
///
/// Any other variable of the table must be listed under `fixed`, so no selection is left to the host's defaults.
public struct PxWebTable: Sendable, Hashable {
    public var id: String
    public var regionVariable: String?
    public var nationalCode: String?
    public var categoryVariable: String
    public var timeVariable: String
    /// Held variables and their one value, in the catalogue's order.
    public var fixed: [Fixed]
    public var codelists: [String: String]

    public struct Fixed: Sendable, Hashable {
        public var variable: String
        public var code: String
    }

    /// - Throws: ``IngestError`` `.invalidSlice` naming the malformed option.
    public init(dataset: DatasetDefinition) throws(IngestError) {
        let o = dataset.options
        func pairs(_ key: String) throws(IngestError) -> [(String, String)] {
            var out: [(String, String)] = []
            for item in o.list(key) {
                let parts = item.split(separator: ":", maxSplits: 1).map(String.init)
                guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                    throw IngestError(.invalidSlice, dataset: dataset.key, message: "option \(key): '\(item)' is not Variable:Code")
                }
                out.append((parts[0], parts[1]))
            }
            return out
        }
        id = o["table"] ?? dataset.tableID
        regionVariable = o["region"]
        nationalCode = o["national"]
        categoryVariable = o["category"] ?? "ContentsCode"
        timeVariable = o["time"] ?? "Tid"
        fixed = try pairs("fixed").map { Fixed(variable: $0.0, code: $0.1) }
        codelists = Dictionary(try pairs("codelist"), uniquingKeysWith: { _, last in last })
        if nationalCode != nil && regionVariable == nil {
            throw IngestError(.invalidSlice, dataset: dataset.key, message: "option national needs the option region (the variable it is a code of)")
        }
    }

    /// The variables with a part, in the order queries list them: region, category, the held ones, time.
    public var roleVariables: [String] {
        (regionVariable.map { [$0] } ?? []) + [categoryVariable] + fixed.map(\.variable) + [timeVariable]
    }

    /// Checks the table's metadata against the parts: every named variable exists, every other variable is held.
    /// - Throws: ``IngestError`` `.schemaChanged` naming the variable.
    public func check(_ metadata: PxWebMetadata, dataset: String) throws(IngestError) {
        let offered = metadata.variables.map(\.code)
        for v in roleVariables where !offered.contains(v) {
            throw IngestError(.schemaChanged, dataset: dataset, message: "table \(id) has no variable '\(v)'; it has \(offered.joined(separator: ", "))")
        }
        for v in offered where !roleVariables.contains(v) {
            throw IngestError(.schemaChanged, dataset: dataset,
                              message: "table \(id) has a variable '\(v)' the catalogue does not place: add fixed=\(v):CODE to the dataset's options")
        }
        for f in fixed where codelists[f.variable] == nil && metadata.variable(f.variable)?.codes.contains(f.code) == false {
            throw IngestError(.codeNotOffered, dataset: dataset,
                              message: "table \(id) offers no \(f.variable) '\(f.code)'; it offers \(Self.sample(metadata.variable(f.variable)?.codes ?? []))")
        }
    }

    /// At most ten codes, for a message.
    static func sample(_ codes: [String]) -> String {
        codes.prefix(10).joined(separator: ", ") + (codes.count > 10 ? ", … (\(codes.count) in all)" : "")
    }
}
