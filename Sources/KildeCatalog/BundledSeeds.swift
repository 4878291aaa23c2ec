import Crypto
import Foundation
import KildeCore

/// Seeds shipped with Kilde: versioned reference data the marts are built from.
public enum BundledSeeds {
    /// The `kommune_dim` seed (2024 structure, built by `scripts/build-geo-resources.py` from Kartverket's
    /// boundaries); its version is the structure year and a hash of the file, so any edit changes it.
    /// - Throws: ``CatalogError`` when the file is missing from the build or malformed.
    public static func kommuneDim() throws -> KommuneSeed {
        guard let url = Bundle.module.url(forResource: "kommune_dim", withExtension: "csv", subdirectory: "seeds"),
              let data = FileManager.default.contents(atPath: url.path) else {
            throw CatalogError(file: "seeds/kommune_dim.csv", line: 0, message: "the shipped kommune seed is missing from this build")
        }
        let hash = SHA256.hash(data: data).prefix(6).map { String(format: "%02x", $0) }.joined()
        return try KommuneSeed(version: "2024-\(hash)", csv: String(decoding: data, as: UTF8.self))
    }
}
