import Foundation
import KildeStore

/// `/`: every source and asset with its last materialisation, row count, freshness and a link to its data.
struct CataloguePage {
    let server: ServerContext

    func render() async throws -> HTMLPage {
        let assets = try await server.store.assets()
        let now = Date()
        var rows = ""
        for a in assets {
            let freshness = a.freshness(now: now)
            let links: String
            if a.kind == .mart {
                links = "<a href=\"/map\">kart</a> · <a href=\"/v1/kommune-indicators\">JSON</a> · <a href=\"/v1/kommune-indicators?format=csv\">CSV</a>"
            } else {
                let q = HTML.query([("dataset", a.key)])
                links = "<a href=\"/explore?\(q)\">utforsk</a> · <a href=\"/v1/facts?\(q)&amp;limit=100\">JSON</a> · <a href=\"/v1/facts?\(q)&amp;format=csv\">CSV</a>"
            }
            let lastRun = a.lastRunStatus == .error ? " <span class=\"error\">(siste kjøring feilet)</span>" : ""
            rows += """
                <tr data-asset="\(HTML.escape(a.key))"><td><strong>\(HTML.escape(a.key))</strong><br>\(HTML.escape(a.title))</td>
                <td>\(HTML.escape(a.attribution.map { text in a.tableID.map { t in "\(text), tabell \(t)" } ?? text } ?? "Kilde (avledet)"))</td>
                <td>\(HTML.escape(a.lastMaterializedAt ?? "aldri"))\(lastRun)</td><td class="num">\(HTML.number(Double(a.rows)))</td>
                <td class="\(freshness.rawValue)">\(freshness.rawValue)</td><td>\(links)</td></tr>
                """
        }
        let sources = server.registry.catalog.sources.map { s in
            "<li><strong>\(HTML.escape(s.name))</strong> (\(HTML.escape(s.key))) — \(HTML.escape(s.publisher)). \(HTML.escape(s.attribution)). <a href=\"\(HTML.escape(s.url))\">\(HTML.escape(s.url))</a>\(s.supportsSubyear ? " · daglige tall" : "")</li>"
        }.joined()
        let body = """
            <p>Datasett og marts i lageret <code>\(HTML.escape(server.store.location))</code>. Ferskhet: sist vellykket materialisering mot datasettets ferskhetspolicy (måneder).</p>
            <div class="scroll"><table id="assets"><thead><tr><th>Asset</th><th>Kilde</th><th>Sist materialisert</th><th class="num">Rader</th><th>Ferskhet</th><th>Data</th></tr></thead>
            <tbody>\(rows)</tbody></table></div>
            <h2>Kilder</h2><ul id="sources">\(sources)</ul>
            <p><a href="/map">Kart over kommunene →</a></p>
            """
        return HTMLPage(title: "Katalog", section: .catalogue, demo: try await server.isDemo(), body: body, credits: server.credits)
    }
}
