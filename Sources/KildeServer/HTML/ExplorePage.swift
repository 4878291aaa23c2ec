import Foundation
import Hummingbird
import KildeCore
import KildeStore

/// `/explore`: pick a dataset, filters, granularity and metric; a time-series chart with one series per
/// category (and filter value) and a table. An empty slice offers to ingest it, and a run in progress shows a
/// progress bar driven by `phase_detail`.
struct ExplorePage {
    let server: ServerContext

    func render(_ request: Request) async throws -> HTMLPage {
        let fr = try FactsRequest(request, registry: server.registry, extra: ["run"])
        let runID = try QueryParameters(request, allowed: FactsRequest.parameters.union(["run"])).int("run", in: 1...Int(Int32.max))
        // The run before the facts: a run read as complete has committed its slices, so the facts read next show
        // them. The other order can render "complete" above "no facts" when the run ends between the two reads.
        var runProgress = ""
        if let runID { runProgress = try await progress(runID: Int64(runID)) }
        let series = try await server.store.factSeries(fr.query)
        let demo = try await server.isDemo()

        var groups: [(label: String, values: [String: Double])] = []
        var index: [String: Int] = [:]
        for r in series.rows {
            let label = ([r.category] + FilterAxis.allCases.compactMap { r.filters[$0]?.name }).joined(separator: " · ")
            if index[label] == nil { index[label] = groups.count; groups.append((label, [:])) }
            if let i = index[label] { groups[i].values[r.period, default: 0] += r.value }
        }
        let periods = Array(Set(series.rows.map(\.period))).sorted()

        var body = controls(fr) + runProgress
        if series.rows.isEmpty {
            body += "<p id=\"empty\">Ingen lagrede fakta for dette utvalget.</p>"
            if let guardian = server.exploreIngest { body += ingestForm(fr, token: guardian, back: Self.queryWithoutRun(request)) }
        } else {
            body += LineChart(periods: periods, series: groups.map { LineChart.Series(label: $0.label, values: $0.values) }).svg()
            body += Self.table(periods: periods, groups: groups)
            if series.truncated { body += "<p>Svaret er avkortet; snevre inn utvalget.</p>" }
        }
        body += compareLink(fr)
        let attribution = server.registry.attribution(dataset: fr.dataset)
        body += "<p class=\"attribution\" id=\"attribution\">\(HTML.escape(attribution))\(demo ? " — DEMO DATA" : "")</p>"
        return HTMLPage(title: "Utforsk \(fr.dataset.title)", section: .explore, demo: demo, body: body, script: Self.script, credits: server.credits)
    }

    /// The "fetch this slice" form: it carries exactly the page's selection (dataset, years, and per filtered axis
    /// the native codes of the filters shown, comma-separated), so the ingest covers this slice and not the
    /// dataset's whole plan, and the token the server signed for that selection. Axes the page leaves empty
    /// ("tom = alle") are not narrowed.
    func ingestForm(_ fr: FactsRequest, token guardian: ExploreIngestGuard, back: String) -> String {
        let ds = fr.dataset
        let years = fr.query.years.map { "\($0.first)-\($0.last)" } ?? ""
        let token = guardian.token(dataset: ds.key, selection: SliceSelection(filters: fr.query.filters, years: fr.query.years))
        var fields = "<input type=\"hidden\" name=\"dataset\" value=\"\(HTML.escape(ds.key))\"><input type=\"hidden\" name=\"years\" value=\"\(HTML.escape(years))\">"
            + "<input type=\"hidden\" name=\"token\" value=\"\(HTML.escape(token))\">"
        var label = ds.title
        for axis in FilterAxis.allCases {
            guard let ids = fr.query.filters[axis] else { continue }
            let filters = ids.compactMap { server.registry.filter(id: $0) }
            let codes = filters.map(\.nativeCode).joined(separator: ",")
            fields += "<input type=\"hidden\" name=\"\(axis.rawValue)\" value=\"\(HTML.escape(codes))\">"
            label += ", \(Self.axisName(axis).lowercased()) " + (ids.count <= 3 ? filters.map(\.nativeName).joined(separator: ", ") : "(\(ids.count) verdier)")
        }
        return """
            <form method="post" action="/explore/ingest" id="ingestform">\(fields)
            <input type="hidden" name="back" value="\(HTML.escape(back))">
            <button type="submit">Hent \(HTML.escape(label))\(years.isEmpty ? "" : " for \(years)") fra kilden</button></form>
            <div id="progress" hidden><div class="bar"><div id="progressbar" style="width:0%"></div></div><p id="progresstext"></p></div>
            """
    }

