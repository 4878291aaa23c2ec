import Foundation

/// What Dagster tells the process about the step it runs (dagster-pipes' `PipesContextData`); only the fields
/// Kilde uses.
public struct PipesContext: Sendable, Equatable, Decodable {
    /// The asset keys the step materialises, as user strings (`a/b` for a key of two parts); nil for an op.
    public var assetKeys: [String]?
    /// Dagster's run id.
    public var runID: String
    public var partitionKey: String?

    public init(assetKeys: [String]?, runID: String, partitionKey: String? = nil) {
        self.assetKeys = assetKeys
        self.runID = runID
        self.partitionKey = partitionKey
    }

    enum CodingKeys: String, CodingKey {
        case assetKeys = "asset_keys", runID = "run_id", partitionKey = "partition_key"
    }

    /// Where the context data is: the default context loader's two forms.
    struct Location: Decodable {
        var path: String?
        var data: PipesContext?
    }

    /// The context named by the encoded `DAGSTER_PIPES_CONTEXT` value: read from its file, or carried inline.
    /// - Throws: ``PipesError`` when the value or the file cannot be decoded.
    public static func load(encoded text: String) throws -> PipesContext {
        let location = try PipesParams.decode(Location.self, from: text, name: PipesParams.contextVariable)
        if let data = location.data { return data }
        guard let path = location.path else { throw PipesError.unreadableContext("neither \"path\" nor \"data\" in \(PipesParams.contextVariable)") }
        let bytes: Data
        do { bytes = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw PipesError.unreadableContext("cannot read \(path): \(error.localizedDescription)")
        }
        do { return try JSONDecoder().decode(PipesContext.self, from: bytes) } catch {
            throw PipesError.unreadableContext("\(path) has no run_id")
        }
    }

    /// The key to report a dataset's materialisation under: the step's one asset key, or among several the one
    /// that names the dataset (its key, or the key with every character outside `[A-Za-z0-9_]` made `_`, as Dagster
    /// asset names must be), else the first not in `others`; the dataset's own key when the step names none.
    /// - Parameter others: keys the step reports separately (the marts the ingest rebuilds).
    public func assetKey(forDataset dataset: String, others: Set<String> = []) -> String {
        let keys = (assetKeys ?? []).filter { !others.contains($0) }
        let name = PipesContext.assetName(dataset)
        return keys.first { $0 == dataset || $0 == name || $0.split(separator: "/").last.map(String.init) == name } ?? keys.first ?? dataset
    }

    /// `dataset` as a valid Dagster asset name: `ssb-08764` → `ssb_08764`.
    public static func assetName(_ dataset: String) -> String {
        String(dataset.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") ? $0 : "_" })
    }
}
