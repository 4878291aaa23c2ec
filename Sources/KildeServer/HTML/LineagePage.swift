import Foundation
import KildeStore

/// `/lineage`, the dbt-docs analogue: the asset graph as server-rendered SVG — the schema (migrations) before every
/// dataset, each dataset before the marts that read it — each node coloured by its freshness (a failed last run is
/// red), linking to its data (a dataset's explore page, the mart's map) and to its runs (`/runs?dataset=…`), its
/// tooltip naming the latest period and data version of its last materialisation; the assets listed under the graph.
struct LineagePage {
    let server: ServerContext

    /// A node's place and look.
    struct Node {
        var key: String
        var label: String
        var detail: String
        var state: String
        var href: String
        /// The asset's runs; `nil` for the schema.
        var runsHref: String?
        /// The last materialisation record's latest period and data version, for the tooltip.
        var record: Materialization?
        var x: Int
        var y: Int
    }

    static let width = 240, height = 58, rowGap = 70, columns = [20, 320, 660]

    func render() async throws -> HTMLPage {
        let assets = try await server.store.assets()
        let now = Date()
        let datasets = assets.filter { $0.kind == .dataset }, marts = assets.filter { $0.kind == .mart }
        let rows = max(datasets.count, marts.count, 1)
        let top = 30
        func state(_ a: AssetStatus) -> String { a.lastRunStatus == .error ? "failed" : a.freshness(now: now).rawValue }
        func detail(_ a: AssetStatus) -> String {
            let when = a.lastMaterializedAt.map { String($0.prefix(10)) } ?? "aldri materialisert"
            return "\(state(a)) · \(HTML.number(Double(a.rows))) rader · \(when)"
        }
        func runs(_ a: AssetStatus) -> String { "/runs?" + HTML.query([("dataset", a.key)]) }
        let schema = Node(key: "schema", label: "skjema (kilde migrate)", detail: "migreringer og katalog", state: "fresh", href: "/runs",
                          x: Self.columns[0], y: top + (rows - 1) * Self.rowGap / 2)
        let datasetNodes = datasets.enumerated().map { i, a in
            Node(key: a.key, label: a.key, detail: detail(a), state: state(a), href: "/explore?" + HTML.query([("dataset", a.key)]),
                 runsHref: runs(a), record: a.lastMaterialization, x: Self.columns[1], y: top + i * Self.rowGap)
        }
        let martTop = top + (rows - marts.count) * Self.rowGap / 2
        let martNodes = marts.enumerated().map { i, a in
            Node(key: a.key, label: a.key, detail: detail(a), state: state(a), href: "/map", runsHref: runs(a), record: a.lastMaterialization,
                 x: Self.columns[2], y: martTop + i * Self.rowGap)
        }
        var edges: [(Node, Node)] = datasetNodes.map { (schema, $0) }
        for d in datasetNodes where server.registry.feedsIndicators(dataset: d.key) {
            edges += martNodes.map { (d, $0) }
        }
        let svgHeight = top + rows * Self.rowGap
        let svg = """
            <svg id="lineage" viewBox="0 0 \(Self.columns[2] + Self.width + 20) \(svgHeight)" role="img" aria-label="Avhengigheter mellom skjema, datasett og marts">
            \(edges.map(edge).joined(separator: "\n"))
            \(([schema] + datasetNodes + martNodes).map(node).joined(separator: "\n"))
            </svg>
            """
        let legend = ["fresh": "fersk", "stale": "utdatert", "never": "aldri materialisert", "failed": "siste kjøring feilet"].sorted { $0.key < $1.key }
            .map { "<span class=\"lg \($0.key)\"></span> \($0.value)" }.joined(separator: " ")
        let list = assets.map { a in
            "<li data-asset=\"\(HTML.escape(a.key))\"><strong>\(HTML.escape(a.key))</strong>: \(HTML.escape(detail(a)))"
                + (a.lastRunStatus.map { " · siste kjøring \(HTML.escape($0.rawValue))" } ?? "")
                + (a.lastMaterialization.map { " · \(HTML.escape(Self.describe($0)))" } ?? "")
                + " · <a href=\"\(HTML.escape(runs(a)))\">kjøringer</a></li>"
        }.joined()
        let body = """
            <p>Hver asset med sine avhengigheter: migreringer før innhenting, innhenting før marts. Fargen er ferskheten mot
            datasettets policy; rød betyr at siste kjøring feilet (en mart som feilet en datatest beholder forrige gode versjon).
            Klikk en node for dataene, eller «kjøringer» i noden for kjøringene som materialiserte den; hold over en node for
            siste periode og dataversjon (den endres bare når de lagrede dataene endres).</p>
            <p class="legend">\(legend)</p>
            <div class="scroll">\(svg)</div>
            <ul id="assets">\(list)</ul>
            """
        return HTMLPage(title: "Avstamning", section: .lineage, demo: try await server.isDemo(), body: body, credits: server.credits)
    }

    /// A node: one link to its data (the box, its key and detail), and beside it, drawn over the box's bottom line,
    /// one to its runs (SVG links cannot nest).
    func node(_ n: Node) -> String {
        let title = [n.key + ": " + n.detail, n.record.map(Self.describe)].compactMap { $0 }.joined(separator: "\n")
        let runs = n.runsHref.map { href in
            """
            <a href="\(HTML.escape(href))" data-runs="\(HTML.escape(n.key))"><title>Kjøringer av \(HTML.escape(n.key))</title>\
            <text x="\(n.x + Self.width - 8)" y="\(n.y + 51)" text-anchor="end" class="nr">kjøringer</text></a>
            """
        } ?? ""
        let period = n.record.map { "periode \($0.latestPeriod ?? "ingen")" } ?? ""
        return """
            <a href="\(HTML.escape(n.href))" data-node="\(HTML.escape(n.key))" data-state="\(n.state)"><title>\(HTML.escape(title))</title>\
            <rect class="node \(n.state)" x="\(n.x)" y="\(n.y)" width="\(Self.width)" height="\(Self.height)" rx="6"/>\
            <text x="\(n.x + 8)" y="\(n.y + 18)" class="nk">\(HTML.escape(String(n.label.prefix(28))))</text>\
            <text x="\(n.x + 8)" y="\(n.y + 34)" class="nd">\(HTML.escape(String(n.detail.prefix(34))))</text>\
            <text x="\(n.x + 8)" y="\(n.y + 51)" class="nd">\(HTML.escape(String(period.prefix(22))))</text></a>\
            \(runs)
            """
    }

    /// A materialisation record for people: the latest period and the data version.
    static func describe(_ m: Materialization) -> String {
        "siste periode \(m.latestPeriod ?? "ingen") · dataversjon \(m.dataVersion)"
    }

    func edge(_ e: (Node, Node)) -> String {
        let x1 = e.0.x + Self.width, y1 = e.0.y + Self.height / 2, x2 = e.1.x, y2 = e.1.y + Self.height / 2
        let mid = (x1 + x2) / 2
        return "<path class=\"edge\" data-from=\"\(HTML.escape(e.0.key))\" data-to=\"\(HTML.escape(e.1.key))\" d=\"M\(x1) \(y1) C\(mid) \(y1) \(mid) \(y2) \(x2) \(y2)\"/>"
    }
}
