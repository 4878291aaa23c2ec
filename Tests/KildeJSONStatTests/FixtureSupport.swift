import Foundation
import KildeJSONStat
import Testing

/// Access to `shared/fixtures`, which sits beside the package root (`../shared/fixtures`).
enum Fixtures {
    /// The package root: the nearest ancestor of this file that holds `Package.swift`.
    static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
            url = url.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    }()

    /// `<package root>/../shared/fixtures`.
    static let root: URL = packageRoot.appendingPathComponent("../shared/fixtures").standardized

    struct Missing: Error, CustomStringConvertible {
        var description: String
    }

    /// The bytes of a fixture, by path relative to `shared/fixtures`.
    static func bytes(_ relativePath: String) throws -> [UInt8] {
        let url = root.appendingPathComponent(relativePath)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw Missing(description: "fixture not found: \(url.path)")
        }
        return [UInt8](data)
    }

    /// Decodes a fixture.
    static func decode(_ relativePath: String) throws -> JSONStatDocument {
        try JSONStat.decode(bytes(relativePath))
    }

    /// The first dataset of a fixture.
    static func dataset(_ relativePath: String, _ index: Int = 0) throws -> JSONStatDataset {
        let document = try decode(relativePath)
        try #require(document.datasets.count > index, "\(relativePath) has \(document.datasets.count) datasets")
        return document.datasets[index]
    }

    /// All `.json` files under the given fixture folders, relative to `shared/fixtures`.
    static func jsonFiles(under folders: [String]) -> [String] {
        var result: [String] = []
        for folder in folders {
            let base = root.appendingPathComponent(folder)
            guard let walker = FileManager.default.enumerator(atPath: base.path) else { continue }
            while let item = walker.nextObject() as? String {
                if item.hasSuffix(".json") { result.append("\(folder)/\(item)") }
            }
        }
        return result.sorted()
    }

    /// Decodes and returns the error, or `nil` if decoding succeeded.
    static func error(decoding bytes: [UInt8], options: JSONStatDecodingOptions = .default) -> JSONStatError? {
        do {
            _ = try JSONStat.decode(bytes, options: options)
            return nil
        } catch {
            return error
        }
    }
}

extension JSONStatDataset {
    /// The value at the cell given by category ids, one per dimension in `id` order.
    func value(categories ids: [String]) throws -> Double? {
        try values(categories: ids).value
    }

    /// Value and status at the cell given by category ids.
    func values(categories ids: [String]) throws -> (value: Double?, status: String?) {
        try #require(ids.count == dimensions.count, "need \(dimensions.count) category ids")
        var indices: [Int] = []
        for (dimension, id) in zip(dimensions, ids) {
            indices.append(try #require(dimension.position(of: id), "no category '\(id)' in '\(dimension.id)'"))
        }
        let flat = flatIndex(indices)
        return (value(at: flat), status(at: flat))
    }
}
