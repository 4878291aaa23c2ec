import Hummingbird
import KildeCore
import KildeStore

/// `/explore/compare`: one standard code (e.g. RESIDENTIAL) from every source that has it on one chart, a series per
/// dataset, each with its own credit line from the catalogue and, in a demo store, "demo data". It reads through
/// ``CompareRead``, the query of `GET /v1/compare`.
struct ComparePage {
    let server: ServerContext

    func render(_ request: Request) async throws -> HTMLPage {
        let r = try CompareRequest(request, registry: server.registry, required: false)
        let demo = try await server.isDemo()
        var body = controls(r)
        if let code = r.code {
            let c = try await CompareRead(server: server).read(r, code: code)
            body += result(c)
        } else {
            body += "<p id=\"empty\">Velg en standardkode for å sammenligne kildene som har den.</p>"
        }
        let link = "/v1/compare" + (request.uri.query.map { "?" + $0 } ?? "")
        body += "<p>Samme data som JSON: <a href=\"\(HTML.escape(link))\">\(HTML.escape(link))</a></p>"
        return HTMLPage(title: "Sammenlign kilder" + (r.code.map { ": \($0)" } ?? ""), section: .explore, demo: demo, body: body, credits: server.credits)
    }

    func result(_ c: API.Comparison) -> String {
        guard !c.series.isEmpty else {
            return "<p id=\"empty\">Ingen lagrede fakta for \(HTML.escape(c.category)) i dette utvalget"
                + (c.notStored.isEmpty ? "" : " (datasett uten data: \(HTML.escape(c.notStored.joined(separator: ", "))))") + ".</p>"
        }
        let groups = c.series.map { s in
            (label: Self.label(s), values: Dictionary(uniqueKeysWithValues: s.points.map { ($0.period, $0.value) }))
        }
        var out = LineChart(periods: c.periods, series: groups.map { LineChart.Series(label: $0.label, values: $0.values) }).svg()
        // Each series' own credit line, in the chart's colour, so a person can tell whose numbers a line is.
        out += "<ul class=\"attributions\" id=\"attributions\">"
        for (n, s) in c.series.enumerated() {
            let color = LineChart.colors[n % LineChart.colors.count]
            out += "<li class=\"attribution\" data-dataset=\"\(HTML.escape(s.dataset))\"><i class=\"sw\" style=\"background:\(color)\"></i>"
                + "\(HTML.escape(s.title)): \(HTML.escape(s.attribution))\(s.demo ? " — <strong>demo data</strong>" : "")"
                + (s.summedAxes.isEmpty ? "" : " (summert over \(HTML.escape(s.summedAxes.joined(separator: ", "))))") + "</li>"
        }
        out += "</ul>"
        out += ExplorePage.table(periods: c.periods, groups: groups)
        if c.series.contains(where: \.truncated) { out += "<p>Svaret er avkortet; snevre inn utvalget.</p>" }
        return out
    }

    /// A series as the legend names it: source and dataset, and "demo data" when it is.
    static func label(_ s: API.ComparisonSeries) -> String {
        "\(s.sourceName) · \(s.dataset)\(s.demo ? " (demo data)" : "")"
    }

    func controls(_ r: CompareRequest) -> String {
        let reg = server.registry
        // The standard codes that reach more than a region: those of categories and of the non-region filters.
        var codes = Set(reg.catalog.categories.filter { !$0.isNativeOnly }.compactMap(\.standardCode))
        codes.formUnion(reg.catalog.filters.filter { $0.axis != .region }.compactMap(\.standardCode))
        if let code = r.code { codes.insert(code) }
        let options = codes.sorted().map { c in
            "<option\(c == r.code ? " selected" : "")>\(HTML.escape(c))</option>"
        }.joined()
        let grains = Granularity.allCases.map { g in "<option\(g == r.granularity ? " selected" : "")>\(g.rawValue)</option>" }.joined()
        let metrics = Metric.allCases.map { m in "<option\(m == r.metric ? " selected" : "")>\(m.rawValue)</option>" }.joined()
        let years = r.years.map { "\($0.first)-\($0.last)" } ?? ""
        return """
            <form class="controls" method="get" action="/explore/compare" id="compareform">
            <label>Standardkode<select name="category">\(options)</select></label>
            <label>År<input name="years" value="\(HTML.escape(years))" placeholder="2015-2024" size="10"></label>
            <label>Oppløsning<select name="granularity">\(grains)</select></label>
            <label>Mål<select name="metric">\(metrics)</select></label>
            <button type="submit">Sammenlign</button></form>
            """
    }
}
