import Foundation

/// The kommune boundaries for the server-rendered choropleth, one layer per kommune structure: one pre-projected,
/// simplified SVG path per kommune (built by `scripts/build-geo-resources.py` from Kartverket's boundaries into
/// `Resources/kommuner-<structure>.tsv`, in one projection, so the layers line up).
public struct KommuneMap: Sendable {
    /// One structure's kommuner.
    public struct Layer: Sendable {
        /// The SVG viewBox, e.g. `0 0 2000 2359`.
        public let viewBox: String
        /// Kommune number → path data, in kommune-number order.
        public let paths: [(number: String, d: String)]
        /// The boundaries' credit line, from the file's header, e.g. `© Kartverket (CC BY 4.0) via …`.
        public let credit: String
    }

    /// Layers by structure, named by the year the structure took effect (e.g. `2020`, `2024`).
    public let layers: [Int: Layer]

    /// The structures there are layers for, ascending.
    public var structures: [Int] { layers.keys.sorted() }

    /// The credit lines of the layers, each once.
    var credits: [String] {
        var seen = Set<String>()
        return structures.compactMap { layers[$0]?.credit }.filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    /// The layer of `structure`, else the latest: a mart built on a structure the build has no map of still draws.
    func layer(for structure: Int?) -> (structure: Int, layer: Layer)? {
        if let structure, let layer = layers[structure] { return (structure, layer) }
        return structures.last.flatMap { s in layers[s].map { (s, $0) } }
    }

    /// Loads every `kommuner-<structure>.tsv` shipped with the server.
    /// - Throws: ``APIError`` (500) when none is in the build or one is malformed.
    public static func bundled() throws -> KommuneMap {
        var layers: [Int: Layer] = [:]
        let directory = Bundle.module.url(forResource: "Resources", withExtension: nil)
        let files = directory.flatMap { try? FileManager.default.contentsOfDirectory(at: $0, includingPropertiesForKeys: nil) } ?? []
        for url in files where url.pathExtension == "tsv" {
            let name = url.deletingPathExtension().lastPathComponent
            guard name.hasPrefix("kommuner-"), let structure = Int(name.dropFirst("kommuner-".count)),
                  let data = FileManager.default.contents(atPath: url.path) else { continue }
            layers[structure] = try layer(tsv: String(decoding: data, as: UTF8.self), name: url.lastPathComponent)
        }
        guard !layers.isEmpty else {
            throw APIError(.internalServerError, title: "Map missing", detail: "no kommuner-<structure>.tsv in this build")
        }
        return KommuneMap(layers: layers)
    }

    /// Parses `# viewBox x y w h; credit; …` then `number<TAB>path` lines.
    static func layer(tsv: String, name: String) throws -> Layer {
        var viewBox: String?
        var credit = ""
        var paths: [(String, String)] = []
        for line in tsv.split(separator: "\n") {
            if line.hasPrefix("# viewBox ") {
                let fields = line.dropFirst("# viewBox ".count).split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
                viewBox = fields.first
                credit = fields.dropFirst().first ?? ""
                continue
            }
            let parts = line.split(separator: "\t", maxSplits: 1)
            guard parts.count == 2 else { continue }
            paths.append((String(parts[0]), String(parts[1])))
        }
        guard let viewBox, !paths.isEmpty else {
            throw APIError(.internalServerError, title: "Map missing", detail: "\(name) has no viewBox or no paths")
        }
        return Layer(viewBox: viewBox, paths: paths, credit: credit)
    }
}
