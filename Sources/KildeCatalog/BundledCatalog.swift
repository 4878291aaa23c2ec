import Foundation
import KildeCore

/// Loads the catalogue CSV files shipped with Kilde, or from a directory given by the user.
public enum BundledCatalog {
    /// The directory of the catalogue shipped with this build.
    public static var directory: URL? {
        Bundle.module.url(forResource: "catalog", withExtension: nil)
    }

    /// Reads and parses the catalogue.
    /// - Parameter directory: a directory holding the CSV files; defaults to the shipped catalogue.
    /// - Throws: ``CatalogError`` naming the file and line at fault.
    public static func load(from directory: URL? = nil) throws -> Catalog {
        guard let dir = directory ?? Self.directory else {
            throw CatalogError(file: "catalog", line: 0, message: "the shipped catalogue is missing from this build")
        }
        var files: [String: String] = [:]
        for name in Catalog.fileNames {
            let url = dir.appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                if Catalog.optionalFileNames.contains(name) && !FileManager.default.fileExists(atPath: url.path) { continue }
                throw CatalogError(file: url.path, line: 0, message: "cannot read file")
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw CatalogError(file: url.path, line: 0, message: "not UTF-8")
            }
            files[name] = text
        }
        return try Catalog(csvFiles: files)
    }

    /// Loads the catalogue and builds the in-memory registry.
    public static func registry(from directory: URL? = nil) throws -> Registry {
        try Registry(catalog: load(from: directory))
    }
}