    /// The page's query without `run`, to come back to after starting another ingest.
    static func queryWithoutRun(_ request: Request) -> String {
        (request.uri.query ?? "").split(separator: "&").filter { !$0.hasPrefix("run=") }.joined(separator: "&")
    }

    func controls(_ fr: FactsRequest) -> String {
        let reg = server.registry
        let datasets = reg.catalog.datasets.map { d in
            "<option value=\"\(HTML.escape(d.key))\"\(d.key == fr.dataset.key ? " selected" : "")>\(HTML.escape(d.key)) — \(HTML.escape(d.title))</option>"
        }.joined()
        var axes = ""
        for axis in FilterAxis.allCases {
            let options = reg.filters(source: fr.source.id, axis: axis).filter { $0.applicableDimCodes.contains(fr.query.dimCode) }
            guard !options.isEmpty else { continue }
            let selected = Set(fr.query.filters[axis] ?? [])
            // The native code is the value sent; a person reads the label.
            let groups = Self.groups(options).map { label, filters in
                let opts = filters.map { f in
                    "<option value=\"\(HTML.escape(f.nativeCode))\"\(selected.contains(f.id) ? " selected" : "")>\(HTML.escape(f.nativeName))</option>"
                }.joined()
                return label.map { "<optgroup label=\"\(HTML.escape($0))\">\(opts)</optgroup>" } ?? opts
            }.joined()
            axes += "<label>\(Self.axisName(axis)) (tom = alle)<select name=\"\(axis.rawValue)\" multiple size=\"4\">\(groups)</select></label>"
        }
        let grains = Granularity.allCases.filter { !$0.isSubyear || fr.source.supportsSubyear }.map { g in
            "<option\(g == fr.query.granularity ? " selected" : "")>\(g.rawValue)</option>"
        }.joined()
        let metrics = Metric.allCases.map { m in "<option\(m == fr.query.metric ? " selected" : "")>\(m.rawValue)</option>" }.joined()
        let years = fr.query.years.map { "\($0.first)-\($0.last)" } ?? ""
        return """
            <form class="controls" method="get" action="/explore" id="exploreform">
            <label>Datasett<select name="dataset">\(datasets)</select></label>\(axes)
            <label>År<input name="years" value="\(HTML.escape(years))" placeholder="2015-2024" size="10"></label>
            <label>Oppløsning<select name="granularity">\(grains)</select></label>
            <label>Mål<select name="metric">\(metrics)</select></label>
            <button type="submit">Vis</button></form>
            """
    }

    /// A link to the comparison across sources: of the first standard code the selection names (a filter's, else a
    /// category's), else of none (the compare page then asks for one).
    func compareLink(_ fr: FactsRequest) -> String {
        let reg = server.registry
        var code: String?
        for axis in FilterAxis.allCases where code == nil {
            code = (fr.query.filters[axis] ?? []).compactMap { reg.filter(id: $0)?.standardCode }.first
        }
        if code == nil {
            code = (fr.query.catCodes ?? []).compactMap { reg.category(source: fr.source.id, dim: fr.query.dimCode, catCode: $0)?.standardCode }.first
        }
        var pairs: [(String, String)] = []
        if let code { pairs.append(("category", code)) }
        if let y = fr.query.years { pairs.append(("years", "\(y.first)-\(y.last)")) }
        if !fr.query.granularity.isSubyear { pairs.append(("granularity", fr.query.granularity.rawValue)) }
        let href = "/explore/compare" + (pairs.isEmpty ? "" : "?" + HTML.query(pairs))
        return "<p><a id=\"comparelink\" href=\"\(HTML.escape(href))\">Sammenlign kildene for samme standardkode</a></p>"
    }

    /// An axis as the page names it.
    static func axisName(_ axis: FilterAxis) -> String {
        switch axis {
        case .fireType: "Branntype"
        case .buildingType: "Bygningstype"
        case .buildingAge: "Bygningsalder"
        case .region: "Region"
        }
    }

