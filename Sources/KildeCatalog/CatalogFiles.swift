import Foundation
import KildeCore

/// The catalogue's files in a directory a person owns (the shipped one is read-only, inside the build): written by
/// `kilde add`, read with `--catalog DIR`.
public enum CatalogFiles {
    /// `directory`, holding a copy of the shipped catalogue when it had none: the files a change is written to.
    /// - Throws: a filesystem error, or ``CatalogError`` when the shipped catalogue is missing from the build.
    public static func prepare(_ directory: URL) throws {
        let fm = FileManager.default
        try fm.createDirectory(at: directory, withIntermediateDirectories: true)
        guard !fm.fileExists(atPath: directory.appendingPathComponent("datasets.csv").path) else { return }
        guard let shipped = BundledCatalog.directory else {
            throw CatalogError(file: "catalog", line: 0, message: "the shipped catalogue is missing from this build")
        }
        for name in try fm.contentsOfDirectory(atPath: shipped.path) where !fm.fileExists(atPath: directory.appendingPathComponent(name).path) {
            try fm.copyItem(at: shipped.appendingPathComponent(name), to: directory.appendingPathComponent(name))
        }
    }

    /// Writes every file of `catalog` into `directory`, each atomically (a temporary file renamed over the old one),
    /// so a reader never sees half a file.
    public static func write(_ catalog: Catalog, to directory: URL) throws {
        for (name, text) in catalog.csvFiles.sorted(by: { $0.key < $1.key }) {
            try Data(text.utf8).write(to: directory.appendingPathComponent(name), options: .atomic)
        }
    }
}
