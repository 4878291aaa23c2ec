import Foundation
import KildeCatalog
import KildeCore
import KildeSources
import KildeUpstream

/// BRASK adapters over the shipped catalogue and pages the simulator rendered (saved under `Pages/`): pure, no
/// network.
enum BRASKFixtures {
    static let base = "http://127.0.0.1:9/brask"

    static func adapter(_ key: String, registry: Registry) throws -> BRASKAdapter {
        guard let ds = registry.dataset(key: key), let source = registry.source(id: ds.sourceID) else { throw FixtureError("no dataset \(key)") }
        return try BRASKAdapter(dataset: ds, source: source, registry: registry, baseURL: base, options: source.options)
    }

    /// A saved page's bytes.
    static func page(_ name: String) throws -> [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Pages").appendingPathComponent(name)
        guard let data = FileManager.default.contents(atPath: url.path) else { throw FixtureError("no saved page \(name)") }
        return Array(data)
    }

    static func response(_ body: [UInt8], status: Int = 200, url: String = base + "/") -> UpstreamResponse {
        UpstreamResponse(request: UpstreamRequest(method: "POST", url: url), status: status, contentType: "text/html; charset=utf-8",
                         body: body, isDemo: true, attempts: 1)
    }

    static func response(_ text: String, status: Int = 200) -> UpstreamResponse { response(Array(text.utf8), status: status) }
}