    /// A filter list in groups a person can scan: regions by level, those still in use before the earlier ones
    /// (whose names carry their years); other axes in one unnamed group. Filters keep their catalogue order.
    static func groups(_ filters: [Filter]) -> [(label: String?, filters: [Filter])] {
        guard filters.contains(where: { $0.level != nil }) else { return [(nil, filters)] }
        let order: [(String, (Filter) -> Bool)] = [
            ("Fylker", { $0.level == .county && $0.validTo == nil }),
            ("Kommuner", { $0.level == .municipality && $0.validTo == nil }),
            ("Andre regioner", { $0.level == nil || $0.level == .country }),
            ("Tidligere fylker", { $0.level == .county && $0.validTo != nil }),
            ("Tidligere kommuner", { $0.level == .municipality && $0.validTo != nil }),
        ]
        return order.map { label, belongs in (label, filters.filter(belongs)) }.filter { !$0.filters.isEmpty }
    }

    /// The chart's numbers as a table: a row per period, a column per series (the compare page shares it).
    static func table(periods: [String], groups: [(label: String, values: [String: Double])]) -> String {
        var out = "<div class=\"scroll\"><table id=\"facts\"><thead><tr><th>Periode</th>"
        for g in groups { out += "<th class=\"num\">\(HTML.escape(g.label))</th>" }
        out += "</tr></thead><tbody>"
        for p in periods {
            out += "<tr><td>\(HTML.escape(p))</td>" + groups.map { "<td class=\"num\">\(HTML.number($0.values[p]))</td>" }.joined() + "</tr>"
        }
        return out + "</tbody></table></div>"
    }

    /// A run's progress, server-rendered; the page refreshes itself (no JavaScript needed) until the run ends.
    func progress(runID: Int64) async throws -> String {
        guard let run = try await server.store.run(id: runID) else { return "<p class=\"error\">Ukjent kjøring \(runID).</p>" }
        let api = API.Run(run)
        let percent = Int((api.progress * 100).rounded())
        let running = run.status == .running || run.status == .queued
        return """
            \(running ? "<meta http-equiv=\"refresh\" content=\"2\">" : "")
            <div id="runprogress" data-run="\(runID)" data-status="\(run.status.rawValue)"><div class="bar"><div style="width:\(percent)%"></div></div>
            <p>Kjøring <a href="/v1/ingest/status/\(runID)">\(runID)</a>: \(run.status.rawValue), \(percent) % (\(run.slicesDone)/\(run.slicesTotal) utsnitt,
            \(run.rowsAdded) nye rader)\(run.errorMessage.map { " <span class=\"error\">\(HTML.escape($0))</span>" } ?? "")</p></div>
            """
    }

    /// Starts the ingest through the page's own endpoint, sending the ingest form's fields (the page's dataset,
    /// years and selected filters), then polls the run's status and moves the bar with
    /// `phase_detail.canonical_progress` until the run ends, naming a daily fan-out's tier, month and months done;
    /// then reloads to show the data.
    static let script = """
        (function(){var f=document.getElementById('ingestform');if(!f)return;
        f.addEventListener('submit',function(e){e.preventDefault();var b=f.querySelector('button');b.disabled=true;
        var box=document.getElementById('progress'),bar=document.getElementById('progressbar'),txt=document.getElementById('progresstext');box.hidden=false;
        fetch('/explore/ingest',{method:'POST',headers:{'Accept':'application/json','Content-Type':'application/x-www-form-urlencoded'},body:new URLSearchParams(new FormData(f))})
        .then(function(r){return r.json().then(function(j){if(!r.ok)throw new Error(j.detail||r.status);return j})})
        .then(function(j){txt.textContent='Kjøring '+j.runId+' startet';(function poll(){fetch('/v1/ingest/status/'+j.runId).then(function(r){return r.json()}).then(function(s){
        bar.style.width=Math.round(100*s.progress)+'%';var d=s.phaseDetail,at='';
        if(d&&/_daily_fanout$/.test(d.kind)){var c=d.cursor||{};at=' — '+d.phase+(c.year?' '+c.year+(c.month?'-'+(c.month<10?'0':'')+c.month:''):'')+' ('+d.done+'/'+d.total+' måneder)'}
        txt.textContent='Kjøring '+s.id+': '+s.status+', '+Math.round(100*s.progress)+' %'+at;
        if(s.status==='complete'||s.status==='error'){setTimeout(function(){location.reload()},300)}else{setTimeout(poll,400)}})})();})
        .catch(function(err){txt.textContent='Feil: '+err.message;b.disabled=false});});})();
        """
}
