import Foundation

/// The kommune boundaries for the server-rendered choropleth: one pre-projected, simplified SVG path per
/// kommune (built by `scripts/build-geo-resources.py` from Kartverket's 2024 boundaries).
public struct KommuneMap: Sendable {
    /// The SVG viewBox, e.g. `0 0 2000 2359`.
    public let viewBox: String
    /// Kommune number → path data, in kommune-number order.
    public let paths: [(number: String, d: String)]

    /// Loads the map shipped with the server.
    /// - Throws: ``APIError`` (500) when the resource is missing from the build.
    public static func bundled() throws -> KommuneMap {
        guard let url = Bundle.module.url(forResource: "kommuner-2024", withExtension: "tsv", subdirectory: "Resources"),
              let data = FileManager.default.contents(atPath: url.path) else {
            throw APIError(.internalServerError, title: "Map missing", detail: "kommuner-2024.tsv is missing from this build")
        }
        return try KommuneMap(tsv: String(decoding: data, as: UTF8.self))
    }

    /// Parses `# viewBox x y w h; …` then `number<TAB>path` lines.
    init(tsv: String) throws {
        var viewBox: String?
        var paths: [(String, String)] = []
        for line in tsv.split(separator: "\n") {
            if line.hasPrefix("# viewBox ") {
                viewBox = line.dropFirst("# viewBox ".count).split(separator: ";").first.map(String.init)
                continue
            }
            let parts = line.split(separator: "\t", maxSplits: 1)
            guard parts.count == 2 else { continue }
            paths.append((String(parts[0]), String(parts[1])))
        }
        guard let viewBox, !paths.isEmpty else {
            throw APIError(.internalServerError, title: "Map missing", detail: "kommuner-2024.tsv has no viewBox or no paths")
        }
        self.viewBox = viewBox
        self.paths = paths
    }
}
