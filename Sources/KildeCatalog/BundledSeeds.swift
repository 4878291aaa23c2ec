import Crypto
import Foundation
import KildeCore

/// Seeds shipped with Kilde: versioned reference data the marts are built from.
public enum BundledSeeds {
    /// The kommune seed: `kommune_dim` per structure (2020 and 2024) and the crosswalk from older codes, both built by
    /// `scripts/build-geo-resources.py` from SSB's Klass tables and Kartverket's boundaries. Its version names the
    /// structures and a hash of both files, so any edit changes it.
    /// - Throws: ``CatalogError`` when a file is missing from the build or malformed.
    public static func kommuneDim() throws -> KommuneSeed {
        let kommuner = try file("kommune_dim")
        let crosswalk = try file("kommune_crosswalk")
        var hasher = SHA256()
        hasher.update(data: kommuner)
        hasher.update(data: crosswalk)
        let hash = hasher.finalize().prefix(6).map { String(format: "%02x", $0) }.joined()
        let seed = try KommuneSeed(version: "", kommuneCSV: String(decoding: kommuner, as: UTF8.self),
                                   crosswalkCSV: String(decoding: crosswalk, as: UTF8.self))
        return KommuneSeed(version: seed.structures.map(String.init).joined(separator: "+") + "-\(hash)", kommuner: seed.kommuner,
                           crosswalk: seed.crosswalk)
    }

    static func file(_ name: String) throws -> Data {
        guard let url = Bundle.module.url(forResource: name, withExtension: "csv", subdirectory: "seeds"),
              let data = FileManager.default.contents(atPath: url.path) else {
            throw CatalogError(file: "seeds/\(name).csv", line: 0, message: "the shipped kommune seed is missing from this build")
        }
        return data
    }
}
