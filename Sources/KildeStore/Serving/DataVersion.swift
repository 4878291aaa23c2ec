import Crypto

/// The data version of an asset: a short digest that changes exactly when the asset's stored data changes, so an
/// orchestrator (Dagster's `data_version`) or a cache can tell a re-materialisation that changed nothing from one
/// that did.
///
/// - A **dataset**'s data are the atoms of its source and dimension. Every run that changed any of them (rows added,
///   updated or deleted, in any status: a failed run keeps the slices it committed) is a line
///   `run:added:updated:deleted`; the version is the digest of those lines in run order. An ingest that finds
///   everything unchanged adds no line and keeps the version; a daily run that writes its yearly sibling's atoms
///   changes both datasets' versions, as both hold them.
/// - A **mart**'s version is kept when a build changes none of the served rows (`kommune_indicators`, `kommune_dim`,
///   `kommune_unmatched`) and otherwise is the digest of the previous version, the seed version, the build's
///   configuration and the data versions of its input datasets; a refused build keeps the served version.
///
/// The digest is the first 16 hex digits of SHA-256 over the UTF-8 lines, after a line naming the scheme.
public enum DataVersion {
    /// One run that changed a dataset's atoms.
    public struct Write: Sendable, Hashable {
        public var runID: Int64
        public var added: Int
        public var updated: Int
        public var deleted: Int

        public init(runID: Int64, added: Int, updated: Int, deleted: Int) {
            self.runID = runID
            self.added = added
            self.updated = updated
            self.deleted = deleted
        }
    }

    /// A dataset's version from the runs that changed its atoms (any order: they are sorted by run).
    public static func dataset(writes: [Write]) -> String {
        digest(["kilde-dataset-v1"] + writes.sorted { $0.runID < $1.runID }.map { "\($0.runID):\($0.added):\($0.updated):\($0.deleted)" })
    }

    /// A new mart version: for a build that changed the served mart.
    /// - Parameters:
    ///   - previous: the version of the mart it replaces; `nil` for the first build.
    ///   - config: the build's configuration (its run's `slice_config`: seed and inputs).
    ///   - inputs: each input dataset with its data version.
    public static func mart(previous: String?, seedVersion: String, config: String, inputs: [(dataset: String, version: String)]) -> String {
        digest(["kilde-mart-v1", "previous:\(previous ?? "")", "seed:\(seedVersion)", "config:\(config)"]
            + inputs.sorted { $0.dataset < $1.dataset }.map { "input:\($0.dataset)=\($0.version)" })
    }

    /// The version of a mart whose served data no record describes: refused by its data tests before any build was
    /// recorded.
    public static let none = digest(["kilde-none-v1"])

    static func digest(_ lines: [String]) -> String {
        let hash = SHA256.hash(data: Array(lines.joined(separator: "\n").utf8))
        return hash.prefix(8).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
